// `reviewkit score`: its arguments and help. The work is in actions/score.ts, loaded only when
// the command runs.
import { Command } from 'commander';
import type { ScoreFlags } from '../actions/score.js';
import type { CliContext } from '../context.js';
import { FIGURE_CALLS } from '../parameters.js';
import { INPUT_HELP } from './input-help.js';

const HELP_AFTER = `
${INPUT_HELP}

--json prints what the library's helpers return for the merged reviews, dates as ISO strings:
${Object.entries(FIGURE_CALLS)
  .map(([key, call]) => `  ${key.padEnd(20)}${call}`)
  .join('\n')}
  plus asOf, reviews (after deduplication), rated, duplicates, and files: one
  { path, kind: 'reviews' | 'plain', format, rows, skipped } per file.

Exit codes: 0 scored; 1 a missing, unreadable or invalid file (the message names it and the line).

Examples:
  $ reviewkit score reviews.ndjson
  $ reviewkit score 2025.csv 2026.ndjson --as-of 2026-07-01
  $ reviewkit score reviews.ndjson --json | jq .reputation.score
  $ reviewkit fetch --quiet | reviewkit score -
`;

/** The `score` command. */
export function scoreCommand(ctx: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('score')
    .description('print the reputation score, ratings, responses and trend of review files')
    .argument('<file...>', 'review files (.ndjson, .jsonl, .json, .csv), or - for NDJSON on stdin')
    .option('--as-of <date>', 'score as of this date: 2026-07-01 (midnight UTC) or an ISO instant (default: now)')
    .option('--json', 'print the figures as JSON, for scripts')
    .option('--skip-invalid', 'leave invalid rows out (listed on stderr) instead of failing')
    .addHelpText('after', HELP_AFTER)
    .action(async (files: string[], flags: ScoreFlags) => {
      const { runScore } = await import('../actions/score.js');
      setExitCode(await runScore(files, flags, ctx));
    });
}
