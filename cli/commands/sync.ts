// `reviewkit sync`: its options and help. The work is in actions/sync.ts, loaded only when the
// command runs.
import { Command } from 'commander';
import type { SyncFlags } from '../actions/sync.js';
import type { CliContext } from '../context.js';
import { DEFAULT_CONFIG_FILE } from '../parameters.js';

/** The help text on stores, shared by `sync` and `watch`. */
export const STORE_HELP = `Store (--store, or "store" in the config file, relative to it):
  DIR           a file store: NDJSON files written crash-safe in DIR (created if missing)
  sqlite:PATH   an SQLite file (needs better-sqlite3: npm install better-sqlite3@12)
  One process at a time may use a file store.`;

const HELP_AFTER = `
Brings the store up to date with every source of the config (the config \`reviewkit fetch\`
reads; see \`reviewkit fetch --help\`). Each source is read only from its resume point (the newest
review its last complete run stored) minus a day of overlap, and every page is stored before the
next is requested: a run that is interrupted or fails part-way loses nothing, and the next one
continues where it stopped. Reviews are stored by id, never twice; a stored review whose text,
rating or replies changed counts as updated.

${STORE_HELP}

Output:
  stdout  one row per source: fetched, added, updated, unchanged; then the totals
          (--json: { store, added, updated, unchanged, sources: [...] })
  stderr  progress (live on a terminal), errors and warnings

Exit codes:
  0  every source synced
  1  usage, config or store error (nothing synced)
  2  one or more sources failed; the others were synced, and the failed ones keep their place
  130 interrupted (every page stored so far stays stored)

Examples:
  $ reviewkit sync --config reviewkit.config.json --store reviews/
  $ reviewkit sync --store sqlite:reviews.db --json | jq .added
  $ reviewkit sync --quiet                          cron: silent unless a source fails
`;

/** The `sync` command. */
export function syncCommand(ctx: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('sync')
    .description('bring a store up to date with every source of a config file, fetching only what is new')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('-s, --store <store>', 'where reviews are kept: a folder, or sqlite:PATH (default: the config\'s "store")')
    .option('--since <date>', 'never read reviews older than this: 2026-01-01, an ISO instant, or 30d')
    .option('--json', 'print the counts as JSON, for scripts')
    .option('-q, --quiet', 'no progress and no table; only failures on stderr')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: SyncFlags) => {
      const { runSync } = await import('../actions/sync.js');
      setExitCode(await runSync(flags, ctx));
    });
}
