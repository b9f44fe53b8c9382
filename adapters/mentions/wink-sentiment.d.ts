// wink-sentiment 5 ships no types: only what reviewkit calls (github.com/winkjs/wink-sentiment, src/wink-sentiment.js).
declare module 'wink-sentiment' {
  interface WinkToken {
    value: string;
    tag: string;
    score?: number;
    negation?: boolean;
    grouped?: number;
  }
  interface WinkSentiment {
    /** Sum of the AFINN-165 / emoji / emoticon scores of the phrase's tokens, negations flipped. */
    score: number;
    /** `score` averaged over the scored tokens and damped for long texts: roughly −5…5, 0 when nothing scored. */
    normalizedScore: number;
    tokenizedPhrase?: WinkToken[];
  }
  /** Scores an English phrase. Throws for a non-string. */
  function sentiment(phrase: string): WinkSentiment;
  export = sentiment;
}
