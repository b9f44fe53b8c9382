// `reviewkit demo`: its options and help. The work is in actions/demo.ts, loaded only when the
// command runs.
import { Command } from 'commander';
import type { DemoFlags } from '../actions/demo.js';
import type { CliContext } from '../context.js';
import { DEMO_FILES } from '../parameters.js';

const HELP_AFTER = `
Shows the whole library at work, offline, in a few seconds: starts the sandbox (an offline copy
of every built-in source's API with seeded, invented reviews) inside this process, fetches every
source through its adapter exactly as \`reviewkit fetch\` would, prints a table of the sources
and the reputation score with its breakdown, and writes two files in the current directory:

  ${DEMO_FILES.reviews.padEnd(24)}every review, one JSON object per line (read it with readReviews)
  ${DEMO_FILES.report.padEnd(24)}the report \`reviewkit report\` writes: score, charts, reviews needing a reply

The data is dated around the sandbox's fixed clock (2026-06-01 by default), and the score is
computed as of that instant, so the same seed prints the same figures on every machine.

Exit codes: 0 done; 1 a file could not be written; 2 a source failed (a bug: please report it).

Examples:
  $ reviewkit demo
  $ reviewkit demo --seed 7
  $ npm run demo                      in a clone of the repository, without building
`;

/** The `demo` command. */
export function demoCommand(ctx: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('demo')
    .description('try it offline: fetch every built-in source from a sandbox, print the score, write the reviews and a report here')
    .option('--seed <seed>', 'seed of the sandbox data (a number or a word)', '1')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: DemoFlags) => {
      const { runDemo } = await import('../actions/demo.js');
      setExitCode(await runDemo(flags, ctx));
    });
}
