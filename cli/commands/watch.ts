// `reviewkit watch`: its options and help. The work is in actions/watch.ts, loaded only when the
// command runs.
import { Command } from 'commander';
import type { WatchFlags } from '../actions/watch.js';
import type { CliContext } from '../context.js';
import { DEFAULT_CONFIG_FILE, DEFAULT_WEBHOOK_SECRET_ENV } from '../parameters.js';
import { STORE_HELP } from './sync.js';

const HELP_AFTER = `
Polls every source of the config into the store (as \`reviewkit sync\` does) every --interval, and
prints what changed, one JSON object per line, for piping into other tools:

  {"type":"new","id":"…","review":{…}}           a review the store did not have
  {"type":"updated","id":"…","review":{…}}       a stored review whose text, rating or replies changed
  {"type":"needs-reply","id":"…","review":{…}}   a negative review (≤ 2 stars or negative) still
                                                 without a reply --needs-reply-after its date; once

"id" is the event's id: the same event always has the same one. The first poll of an empty store
reports every review as new: run \`reviewkit sync\` once first to fill it quietly. A source that
fails sits out 1, 2, 4 … polls; the others carry on.

Alerts: --webhook URL posts each event as JSON, signed with HMAC-SHA256 (headers
X-Reviewkit-Signature: sha256=<hex of HMAC(secret, "<timestamp>.<body>")> and
X-Reviewkit-Timestamp); the secret is read from the environment variable --webhook-secret-env
names (default ${DEFAULT_WEBHOOK_SECRET_ENV}), never from the command line. --slack URL (or
--slack-env NAME, to keep the URL, which is its own secret, off the command line) posts a message
to a Slack incoming webhook. An event whose delivery fails stays in the store and is retried on
the next poll, including after a restart.

${STORE_HELP}

Ctrl-C (or SIGTERM) stops it cleanly: requests in flight are cancelled and it exits 0.

Exit codes: 0 stopped by Ctrl-C; 1 usage, config or store error.

Examples:
  $ reviewkit watch --store reviews/ --interval 15m
  $ reviewkit watch --store sqlite:reviews.db | jq -c 'select(.type == "needs-reply") | .review.url'
  $ ${DEFAULT_WEBHOOK_SECRET_ENV}=$(cat hook.secret) reviewkit watch --store reviews/ --webhook https://example.com/hooks/reviews
  $ SLACK_URL=https://hooks.slack.com/services/… reviewkit watch --store reviews/ --slack-env SLACK_URL --quiet
`;

/** The `watch` command. */
export function watchCommand(ctx: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('watch')
    .description('poll the sources into a store and print new, updated and needs-reply events as NDJSON')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('-s, --store <store>', 'where reviews are kept: a folder, or sqlite:PATH (default: the config\'s "store")')
    .option('-i, --interval <duration>', 'time between polls: 30s, 15m, 1h', '15m')
    .option('--needs-reply-after <duration>', 'how long a negative review may wait for a reply before its needs-reply event', '24h')
    .option('--webhook <url>', 'also POST each event, signed, to this URL')
    .option('--webhook-secret-env <name>', `environment variable holding the webhook's signing secret (default: ${DEFAULT_WEBHOOK_SECRET_ENV})`)
    .option('--slack <url>', 'also post each event to this Slack incoming webhook')
    .option('--slack-env <name>', 'environment variable holding the Slack incoming webhook URL')
    .option('-q, --quiet', 'no line per poll on stderr; only failures')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: WatchFlags) => {
      const { runWatch } = await import('../actions/watch.js');
      setExitCode(await runWatch(flags, ctx));
    });
}
