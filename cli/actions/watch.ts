// `reviewkit watch`: the config's sources polled into a store until Ctrl-C, each event printed as
// one NDJSON line on stdout and delivered to the webhook / Slack sinks asked for.
import { resolve } from 'node:path';
import { type PollReport, redact, ReviewkitError, type Sink, toSlack, toWebhook, watch } from 'reviewkit';
import { loadConfig } from '../config.js';
import type { CliContext } from '../context.js';
import { CliError, EXIT_CODES } from '../errors.js';
import { formatDurationFlag, parseDurationFlag } from '../flags.js';
import { plural, type Styles, stylesFor } from '../output.js';
import { DEFAULT_CONFIG_FILE, DEFAULT_WEBHOOK_SECRET_ENV } from '../parameters.js';
import { describeStore, openStore, storeLocation } from '../store.js';

/** The flags of `watch`. */
export interface WatchFlags {
  config?: string;
  store?: string;
  interval?: string;
  needsReplyAfter?: string;
  webhook?: string;
  webhookSecretEnv?: string;
  slack?: string;
  slackEnv?: string;
  quiet?: boolean;
}

const HOUR_MS = 3_600_000;
/** Shortest polling interval: a second, for trying it out against the sandbox. */
const MIN_INTERVAL_MS = 1000;
const MAX_INTERVAL_MS = 30 * 24 * HOUR_MS;
/** What `toWebhook` asks of a secret. */
const MIN_SECRET_LENGTH = 16;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Runs `watch` until `ctx.signal` aborts; resolves to its exit code. */
export async function runWatch(flags: WatchFlags, ctx: CliContext): Promise<number> {
  const intervalMs = parseDurationFlag(flags.interval ?? '15m', '--interval', { minMs: MIN_INTERVAL_MS, maxMs: MAX_INTERVAL_MS });
  const needsReplyAfterMs = parseDurationFlag(flags.needsReplyAfter ?? '24h', '--needs-reply-after', { minMs: 0, maxMs: 365 * 24 * HOUR_MS });
  const sinks = alertSinks(flags, ctx);
  const configFile = flags.config ?? DEFAULT_CONFIG_FILE;
  const config = await loadConfig(resolve(ctx.cwd, configFile), ctx.env, configFile);
  for (const secret of config.secrets) ctx.secrets.add(secret);
  const secrets = [...ctx.secrets];
  const location = storeLocation(flags.store, config.store, ctx.cwd, { command: 'watch', configFile });
  const styles = stylesFor(ctx.stderr, ctx.env);
  const say = (text: string) => ctx.stderr.write(`${redact(text, secrets)}\n`);

  const store = openStore(location);
  try {
    if (!flags.quiet) {
      const alerts = sinks.length === 0 ? '' : `; alerts to ${sinks.map((sink) => sink.label).join(' and ')}`;
      say(
        styles.dim(
          `Watching ${plural(config.sources.length, 'source')} into ${describeStore(location, ctx.cwd)} every ${formatDurationFlag(intervalMs)}${alerts}. Events go to stdout, one JSON object per line. Ctrl-C stops.`,
        ),
      );
    }
    const events = watch(
      config.sources.map((source) => source.adapter),
      {
        ...config.run,
        store,
        intervalMs,
        needsReplyAfterHours: needsReplyAfterMs / HOUR_MS,
        sinks: sinks.map((sink) => sink.deliver),
        signal: ctx.signal,
        onPoll: (report) => {
          for (const line of describePoll(report, intervalMs, flags.quiet === true, styles)) say(line);
        },
      },
    );
    for await (const event of events) ctx.stdout.write(`${JSON.stringify({ type: event.type, id: event.id, review: event.review })}\n`);
  } catch (error) {
    if (ReviewkitError.is(error) && error.code === 'ABORTED') return stopped(flags, say, styles);
    throw error;
  } finally {
    await store.close();
  }
  return stopped(flags, say, styles);
}

function stopped(flags: WatchFlags, say: (text: string) => void, styles: Styles): number {
  if (!flags.quiet) say(styles.dim('Stopped watching.'));
  return EXIT_CODES.ok;
}

/** A sink with the words that name it in messages (never its secret part). */
interface NamedSink {
  label: string;
  deliver: Sink;
}

