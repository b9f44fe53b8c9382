// Which sentiment library estimates the polarity of unrated mentions (x, instagram), and why:
// each candidate labels the same hand-written mentions, read with its own documented convention
// (no threshold tuned on this sample). The shipped estimate must stay the most accurate one.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type winkSentiment from 'wink-sentiment';
import { z } from 'zod';
import { loadMentionScorer, polarityOfScore, scoredPart } from '../../adapters/mentions/sentiment.js';
import type { Polarity } from '../../src/index.js';

const labelled = z
  .array(z.object({ label: z.enum(['positive', 'neutral', 'negative']), text: z.string().min(1) }))
  .parse(JSON.parse(readFileSync(new URL('../fixtures/mentions/labelled-texts.json', import.meta.url), 'utf8')));

// The two candidates reviewkit does not ship are read through their CommonJS entry points.
const require = createRequire(import.meta.url);
const Afinn = require('sentiment') as new () => { analyze(text: string): { score: number } };
const vader = require('vader-sentiment') as { SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } } };
const wink = require('wink-sentiment') as typeof winkSentiment;
const afinn = new Afinn();

const CLASSES = ['positive', 'neutral', 'negative'] as const;
type Label = (typeof CLASSES)[number];

const candidates: Record<string, (text: string) => Label> = {
  // AFINN-165 sum: its README reads a positive score as positive, a negative one as negative.
  sentiment: (text) => polarityOfScore(afinn.analyze(text).score),
  // wink's normalizedScore, read the same way (what reviewkit ships, through loadMentionScorer).
  'wink-sentiment': (text) => polarityOfScore(wink(text).normalizedScore),
  // VADER's README thresholds: compound ≥ 0.05 positive, ≤ −0.05 negative, neutral between.
  'vader-sentiment': (text) => {
    const { compound } = vader.SentimentIntensityAnalyzer.polarity_scores(text);
    return compound >= 0.05 ? 'positive' : compound <= -0.05 ? 'negative' : 'neutral';
  },
};

interface Score {
  correct: number;
  perClass: Record<Label, string>;
}

function score(label: (text: string) => Polarity | null): Score {
  let correct = 0;
  const hits: Record<Label, [number, number]> = { positive: [0, 0], neutral: [0, 0], negative: [0, 0] };
  for (const item of labelled) {
    const isHit = label(item.text) === item.label;
    hits[item.label][1]++;
    if (isHit) {
      hits[item.label][0]++;
      correct++;
    }
  }
  const perClass = Object.fromEntries(CLASSES.map((c) => [c, `${hits[c][0]}/${hits[c][1]}`])) as Record<Label, string>;
  return { correct, perClass };
}

describe('polarity estimate for unrated mentions', () => {
  const scores = Object.fromEntries(Object.entries(candidates).map(([name, label]) => [name, score(label)]));

  it('is measured on enough realistic mentions of each class, with emoji and negation', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(36);
    for (const c of CLASSES) expect(labelled.filter((i) => i.label === c).length).toBeGreaterThanOrEqual(12);
    expect(labelled.filter((i) => /\p{Extended_Pictographic}/u.test(i.text)).length).toBeGreaterThanOrEqual(12);
    expect(labelled.filter((i) => /\b(not|never|no|n't|wasn't|don't|can't)\b/i.test(i.text)).length).toBeGreaterThanOrEqual(8);
  });

  it('compares the candidates: wink-sentiment is the most accurate', () => {
    console.table(
      Object.fromEntries(
        Object.entries(scores).map(([name, s]) => [name, { accuracy: `${s.correct}/${labelled.length} (${((100 * s.correct) / labelled.length).toFixed(1)} %)`, ...s.perClass }]),
      ),
    );
    // Exact figures: a library update that changes them must be looked at, not absorbed.
    expect(scores).toEqual({
      sentiment: { correct: 39, perClass: { positive: '14/16', neutral: '13/16', negative: '12/16' } },
      'wink-sentiment': { correct: 41, perClass: { positive: '16/16', neutral: '11/16', negative: '14/16' } },
      'vader-sentiment': { correct: 37, perClass: { positive: '12/16', neutral: '14/16', negative: '11/16' } },
    });
    const best = Math.max(...Object.values(scores).map((s) => s.correct));
    const winners = Object.keys(scores).filter((name) => scores[name]?.correct === best);
    expect(winners).toEqual(['wink-sentiment']);
  });

  it('ships the measured estimate: the adapters’ default labels every sample exactly as wink-sentiment did', async () => {
    const scorer = await loadMentionScorer(undefined);
    const shipped = score((text) => scorer(text, null).polarity);
    expect(shipped).toEqual(scores['wink-sentiment']);
    expect(scorer('Not good. Overpriced and the cake was dry.', 'en')).toEqual({ polarity: 'negative', source: 'wink-sentiment', score: -3 });
    // Another language, or no text: no estimate rather than a wrong "neutral".
    expect(scorer('Pas bon du tout, le gâteau était sec.', 'fr')).toEqual({ polarity: null, source: null, score: null });
    expect(scorer(null, 'en')).toEqual({ polarity: null, source: null, score: null });
    expect(scorer('So happy 🎉', 'en-GB').polarity).toBe('positive');
  });

  it('leaves runs of 80 or more characters without a space out of what it scores, and scores at most 10,000 characters', () => {
    expect(scoredPart(`ok ${'x'.repeat(79)} ${'y'.repeat(80)} z`)).toBe(`ok ${'x'.repeat(79)}   z`);
    expect(scoredPart('ab'.repeat(20_000))).toBe(' ');
    expect(scoredPart(`${'word '.repeat(4000)}tail`)).toBe('word '.repeat(2000));
  });

  it('scores a megabyte without a space instead of stalling the run (found by the property tests: it took hours)', () => {
    // wink's tokenizer is quadratic in a run without spaces (100,000 characters: about 40 s). In a
    // child process, so that a regression fails on the time limit instead of hanging the suite.
    const probe = `
      const { loadMentionScorer } = await import('./adapters/mentions/sentiment.ts');
      const scorer = await loadMentionScorer(undefined);
      process.stdout.write(JSON.stringify(scorer('Great cake! ' + 'a'.repeat(1_000_000), 'en')));
    `;
    const root = new URL('../..', import.meta.url);
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out)).toEqual({ polarity: 'positive', source: 'wink-sentiment', score: 3 });
  });

  it('hands the text and language to a user estimator, and never runs it without text', async () => {
    const calls: unknown[] = [];
    const scorer = await loadMentionScorer((text, context) => {
      calls.push([text, context]);
      return 'neutral';
    });
    expect(scorer('Ça va', 'fr')).toEqual({ polarity: 'neutral', source: 'custom', score: null });
    expect(scorer(null, null)).toEqual({ polarity: null, source: null, score: null });
    expect(calls).toEqual([['Ça va', { language: 'fr' }]]);
  });

  it('loads wink-sentiment only when a run needs the built-in estimate (never on import, never with a user estimator)', () => {
    const probe = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('/wink-sentiment/'));
      const seen = [];
      await import('./adapters/x.ts');
      await import('./adapters/instagram.ts');
      seen.push(loaded());
      const { loadMentionScorer } = await import('./adapters/mentions/sentiment.ts');
      await loadMentionScorer(() => null);
      seen.push(loaded());
      await loadMentionScorer(undefined);
      seen.push(loaded());
      process.stdout.write(JSON.stringify(seen));
    `;
    const root = new URL('../..', import.meta.url);
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([false, false, true]);
  });
});
