// `reviewkit reply`: a review found by id (in an export, a store, or its source), answered
// through the config's adapter that owns it, or only checked with --dry-run.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Adapter, type AggregateOptions, type ReplyResult, type Review, ReviewkitError, redact, reply } from 'reviewkit';
import { loadConfig } from '../config.js';
import type { CliContext } from '../context.js';
import { CliError, EXIT_CODES } from '../errors.js';
import { findReview, type ReviewOrigin, sourceOfId } from '../find-review.js';
import { plural, type Styles, stylesFor, truncate } from '../output.js';
import { DEFAULT_CONFIG_FILE } from '../parameters.js';
import { checkReply, type ReplyCheck } from '../reply-check.js';
import { parseStoreSpec } from '../store.js';

/** The flags of `reply`. */
export interface ReplyFlags {
  config?: string;
  review: string;
  text?: string;
  textFile?: string;
  from?: string;
  store?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** Runs `reply`; resolves to its exit code. */
export async function runReply(flags: ReplyFlags, ctx: CliContext): Promise<number> {
  sourceOfId(flags.review);
  if (flags.from !== undefined && flags.store !== undefined) throw new CliError('pass --from FILE or --store STORE, not both: the review is looked up in one place.');
  const text = await replyText(flags, ctx);
  const configFile = flags.config ?? DEFAULT_CONFIG_FILE;
  const config = await loadConfig(resolve(ctx.cwd, configFile), ctx.env, configFile);
  for (const secret of config.secrets) ctx.secrets.add(secret);
  const secrets = [...ctx.secrets];
  const origin: ReviewOrigin =
    flags.from !== undefined
      ? { kind: 'file', path: resolve(ctx.cwd, flags.from), shownAs: flags.from }
      : flags.store !== undefined
        ? { kind: 'store', location: parseStoreSpec(flags.store, ctx.cwd, '--store') }
        : config.store !== undefined
          ? { kind: 'store', location: config.store }
          : { kind: 'fetch', configFile };
  const review = await findReview(flags.review, origin, { config, cwd: ctx.cwd, signal: ctx.signal, secrets });
  const adapters = config.sources.map((source) => source.adapter);
  const check = checkReply(review, text, adapters);
  const styles = stylesFor(ctx.stdout, ctx.env);

  if (flags.dryRun) {
    const output = flags.json
      ? `${JSON.stringify({ dryRun: true, status: check.status, ...(check.reason !== undefined && { reason: check.reason }), review: review.id, adapter: check.adapter, rules: check.rules, textProblem: check.textProblem }, null, 2)}\n`
      : formatDryRun(review, text, check, styles);
    ctx.stdout.write(redact(output, secrets));
    return check.status === 'ready' ? EXIT_CODES.ok : EXIT_CODES.error;
  }
  // Nothing the source would refuse is sent: the same checks `reply()` makes first, worded for the command line.
  const result: ReplyResult =
    check.status === 'ready'
      ? await sendReply(review, text, adapters, { ...config.run, signal: ctx.signal })
      : { status: check.status, reply: null, ...(check.reason !== undefined && { reason: check.reason }) };
  ctx.stdout.write(redact(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatResult(review, result, styles), secrets));
  return replyExitCode(result);
}

/**
 * Answers `review` with `text` through the adapter among `adapters` that owns it (the library's
 * `reply()`), with the config's timeout and retry settings.
 *
 * @throws CliError with exit code 2 when the request fails, 130 when interrupted, 1 for a `CONFIG` error.
 */
export async function sendReply(
  review: Review,
  text: string,
  adapters: readonly Adapter[],
  options: Pick<AggregateOptions, 'timeoutMs' | 'retry'> & { signal: AbortSignal },
): Promise<ReplyResult> {
  try {
    return await reply(review, text, {
      adapters,
      signal: options.signal,
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.retry !== undefined && { retry: options.retry }),
    });
  } catch (error) {
    if (!ReviewkitError.is(error)) throw error;
    if (error.code === 'ABORTED') throw new CliError('interrupted: the reply may or may not have reached the source; check before sending it again.', EXIT_CODES.interrupted);
    if (error.code === 'CONFIG') throw error;
    throw new CliError(`the reply failed: ${error.code}: ${error.message}`, EXIT_CODES.partial);
  }
}

