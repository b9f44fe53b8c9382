// Terminal output shared by every command: where text goes, whether it may be colored, and the
// few formatting helpers (styles, tables, durations) that keep the commands' output consistent.
import { stripVTControlCharacters, styleText } from 'node:util';

/** A stream a command writes to; `process.stdout`/`process.stderr` in the real CLI. */
export interface OutputStream {
  write(chunk: string): boolean;
  /** True on a terminal: enables colors, live progress and human-oriented layout. */
  isTTY?: boolean;
  /** Terminal width, when known. */
  columns?: number;
}

/** Everything a command may touch outside its arguments: injected so commands run the same in tests. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against. */
  cwd: string;
}

/**
 * Whether text written to `stream` may carry ANSI colors. The conventions commander follows
 * (so `--help` and our own output agree): `NO_COLOR` (any non-empty value) and
 * `FORCE_COLOR=0|false` turn colors off; `FORCE_COLOR` (any other value) or `CLICOLOR_FORCE`
 * turn them on even when piped; otherwise colors only on a terminal that is not `TERM=dumb`.
 */
export function hasColors(stream: OutputStream, env: CliIo['env']): boolean {
  if (env.NO_COLOR || env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR || env.CLICOLOR_FORCE !== undefined) return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

type StyleName = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta';

/** Text styles for one stream: identity functions when the stream has no colors. */
export type Styles = Record<StyleName, (text: string) => string>;

/** The {@link Styles} for a stream, honouring {@link hasColors}. */
export function stylesFor(stream: OutputStream, env: CliIo['env']): Styles {
  const isColored = hasColors(stream, env);
  // The decision above is made for this stream; styleText's own check would look at
  // process.stdout instead (wrong for stderr, and for streams a test injects).
  const style = (name: StyleName) => (isColored ? (text: string) => styleText(name, text, { validateStream: false }) : (text: string) => text);
  return { bold: style('bold'), dim: style('dim'), red: style('red'), green: style('green'), yellow: style('yellow'), cyan: style('cyan'), magenta: style('magenta') };
}

/** Width of text as a terminal shows it (ANSI codes take no room). */
export function visibleWidth(text: string): number {
  return [...stripVTControlCharacters(text)].length;
}

/** Pads text to a visible width (ANSI-aware). */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const gap = Math.max(0, width - visibleWidth(text));
  return align === 'left' ? text + ' '.repeat(gap) : ' '.repeat(gap) + text;
}

/** Shortens plain text to `width` characters with an ellipsis. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`;
}

/** A column of {@link formatTable}. */
export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** A plain text table: a header row, then rows, columns separated by two spaces. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[], styles: Styles): string {
  const widths = columns.map((column, i) => Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i] ?? 0, columns[i]?.align))
      .join('  ')
      .trimEnd();
  return [styles.bold(line(columns.map((c) => c.header))), ...rows.map(line)].join('\n');
}

/** `0.4 s`, `12 s`, `3 min 5 s`: a short human duration. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `1 review`, `2 reviews`. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
