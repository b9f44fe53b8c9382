// `reviewkit sandbox`: every built-in source's API served offline until Ctrl-C, and a config file
// pointing at it.
import { resolve } from 'node:path';
import { ReviewkitError } from 'reviewkit';
import type { Sandbox, SandboxOptions } from 'reviewkit/testing';
import type { CliContext } from '../context.js';
import { CliError, EXIT_CODES } from '../errors.js';
import { parseNumberFlag } from '../flags.js';
import { plural, stylesFor } from '../output.js';
import { writeOutput } from '../review-output.js';
import { sandboxConfig } from '../sandbox-config.js';
import { untilAborted } from '../signals.js';

const REQUEST_LOG_TRIM_MS = 60_000;

/** The flags of `sandbox`. */
export interface SandboxFlags {
  port?: string;
  seed?: string;
  latency?: string;
  failRate?: string;
  writeConfig?: string;
}

/** The sandbox settings the flags ask for. */
export function sandboxSettings(flags: SandboxFlags): { port: number; seed: string; latencyMs: number; failRate: number } {
  return {
    port: parseNumberFlag(flags.port ?? '0', '--port', { min: 0, max: 65_535, isInteger: true }),
    seed: flags.seed ?? '1',
    latencyMs: parseNumberFlag(flags.latency ?? '0', '--latency', { min: 0, max: 60_000 }),
    failRate: parseNumberFlag(flags.failRate ?? '0', '--fail-rate', { min: 0, max: 1 }),
  };
}

/** Starts a sandbox, turning its option errors (a busy port) into the CLI's. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  // Loaded here, after the flags are read: the sandbox brings every adapter with it.
  const { createSandbox } = await import('reviewkit/testing');
  try {
    return await createSandbox(options);
  } catch (error) {
    // The sandbox words its option errors for the API (`port`); here they are flags.
    if (ReviewkitError.is(error) && error.code === 'CONFIG') throw new CliError(error.message.replace('`port`', '--port'));
    throw error;
  }
}

/** Runs `sandbox` until `ctx.signal` aborts; resolves to its exit code. */
export async function runSandbox(flags: SandboxFlags, ctx: CliContext): Promise<number> {
  const settings = sandboxSettings(flags);
  const styles = stylesFor(ctx.stderr, ctx.env);
  const sandbox = await startSandbox(settings);
  const { SANDBOX_SOURCES } = await import('reviewkit/testing');
  let served = 0;
  try {
    const config = `${JSON.stringify(sandboxConfig(sandbox, SANDBOX_SOURCES, settings), null, 2)}\n`;
    if (flags.writeConfig !== undefined) await writeOutput(config, resolve(ctx.cwd, flags.writeConfig), ctx.stdout);
    else ctx.stdout.write(config);
    const file = flags.writeConfig ?? 'sandbox.json';
    const faults = [settings.latencyMs > 0 ? `${settings.latencyMs} ms latency` : '', settings.failRate > 0 ? `${settings.failRate * 100}% of requests failing` : ''].filter(Boolean);
    ctx.stderr.write(
      [
        `${styles.green('Sandbox ready')} on ${styles.bold(sandbox.url)}: ${plural(SANDBOX_SOURCES.length, 'source')}, seed ${sandbox.seed}${faults.length > 0 ? `, ${faults.join(', ')}` : ''}.`,
        flags.writeConfig === undefined
          ? `The config above points every source at it. Save it as ${file}, then: reviewkit fetch --config ${file}`
          : `Config written to ${file}. Try: reviewkit fetch --config ${file}`,
        styles.dim('Press Ctrl-C to stop.'),
        '',
      ].join('\n'),
    );
    // The sandbox logs every request; a server left running for days must not grow without end.
    const trim = setInterval(() => {
      served += sandbox.requests.length;
      sandbox.clearRequests();
    }, REQUEST_LOG_TRIM_MS);
    trim.unref();
    try {
      await untilAborted(ctx.signal);
    } finally {
      clearInterval(trim);
    }
  } finally {
    await sandbox.close();
  }
  served += sandbox.requests.length;
  ctx.stderr.write(`Sandbox stopped after ${plural(served, 'request')}.\n`);
  return EXIT_CODES.ok;
}