/** 0 for `published` and `pending`, 1 for `rejected` and `unsupported`. */
export function replyExitCode(result: ReplyResult): number {
  return result.status === 'published' || result.status === 'pending' ? EXIT_CODES.ok : EXIT_CODES.error;
}

/** The reply text: `--text`, or the file `--text-file` names (`-`: stdin) without its final line break. */
async function replyText(flags: ReplyFlags, ctx: CliContext): Promise<string> {
  if (flags.text !== undefined && flags.textFile !== undefined) throw new CliError('pass --text or --text-file, not both.');
  if (flags.text !== undefined) return flags.text;
  if (flags.textFile === undefined) throw new CliError('pass the reply with --text "…" or --text-file FILE.');
  if (flags.textFile === '-') {
    if ((ctx.stdin as { isTTY?: boolean }).isTTY) throw new CliError('--text-file - reads the reply from stdin, which is a terminal here: pipe it in, or use --text.');
    let text = '';
    for await (const chunk of ctx.stdin) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return text.replace(/\r?\n$/, '');
  }
  try {
    return (await readFile(resolve(ctx.cwd, flags.textFile), 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(`cannot read ${flags.textFile} (${code === 'ENOENT' ? 'no such file' : code}).`);
  }
}

const STATUS_COLORS = { published: 'green', pending: 'yellow', ready: 'green', rejected: 'red', unsupported: 'red' } as const;

/** `★★☆☆☆ by Jo B. on 2026-05-30: "Cold soup…"`: which review it is, at a glance. */
function describeReview(review: Review): string {
  const rating =
    review.stars !== null ? `${'★'.repeat(Math.round(review.stars))}${'☆'.repeat(5 - Math.round(review.stars))}` : review.recommendation ? `${review.recommendation} recommendation` : 'unrated';
  const by = review.author.name ? ` by ${review.author.name}` : '';
  const on = review.createdAt ? ` on ${review.createdAt.toISOString().slice(0, 10)}` : '';
  const body = review.text ?? review.title;
  return `${rating}${by}${on}${body ? `: ${JSON.stringify(truncate(body.replace(/\s+/g, ' '), 60))}` : ''}`;
}

function formatResult(review: Review, result: ReplyResult, styles: Styles): string {
  const lines = [`${styles.bold(styles[STATUS_COLORS[result.status]](result.status))}  ${review.id}  ${styles.dim(describeReview(review))}`];
  if (result.reason !== undefined) lines.push(`  ${result.reason}`);
  if (result.reply) lines.push(`  reply${result.reply.createdAt ? ` of ${result.reply.createdAt.toISOString()}` : ''}: ${JSON.stringify(result.reply.text)}`);
  return `${lines.join('\n')}\n`;
}

function formatDryRun(review: Review, text: string, check: ReplyCheck, styles: Styles): string {
  const verdict = check.status === 'ready' ? 'ready: the source can answer and the text keeps its rules' : check.status;
  const size = `${plural([...text].length, 'character')}, ${plural(Buffer.byteLength(text, 'utf8'), 'byte')} in UTF-8`;
  const rules = describeRules(check.rules);
  const lines = [
    `${styles.bold('dry run')} (nothing sent)  ${review.id}  ${styles.dim(describeReview(review))}`,
    `  source  ${check.adapter ?? styles.dim('no source of the config owns it')}`,
    `  text    ${size}; ${check.textProblem === null ? `keeps the rules (${rules})` : styles.red(check.textProblem)}`,
    `  result  ${styles.bold(styles[STATUS_COLORS[check.status]](verdict))}`,
  ];
  if (check.reason !== undefined) lines.push(`          ${check.reason}`);
  return `${lines.join('\n')}\n`;
}

function describeRules(rules: ReplyCheck['rules']): string {
  const parts: string[] = ['not empty'];
  if (rules.maxBytes !== undefined) parts.push(`at most ${rules.maxBytes.toLocaleString('en-US')} bytes`);
  if (rules.maxChars !== undefined) parts.push(`at most ${rules.maxChars.toLocaleString('en-US')} characters${rules.stripsHtml ? ' besides HTML tags' : ''}`);
  if (rules.noEmoji) parts.push('no emoji');
  return parts.join(', ');
}
