import { Parser } from 'htmlparser2';

/** Options of {@link cleanText}. */
export interface CleanTextOptions {
  /**
   * Whether the source sends HTML (tags and entities). Plain-text sources must pass
   * `false` so that a literal "&amp;" typed by a reviewer survives. Default `true`.
   */
  html?: boolean;
}

const MARKUP = /[<&]/;

/**
 * Turns review text into tidy plain text: HTML tags stripped (`<br>` and block ends become
 * line breaks), entities decoded exactly once, spaces collapsed, blank lines limited to one,
 * trimmed. Returns null for missing or blank text.
 */
export function cleanText(value: string | null | undefined, options: CleanTextOptions = {}): string | null {
  if (value === null || value === undefined) return null;
  let text = value;
  // Parsing is the expensive part; most review text has no markup at all.
  if (options.html !== false && MARKUP.test(text)) text = htmlToText(text);
  return tidyWhitespace(text);
}

const BLOCKS = new Set(['p', 'div', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr']);
const HIDDEN = new Set(['script', 'style', 'template', 'noscript']);

// A streaming tokenizer (htmlparser2's Parser, no DOM) is all text extraction needs: it
// decodes entities exactly once and tolerates the broken markup review sites send.
function htmlToText(html: string): string {
  let out = '';
  let hidden = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (HIDDEN.has(name)) hidden++;
        else if (name === 'br' && hidden === 0) out += '\n';
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        else if (BLOCKS.has(name) && hidden === 0) out += '\n\n';
      },
      ontext(text) {
        if (hidden === 0) out += text;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  return out;
}

// Anything tidyWhitespace would change; most review text has none of it.
const UNTIDY = /[\r\t\f\v\u00a0]| {2}| \n|\n |\n{3}|^\s|\s$/;

function tidyWhitespace(text: string): string | null {
  if (!UNTIDY.test(text)) return text === '' ? null : text;
  const tidy = text
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\f\v \u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return tidy === '' ? null : tidy;
}
