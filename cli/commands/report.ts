// `reviewkit report`: its arguments and help. The work is in actions/report.ts, loaded only
// when the command runs.
import { Command } from 'commander';
import type { ReportFlags } from '../actions/report.js';
import type { CliContext } from '../context.js';
import { NEEDS_REPLY_DAYS } from '../parameters.js';
import { INPUT_HELP } from './input-help.js';

const HELP_AFTER = `
The page holds the reputation score and its breakdown, average rating, CSAT and NPS, the rating
distribution, the monthly rating trend with review volume, reviews per source, response rate
and time, and the negative reviews of the last ${NEEDS_REPLY_DAYS} days that have no reply, newest
first. It is one file with no external resources (no fonts, scripts or images to download):
open it offline, attach it to an e-mail, or print it. It follows the reader's light or dark mode.

${INPUT_HELP}

Exit codes: 0 written; 1 a missing, unreadable or invalid file, or no --out on a terminal.

Examples:
  $ reviewkit report reviews.ndjson --out report.html
  $ reviewkit report 2025.csv 2026.ndjson --title "Acme Bistro" --as-of 2026-07-01 --out acme.html
  $ reviewkit report reviews.ndjson > report.html
`;

/** The `report` command. */
export function reportCommand(ctx: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('report')
    .description('write an HTML report (score, charts, reviews that need a reply) of review files')
    .argument('<file...>', 'review files (.ndjson, .jsonl, .json, .csv), or - for NDJSON on stdin')
    .option('-o, --out <file>', 'the HTML file to write (default: stdout, when it is not a terminal)')
    .option('--title <text>', 'page title (default: the business name when there is one)')
    .option('--as-of <date>', 'figures as of this date: 2026-07-01 (midnight UTC) or an ISO instant (default: now)')
    .option('--skip-invalid', 'leave invalid rows out (listed on stderr) instead of failing')
    .addHelpText('after', HELP_AFTER)
    .action(async (files: string[], flags: ReportFlags) => {
      const { runReport } = await import('../actions/report.js');
      setExitCode(await runReport(files, flags, ctx));
    });
}
