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
  const tidy = tidyRuns(text).trim();
  return tidy === '' ? null : tidy;
}

/**
 * One pass over the text: CR and CRLF become LF, runs of spaces and tabs one space, spaces next
 * to a line break go, and more than two line breaks become two (a blank line). Copies whole runs
 * of other characters, not one character at a time. Four regex replacements did the same in
 * four passes and four strings, and took most of a normalize when a review had two spaces in a
 * row (a test holds this to them).
 */
function tidyRuns(text: string): string {
  let out = '';
  let runStart = 0;
  let spaces = false;
  let breaks = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const isSpace = c === 0x20 || c === 0x09 || c === 0x0c || c === 0x0b || c === 0xa0;
    const isBreak = c === 0x0a || c === 0x0d;
    if (!isSpace && !isBreak) {
      if (runStart < 0) {
        // The whitespace before this run: line breaks win over spaces; none at the very start.
        if (out !== '') out += breaks > 0 ? (breaks > 1 ? '\n\n' : '\n') : spaces ? ' ' : '';
        runStart = i;
        spaces = false;
        breaks = 0;
      }
      continue;
    }
    if (runStart >= 0) {
      out += text.slice(runStart, i);
      runStart = -1;
    }
    if (isSpace) spaces = true;
    else if (c === 0x0a || text.charCodeAt(i + 1) !== 0x0a) breaks++;
  }
  if (runStart >= 0) out += text.slice(runStart);
  return out;
}
