// HTML built so that escaping cannot be forgotten: every value interpolated into the `html`
// template is escaped unless it is itself markup made by `html` (or `raw` for the page's own
// CSS). Review text is data from strangers; it can only ever become text.

const MARKUP = Symbol('markup');

/** A piece of markup made by {@link html} or {@link raw}: interpolated without escaping. */
export interface Markup {
  readonly [MARKUP]: true;
  readonly text: string;
}

/** A value {@link html} can interpolate: text (escaped), numbers, markup, lists of them; `null`, `undefined` and `false` render nothing. */
export type HtmlValue = string | number | Markup | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function isMarkup(value: unknown): value is Markup {
  return typeof value === 'object' && value !== null && (value as Partial<Markup>)[MARKUP] === true;
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (isMarkup(value)) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return escapeHtml(String(value));
}

/** Markup from a template: interpolated values are escaped (see {@link HtmlValue}). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Markup {
  let text = strings[0] ?? '';
  values.forEach((value, i) => {
    text += render(value) + (strings[i + 1] ?? '');
  });
  return { [MARKUP]: true, text };
}

/** Trusted markup as is: only for text the program itself wrote (its CSS), never for data. */
export function raw(text: string): Markup {
  return { [MARKUP]: true, text };
}

/** The final document text. */
export function toHtmlString(markup: Markup): string {
  return markup.text;
}

/**
 * A link target that is safe to put in `href`: http(s) URLs only. A review's `url` comes from a
 * source's payload; `javascript:` or `data:` must never become a link.
 */
export function safeHref(url: string | null): string | null {
  if (url === null) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A number rounded for SVG coordinates (short, stable output). */
export function n(value: number): number {
  return Math.round(value * 100) / 100;
}
