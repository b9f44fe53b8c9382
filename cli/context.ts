import type { CliIo } from './output.js';

/** What every command runs with: its I/O and what it learns that the error handler needs. */
export interface CliContext extends CliIo {
  /** Credentials met during the run (a config's keys and tokens): removed from every message printed. */
  secrets: Set<string>;
  /** Aborts when the user interrupts (Ctrl-C). */
  signal: AbortSignal;
}

/** The context of the real process: its streams, environment and working directory. */
export function processContext(signal: AbortSignal): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    secrets: new Set(),
    signal,
  };
}