/** The sinks the flags ask for; their secrets join `ctx.secrets`. */
function alertSinks(flags: WatchFlags, ctx: CliContext): NamedSink[] {
  const sinks: NamedSink[] = [];
  if (flags.webhook !== undefined) {
    const name = flags.webhookSecretEnv ?? DEFAULT_WEBHOOK_SECRET_ENV;
    const secret = readEnv(name, '--webhook-secret-env', ctx);
    if (secret === undefined) {
      throw new CliError(
        `--webhook needs a signing secret in the environment variable ${name} (or name another with --webhook-secret-env). Make one with: openssl rand -hex 32`,
      );
    }
    ctx.secrets.add(secret);
    if (secret.length < MIN_SECRET_LENGTH) throw new CliError(`the webhook secret in ${name} is too short: use at least ${MIN_SECRET_LENGTH} characters (openssl rand -hex 32 makes a good one).`);
    sinks.push({ label: `the webhook at ${originOf(flags.webhook)}`, deliver: asCliError('--webhook', () => toWebhook(flags.webhook as string, { secret })) });
  } else if (flags.webhookSecretEnv !== undefined) {
    throw new CliError('--webhook-secret-env names the secret of --webhook; pass --webhook URL too.');
  }
  if (flags.slack !== undefined && flags.slackEnv !== undefined) throw new CliError('pass --slack URL or --slack-env NAME, not both.');
  const slackUrl = flags.slackEnv !== undefined ? readEnv(flags.slackEnv, '--slack-env', ctx) : flags.slack;
  if (flags.slackEnv !== undefined && slackUrl === undefined) throw new CliError(`--slack-env: the environment variable ${flags.slackEnv} is not set.`);
  if (slackUrl !== undefined) {
    // A Slack webhook URL's path is its secret.
    ctx.secrets.add(slackUrl);
    for (const part of slackUrl.split(/[/?#]/).filter((part) => part.length >= 8 && !part.includes('.'))) ctx.secrets.add(part);
    sinks.push({ label: 'Slack', deliver: asCliError('--slack', () => toSlack(slackUrl)) });
  }
  return sinks;
}

function readEnv(name: string, flag: string, ctx: CliContext): string | undefined {
  if (!ENV_NAME.test(name)) throw new CliError(`${flag} takes the name of an environment variable, like ${DEFAULT_WEBHOOK_SECRET_ENV}; got ${JSON.stringify(name)}`);
  const value = ctx.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Builds a sink, turning the library's option errors into the flag's. */
function asCliError(flag: string, make: () => Sink): Sink {
  try {
    return make();
  } catch (error) {
    if (ReviewkitError.is(error) && error.code === 'CONFIG') throw new CliError(`${flag}: the URL must be an http(s) URL.`);
    throw error;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the URL given';
  }
}

/** The lines on stderr after a poll: a summary (unless `isQuiet`), then its failures. */
function describePoll(report: PollReport, intervalMs: number, isQuiet: boolean, styles: Styles): string[] {
  const lines: string[] = [];
  const failed = report.sources.filter((source) => source.error !== undefined);
  if (!isQuiet) {
    const synced = report.sources.length - failed.length;
    const parts = [`${plural(synced, 'source')} synced`];
    if (failed.length > 0) parts.push(styles.red(`${failed.length} failed`));
    if (report.paused.length > 0) parts.push(styles.yellow(`${report.paused.length} paused`));
    parts.push(plural(report.events, 'event'));
    if (report.delivered > 0 || report.failed.length > 0) parts.push(`${report.delivered} delivered`);
    lines.push(`${styles.dim(new Date().toISOString())} poll ${report.poll}: ${parts.join(', ')}; next in about ${formatDurationFlag(intervalMs)}.`);
  }
  for (const source of failed) {
    lines.push(`${styles.red(`${source.source} ${source.subjectId}`)}: ${source.error?.code}: ${source.error?.message}`);
  }
  for (const paused of report.paused) {
    lines.push(`${styles.yellow(`${paused.source} ${paused.subjectId}`)}: paused after ${plural(paused.failures, 'failure')}, until ${paused.until.toISOString()}`);
  }
  for (const failure of report.failed) {
    lines.push(`${styles.red(failure.sink.replace(/:.*$/, ''))}: delivery of event ${failure.eventId} failed (${failure.error}); it stays pending and is retried next poll.`);
  }
  return lines;
}
