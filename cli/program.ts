// The `reviewkit` program: its commands, shared output settings, and how a failure becomes a
// message and an exit code. Each command is its own module (options and help in commands/, the
// work in actions/, loaded only when it runs); adding one is two files and one line in COMMANDS.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { demoCommand } from './commands/demo.js';
import { fetchCommand } from './commands/fetch.js';
import { replyCommand } from './commands/reply.js';
import { reportCommand } from './commands/report.js';
import { sandboxCommand } from './commands/sandbox.js';
import { scoreCommand } from './commands/score.js';
import { syncCommand } from './commands/sync.js';
import { watchCommand } from './commands/watch.js';
import type { CliContext } from './context.js';
import { CliError, describeFailure, EXIT_CODES } from './errors.js';
import { hasColors, stylesFor } from './output.js';

/**
 * The installed package's version, read from its package.json (one folder up from both
 * `dist/cli.js` and `cli/program.ts`) rather than from the library, which `--version` would
 * otherwise have to load.
 */
function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest ? String(manifest.version) : 'unknown';
}

/** Makes a command; it reports its exit code through `setExitCode`. */
type CommandFactory = (ctx: CliContext, setExitCode: (code: number) => void) => Command;

const COMMANDS: readonly CommandFactory[] = [fetchCommand, scoreCommand, reportCommand, syncCommand, watchCommand, replyCommand, sandboxCommand, demoCommand];

const EXAMPLES: readonly (readonly [string, string?])[] = [
  ['reviewkit demo', 'see it work, offline, in a few seconds'],
  ['reviewkit fetch --config reviewkit.config.json --out reviews.ndjson'],
  ['reviewkit score reviews.ndjson'],
  ['reviewkit report reviews.ndjson --out report.html'],
  ['reviewkit sync --store reviews/', 'cron: only what is new since the last run'],
  ['reviewkit watch --store reviews/ --interval 15m', 'new, updated and needs-reply events as NDJSON'],
  ['reviewkit reply --review yelp:xAG4mz --text "Thank you!" --dry-run'],
  ['reviewkit sandbox --write-config sandbox.json', "every source's API, offline, to try things on"],
];

const HELP_AFTER = `
Examples:
${EXAMPLES.map(([command, note]) => (note ? `  $ ${command.padEnd(48)}  ${note}` : `  $ ${command}`)).join('\n')}

Data goes to stdout, progress and messages to stderr. Colors only on a terminal; NO_COLOR=1
turns them off, FORCE_COLOR=1 forces them. Exit codes: 0 success, 1 usage, config or input
error (reply: also rejected or unsupported), 2 some sources failed (fetch, sync) or the reply
request failed, 130 interrupted (sandbox and watch exit 0 on Ctrl-C: that is how they stop).
REVIEWKIT_DEBUG=1 shows stack traces of unexpected errors.

Run \`reviewkit <command> --help\` for a command's options and examples.`;

/**
 * Runs the CLI with `argv` (as `process.argv`: node, script, arguments) and returns the exit
 * code. Never throws: every failure is reported on `ctx.stderr`.
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  const errorStyles = stylesFor(ctx.stderr, ctx.env);
  const program = new Command('reviewkit')
    .description('Fetch customer reviews from many sites, score them, and report on them.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      getOutHasColors: () => hasColors(ctx.stdout, ctx.env),
      getErrHasColors: () => hasColors(ctx.stderr, ctx.env),
      outputError: (text, write) => write(`${errorStyles.red('error:')} ${text.replace(/^error: /, '')}`),
    })
    .configureHelp({ styleTitle: (text) => errorStyles.bold(text), showGlobalOptions: false })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText('after', HELP_AFTER);
  for (const make of COMMANDS) {
    const command = make(ctx, setExitCode);
    command.copyInheritedSettings(program);
    command.helpOption('-h, --help', 'show help');
    program.addCommand(command);
  }

  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end through here with code 0; usage errors were already printed.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.error;
    }
    const isDebug = ctx.env.REVIEWKIT_DEBUG !== undefined && ctx.env.REVIEWKIT_DEBUG !== '' && ctx.env.REVIEWKIT_DEBUG !== '0';
    ctx.stderr.write(`${errorStyles.red('error:')} ${await describeFailure(error, [...ctx.secrets], isDebug)}\n`);
    return error instanceof CliError ? error.exitCode : EXIT_CODES.error;
  }
}
