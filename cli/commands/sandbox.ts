// `reviewkit sandbox`: its options and help. The work is in actions/sandbox.ts, loaded only when
// the command runs.
import { Command } from 'commander';
import type { SandboxFlags } from '../actions/sandbox.js';
import type { CliContext } from '../context.js';

const HELP_AFTER = `
Serves, on 127.0.0.1, an offline copy of every built-in source's API (13 endpoints: both Google
Places APIs and both App Store adapters) with seeded, invented reviews: the same paths, paging,
auth checks, error bodies and platform caps as the real APIs. It prints a config file whose
sources point at it ("baseUrl") with the sandbox's own credentials (invented, valid only there),
so every command that takes --config works against it. Same seed, same data, on any machine.

It runs until Ctrl-C (or SIGTERM), then closes every connection and exits 0.

Output:
  stdout  the config (JSON), unless --write-config FILE writes it to a file
  stderr  the sandbox's URL and what to run next

Exit codes: 0 stopped by Ctrl-C; 1 a bad flag or a busy port.

Examples:
  $ reviewkit sandbox --write-config sandbox.json
  $ reviewkit fetch --config sandbox.json --out reviews.ndjson        (in another terminal)
  $ reviewkit sandbox --port 8080 --seed 7 --latency 200 --fail-rate 0.1 > sandbox.json
  $ reviewkit sync --config sandbox.json --store reviews/
`;

/** The `sandbox` command. */
export function sandboxCommand(ctx: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('sandbox')
    .description('serve an offline sandbox of every built-in source, and print a config pointing at it')
    .option('-p, --port <port>', 'port on 127.0.0.1 (0: any free port)', '0')
    .option('--seed <seed>', 'seed of the data (a number or a word): same seed, same reviews', '1')
    .option('--latency <ms>', 'delay before every answer, in milliseconds', '0')
    .option('--fail-rate <p>', 'share of requests, 0 to 1, that fail as the source fails (rate limits, server errors)', '0')
    .option('-w, --write-config <file>', 'write the config to this file instead of stdout')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: SandboxFlags) => {
      const { runSandbox } = await import('../actions/sandbox.js');
      setExitCode(await runSandbox(flags, ctx));
    });
}
