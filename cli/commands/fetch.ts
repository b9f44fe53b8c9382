// `reviewkit fetch`: its options and help. The work is in actions/fetch.ts, loaded only when
// the command runs (so `--help` never loads the library).
import { Command, Option } from 'commander';
import type { FetchFlags } from '../actions/fetch.js';
import { ADAPTER_NAMES, ADAPTERS } from '../adapters.js';
import type { CliContext } from '../context.js';
import { DEFAULT_CONFIG_FILE, OUTPUT_FORMATS } from '../parameters.js';

const HELP_AFTER = `
Config file (JSON):
  {
    "sources": [
      { "adapter": "yelp",
        "options": { "apiKey": { "env": "YELP_API_KEY" }, "businessId": "acme-bistro-san-francisco" } },
      { "adapter": "google-business-profile",
        "options": { "accessToken": { "env": "GBP_TOKEN" }, "accountId": "123", "locationId": "456" } },
      { "adapter": "app-store", "options": { "appId": "1555550001", "countries": ["us", "gb"] } }
    ],
    "concurrency": 4,                  sources fetched at once (default 4)
    "timeoutMs": 30000,                per request (default 30000)
    "retry": { "attempts": 3 },        also baseDelayMs, maxDelayMs
    "maxPerSource": 500,               most reviews per source
    "maxPages": 1000,                  most pages per source
    "store": "reviews/"                where sync, watch and reply keep reviews (or "sqlite:reviews.db")
  }

  "options" are the adapter's own options (see the README's adapter table); every adapter also
  takes "baseUrl" (an API origin to use instead of the real one), "requestsPerSecond" and "http".
  Any option value may be { "env": "NAME" } (an environment variable; unset is an error) or
  { "file": "path" } (a file's text, relative to the config file). Keys and tokens are never
  printed. app-store-connect takes "issuerId", "keyId" and "privateKey" (e.g. { "file":
  "AuthKey_ABC123DEFG.p8" }) instead of "token": a fresh token is signed for each run.

Adapters and their required options:
${ADAPTER_NAMES.map((name) => `  ${name.padEnd(25)}${ADAPTERS[name].required}`).join('\n')}

Output:
  Reviews go to stdout (or --out FILE), newest first, deduplicated: NDJSON by default, a JSON
  array, or CSV (spreadsheet-safe). Progress and a per-source summary go to stderr; on a terminal
  progress is live, otherwise one plain line per event. #N is the source's index in "sources".

Exit codes:
  0  every source succeeded
  1  usage or config error (nothing fetched)
  2  one or more sources failed; the other sources' reviews were still written
  130 interrupted

Examples:
  $ reviewkit fetch                                   reads ./reviewkit.config.json
  $ reviewkit fetch --config shop.json --out reviews.ndjson
  $ reviewkit fetch --since 2026-01-01 --format csv --out reviews.csv
  $ reviewkit fetch --since 30d --quiet | reviewkit score -
`;

/** The `fetch` command. */
export function fetchCommand(ctx: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('fetch')
    .description('fetch reviews from every source in a config file')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('--since <date>', 'only reviews created or updated since: 2026-01-01, an ISO instant, or 30d')
    .addOption(new Option('-f, --format <format>', 'output format (default: from --out, else ndjson)').choices(OUTPUT_FORMATS))
    .option('-o, --out <file>', 'write reviews to this file instead of stdout')
    .option('-q, --quiet', 'no progress and no summary; only failures on stderr')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: FetchFlags) => {
      const { runFetch } = await import('../actions/fetch.js');
      setExitCode(await runFetch(flags, ctx));
    });
}
