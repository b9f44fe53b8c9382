// `reviewkit reply`: its options and help. The work is in actions/reply.ts, loaded only when the
// command runs.
import { Command } from 'commander';
import type { ReplyFlags } from '../actions/reply.js';
import type { CliContext } from '../context.js';
import { DEFAULT_CONFIG_FILE } from '../parameters.js';

const HELP_AFTER = `
Answers a review in public through its source's API, with the credentials of the config's
source that owns it (same source and business). The text is checked against the source's rules
(length in its unit, emoji, …) before any request; where the source keeps one reply per review,
the new one replaces the old.

Where the review is looked up (--review is its "id", e.g. google-business-profile:AbFvOq…):
  --from FILE    a file written by \`reviewkit fetch\` or the library (.ndjson, .json, .csv)
  --store STORE  a store filled by \`reviewkit sync\` or \`watch\` (a folder, or sqlite:PATH);
                 the config's "store" is used when neither --from nor --store is given
  otherwise      the config's sources of that kind are fetched until the review turns up

--dry-run sends nothing: it finds the review and its source, checks the text against the
source's rules and says whether the source can answer at all (and why not).

Output (stdout): the outcome, one of published (public now), pending (accepted, not public
yet), rejected (by the source's rules or by the source, with the reason) or unsupported (this
source or these credentials cannot answer through an API, with the reason), and the reply as it
now stands. --json prints the library's ReplyResult: { status, reply, reason? }; with --dry-run
{ dryRun: true, status: "ready" | "rejected" | "unsupported", reason?, review, adapter, rules,
textProblem }.

Exit codes:
  0  published or pending (--dry-run: the reply would be sent)
  1  rejected, unsupported, review not found, or a usage or config error
  2  the request failed (network, auth, quota): the message says why; nothing is known to be published
  130 interrupted

Examples:
  $ reviewkit reply --review google-business-profile:AbFvOq --text "Thank you, Jo!" --from reviews.ndjson
  $ reviewkit reply --review trustpilot:64b0… --text-file answer.txt --store reviews/ --dry-run
  $ reviewkit reply --config shop.json --review app-store:11223344 --text "Fixed in 4.3." --json
`;

/** The `reply` command. */
export function replyCommand(ctx: CliContext, setExitCode: (code: number) => void): Command {
  return new Command('reply')
    .description("answer a review in public through its source's API (or check that it could, with --dry-run)")
    .option('-c, --config <file>', 'config file (the sources and their credentials)', DEFAULT_CONFIG_FILE)
    .requiredOption('-r, --review <id>', 'the review\'s id, as in exports: "<source>:<externalId>"')
    .option('-t, --text <text>', 'the reply')
    .option('--text-file <file>', 'read the reply from this file (- for stdin); a final line break is dropped')
    .option('--from <file>', 'find the review in this export instead of fetching it')
    .option('-s, --store <store>', 'find the review in this store (a folder, or sqlite:PATH)')
    .option('-n, --dry-run', 'check the text and whether the source can answer; send nothing')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: ReplyFlags) => {
      const { runReply } = await import('../actions/reply.js');
      setExitCode(await runReply(flags, ctx));
    });
}
