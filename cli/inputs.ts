// What `score` and `report` share: reading the review files named on the command line and the
// instant to score them as of.
import type { CliContext } from './context.js';
import { parseDateFlag } from './dates.js';
import { loadReviewFiles, type LoadedReviews } from './review-files.js';

/** Flags of every command that reads review files. */
export interface ReadFlags {
  asOf?: string;
  skipInvalid?: boolean;
}

/** Most skipped rows listed one by one on stderr; the rest are counted. */
const MAX_LISTED_SKIPS = 10;

/** Reads the files (skipped rows listed on stderr) and the `--as-of` instant (default now). */
export async function readInputs(files: readonly string[], flags: ReadFlags, ctx: CliContext): Promise<{ loaded: LoadedReviews; asOf: Date }> {
  const now = new Date();
  const asOf = flags.asOf === undefined ? now : parseDateFlag(flags.asOf, '--as-of', now);
  let skips = 0;
  const loaded = await loadReviewFiles(files, {
    cwd: ctx.cwd,
    stdin: ctx.stdin,
    signal: ctx.signal,
    skipInvalid: flags.skipInvalid === true,
    onSkip: (message) => {
      skips++;
      if (skips <= MAX_LISTED_SKIPS) ctx.stderr.write(`skipped ${message}\n`);
    },
  });
  if (skips > MAX_LISTED_SKIPS) ctx.stderr.write(`skipped ${skips - MAX_LISTED_SKIPS} more invalid rows\n`);
  return { loaded, asOf };
}
