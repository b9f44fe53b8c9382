// How a fetch shows its progress on stderr: live lines redrawn in place on a terminal, plain
// lines (one per event, no colors or cursor codes) when stderr is a file or a pipe.
//
// The live view uses cli-progress's MultiBar for the terminal work: redrawing N lines in place
// at a bounded rate, hiding and restoring the cursor, turning line wrap off so a narrow terminal
// crops instead of scrolling. We only give it each line's text (no bar: most sources never say
// how many reviews they have, and some say more than they will return).
import { redact } from 'reviewkit';
import type { MultiBar } from 'cli-progress';
import { formatDuration, type OutputStream, pad, plural, type Styles, truncate, visibleWidth } from './output.js';
import type { ProgressChange, SourceProgress } from './tracker.js';

/** Shows progress until `stop`. */
export interface ProgressView {
  update(change: ProgressChange, source: Readonly<SourceProgress>): void;
  stop(): void;
}

/** Nothing shown (`--quiet`). */
export const silentProgress: ProgressView = { update: () => {}, stop: () => {} };

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const SUBJECT_WIDTH = 24;

/** The label of a source in every line: `#1 yelp acme-bistro`. */
export function sourceLabel(source: Pick<SourceProgress, 'index' | 'adapterName' | 'subjectId'>): string {
  return `#${source.index} ${source.adapterName} ${source.subjectId}`;
}

/** One line per event, for logs and pipes. Messages pass through `redact`. */
export function plainProgress(stream: OutputStream, secrets: readonly string[]): ProgressView {
  const say = (source: Readonly<SourceProgress>, text: string) => stream.write(`${redact(`${sourceLabel(source)}: ${text}`, secrets)}\n`);
  return {
    update(change, source) {
      if (change === 'start') say(source, 'started');
      else if (change === 'page') say(source, `page ${source.pages}: ${plural(source.reviews, 'review')} so far`);
      else if (change === 'retry' && source.lastRetry) {
        say(source, `retry ${source.lastRetry.attempt} in ${formatDuration(source.lastRetry.delayMs)} after ${source.lastRetry.code}`);
      } else if (change === 'finish') say(source, `finished paging: ${plural(source.pages, 'page')}, ${plural(source.reviews, 'review')}`);
      else if (change === 'fail') say(source, source.error ? `failed: ${source.error.code}` : 'failed');
    },
    stop: () => {},
  };
}

/** The text of one live line, at most `width` columns wide, secrets removed. */
export function liveLine(
  source: Readonly<SourceProgress>,
  layout: { nameWidth: number; subjectWidth: number; width: number; frame: number; now: number },
  styles: Styles,
  secrets: readonly string[] = [],
): string {
  const icon =
    source.state === 'waiting'
      ? styles.dim('·')
      : source.state === 'running'
        ? styles.cyan(SPINNER[layout.frame % SPINNER.length] ?? '-')
        : source.state === 'finished'
          ? source.report && source.report.status !== 'ok'
            ? styles.yellow('!')
            : styles.green('✓')
          : styles.red('✗');
  const head = `${icon} ${pad(`#${source.index}`, 3)} ${pad(source.adapterName, layout.nameWidth)} ${pad(truncate(redact(source.subjectId, secrets), layout.subjectWidth), layout.subjectWidth)}`;
  const elapsed = source.startedAt === null ? null : (source.endedAt ?? layout.now) - source.startedAt;
  const parts: string[] = [];
  if (source.state === 'waiting') parts.push(styles.dim('waiting'));
  else {
    const reviews = source.report ? source.report.fetched : source.reviews;
    parts.push(plural(source.pages, 'page'), plural(reviews, 'review'));
    if (source.retries > 0 && source.lastRetry) {
      const retry = `${plural(source.retries, 'retry', 'retries')} (${source.lastRetry.code})`;
      parts.push(source.state === 'running' ? styles.yellow(retry) : retry);
    }
    if (elapsed !== null) parts.push(formatDuration(elapsed));
    if (source.state === 'failed') parts.push(styles.red(source.error ? `failed: ${source.error.code}` : 'failed'));
  }
  const line = `${head}  ${parts.join(styles.dim(' · '))}`;
  return visibleWidth(line) > layout.width ? cropVisible(line, layout.width) : line;
}

/**
 * Live lines on a terminal, redrawn ten times a second, cleared by `stop` (the summary table
 * that follows says how each source ended). Clearing also sidesteps cli-progress cropping its
 * last frame by string length, which would cut an ANSI color code in half.
 */
export async function liveProgress(stream: OutputStream, sources: readonly Readonly<SourceProgress>[], styles: Styles, secrets: readonly string[]): Promise<ProgressView> {
  const { default: cliProgress } = await import('cli-progress');
  const nameWidth = Math.max(...sources.map((s) => s.adapterName.length));
  const subjectWidth = Math.min(SUBJECT_WIDTH, Math.max(...sources.map((s) => s.subjectId.length)));
  const startedAt = performance.now();
  const multibar: MultiBar = new cliProgress.MultiBar({
    stream: stream as NodeJS.WritableStream,
    hideCursor: true,
    clearOnComplete: true,
    fps: 10,
    format: (_options, params, payload: { source: Readonly<SourceProgress> }) =>
      liveLine(
        payload.source,
        {
          nameWidth,
          subjectWidth,
          // One column spare: writing into the last one makes some terminals wrap anyway.
          width: Math.max(20, (params.maxWidth ?? 80) - 1),
          frame: Math.floor((performance.now() - startedAt) / 80),
          now: performance.now(),
        },
        styles,
        secrets,
      ),
  });
  for (const source of sources) multibar.create(1, 0, { source });
  return {
    // Lines read the shared state at each redraw; nothing to do per event.
    update: () => {},
    stop: () => multibar.stop(),
  };
}

/** Cuts a line with ANSI codes to `width` visible columns, closing any open style. */
function cropVisible(line: string, width: number): string {
  let out = '';
  let visible = 0;
  // Walk escape sequences (kept, zero width) and characters (counted).
  for (const match of line.matchAll(/\u001b\[[0-9;]*m|[\s\S]/gu)) {
    const token = match[0];
    if (token.startsWith('\u001b[')) {
      out += token;
      continue;
    }
    if (visible === width - 1) {
      out += '…';
      break;
    }
    out += token;
    visible++;
  }
  return line.includes('\u001b[') ? `${out}\u001b[0m` : out;
}
