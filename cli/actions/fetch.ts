// `reviewkit fetch`: every source of a config file through `aggregate`, reviews to stdout or a
// file, progress and a per-source summary to stderr.
import { resolve } from 'node:path';
import { aggregate, ReviewkitError } from 'reviewkit';
import { loadConfig } from '../config.js';
import type { CliContext } from '../context.js';
import { parseDateFlag } from '../dates.js';
import { CliError, EXIT_CODES } from '../errors.js';
import { plural, stylesFor } from '../output.js';
import { DEFAULT_CONFIG_FILE } from '../parameters.js';
import { chooseFormat, serializeReviews, writeOutput } from '../review-output.js';
import { formatDetails, formatSummary } from '../summary.js';
import { trackedAdapters, trackSources } from '../tracked-run.js';

/** The flags of `fetch`. */
export interface FetchFlags {
  config?: string;
  since?: string;
  format?: string;
  out?: string;
  quiet?: boolean;
}

/** Runs `fetch`; resolves to its exit code. */
export async function runFetch(flags: FetchFlags, ctx: CliContext): Promise<number> {
  const now = new Date();
  const since = flags.since === undefined ? undefined : parseDateFlag(flags.since, '--since', now);
  const format = chooseFormat(flags.format, flags.out);
  const configFile = flags.config ?? DEFAULT_CONFIG_FILE;
  const config = await loadConfig(resolve(ctx.cwd, configFile), ctx.env, configFile);
  for (const secret of config.secrets) ctx.secrets.add(secret);
  const secrets = [...ctx.secrets];
  const styles = stylesFor(ctx.stderr, ctx.env);

  const { tracker, view } = await trackSources(config.sources, ctx, { isQuiet: flags.quiet === true, secrets, styles });

  let result: Awaited<ReturnType<typeof aggregate>>;
  try {
    result = await aggregate(trackedAdapters(config.sources, tracker), { ...config.run, ...(since && { since }), signal: ctx.signal, now });
  } catch (error) {
    view.stop();
    if (ReviewkitError.is(error) && error.code === 'ABORTED') throw new CliError('interrupted; nothing was written.', EXIT_CODES.interrupted);
    throw error;
  }
  tracker.settle(result.sources);
  view.stop();

  await writeOutput(serializeReviews(result.reviews, format), flags.out === undefined ? undefined : resolve(ctx.cwd, flags.out), ctx.stdout);

  const failed = tracker.sources.filter((source) => source.report?.error);
  if (flags.quiet) {
    if (failed.length > 0) ctx.stderr.write(`${formatDetails(failed, secrets, styles)}\n`);
  } else {
    ctx.stderr.write(`${formatSummary(tracker.sources, secrets, styles)}\n\n`);
    const where = flags.out === undefined ? 'to stdout' : `to ${flags.out}`;
    const outcome = failed.length === 0 ? styles.green('all sources succeeded') : styles.red(`${failed.length} of ${plural(tracker.sources.length, 'source')} failed`);
    ctx.stderr.write(`${plural(result.reviews.length, 'review')} (${format}) written ${where}; ${outcome}.\n`);
  }
  return failed.length === 0 ? EXIT_CODES.ok : EXIT_CODES.partial;
}
