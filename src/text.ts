import { load } from 'cheerio';

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

function htmlToText(html: string): string {
  const $ = load(html, null, false);
  $('br').replaceWith('\n');
  $('p, div, li, blockquote, h1, h2, h3, h4, h5, h6, tr').after('\n\n');
  $('script, style').remove();
  return $.root().text();
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
