// `reviewkit demo`: the sandbox started in this process, every built-in source fetched through
// its adapter as `fetch` fetches a config's sources, the score printed, and the reviews and their
// report written to the current directory.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { aggregate, type AggregateResult, ReviewkitError } from 'reviewkit';
import { SANDBOX_SOURCES } from 'reviewkit/testing';
import { buildConfig } from '../config.js';
import type { CliContext } from '../context.js';
import { CliError, EXIT_CODES } from '../errors.js';
import { computeFigures } from '../figures.js';
import { plural, stylesFor } from '../output.js';
import { DEMO_FILES } from '../parameters.js';
import { buildReportModel } from '../report/model.js';
import { renderReport } from '../report/page.js';
import { fromReview } from '../review-files.js';
import { serializeReviews, writeOutput } from '../review-output.js';
import { sandboxConfig } from '../sandbox-config.js';
import { breakdown, scoreHeadline } from '../score-text.js';
import { formatSummary } from '../summary.js';
import { trackedAdapters, trackSources } from '../tracked-run.js';
import { startSandbox } from './sandbox.js';

/** The flags of `demo`. */
export interface DemoFlags {
  seed?: string;
}

/** The report's title. */
const TITLE = 'Sandbox Bistro: demo report';

/** Runs `demo`; resolves to its exit code. */
export async function runDemo(flags: DemoFlags, ctx: CliContext): Promise<number> {
  const errStyles = stylesFor(ctx.stderr, ctx.env);
  const styles = stylesFor(ctx.stdout, ctx.env);
  const sandbox = await startSandbox({ seed: flags.seed ?? '1' });
  try {
    ctx.stderr.write(
      `${errStyles.dim(`Sandbox on ${sandbox.url}: offline copies of ${SANDBOX_SOURCES.length} review APIs, seeded data (seed ${sandbox.seed}). Fetching…`)}\n`,
    );
    // The sources go the way a user's config goes: JSON options, the config's adapter names.
    const config = await buildConfig(sandboxConfig(sandbox, SANDBOX_SOURCES), join(ctx.cwd, 'sandbox.json'), {}, 'the sandbox config');
    const secrets = config.secrets;
    // The data is dated around the sandbox's clock, never the wall clock: the figures are the
    // same on every run.
    const asOf = sandbox.now();
    const { tracker, view } = await trackSources(config.sources, ctx, { isQuiet: false, secrets, styles: errStyles });
    let result: AggregateResult;
    try {
      result = await aggregate(trackedAdapters(config.sources, tracker), { ...config.run, signal: ctx.signal, now: asOf });
    } catch (error) {
      view.stop();
      if (ReviewkitError.is(error) && error.code === 'ABORTED') throw new CliError('interrupted; nothing was written.', EXIT_CODES.interrupted);
      throw error;
    }
    tracker.settle(result.sources);
    view.stop();

    const reviews = result.reviews.map(fromReview);
    const model = buildReportModel(reviews, { asOf, title: TITLE, files: [DEMO_FILES.reviews] });
    await writeOutput(serializeReviews(result.reviews, 'ndjson'), join(ctx.cwd, DEMO_FILES.reviews), ctx.stdout);
    const reportPath = join(ctx.cwd, DEMO_FILES.report);
    await writeOutput(renderReport(model), reportPath, ctx.stdout);

    const failed = tracker.sources.filter((source) => source.report?.error);
    const sourceCount = new Set(result.reviews.map((review) => review.source)).size;
    const figures = computeFigures(reviews, asOf);
    ctx.stdout.write(
      [
        styles.bold(`${plural(config.sources.length, 'source')} fetched through their adapters from the sandbox:`),
        formatSummary(tracker.sources, secrets, styles),
        '',
        ...scoreHeadline(figures, 'from the sandbox', sourceCount, styles),
        '',
        ...breakdown(figures, sourceCount, styles),
        '',
        `Wrote ${styles.bold(DEMO_FILES.reviews)} (${plural(result.reviews.length, 'review')}) and ${styles.bold(DEMO_FILES.report)} (the report).`,
        `Open the report: ${openCommand(DEMO_FILES.report)}   or ${pathToFileURL(reportPath).href}`,
        ...(failed.length > 0 ? [styles.red(`${failed.length} of ${plural(tracker.sources.length, 'source')} failed: the sandbox should never fail; please report it.`)] : []),
        '',
      ].join('\n'),
    );
    return failed.length === 0 ? EXIT_CODES.ok : EXIT_CODES.partial;
  } finally {
    await sandbox.close();
  }
}

/** The shell command that opens a file in its default application on this platform. */
function openCommand(file: string): string {
  if (process.platform === 'darwin') return `open ${file}`;
  if (process.platform === 'win32') return `start ${file}`;
  return `xdg-open ${file}`;
}
