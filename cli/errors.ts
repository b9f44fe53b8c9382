// What the CLI does with a failure: one line on stderr that says what to fix, and an exit code a
// script can branch on. Stack traces are for bugs only (REVIEWKIT_DEBUG=1 shows them).

/** Exit codes of every `reviewkit` command. */
export const EXIT_CODES = {
  /** Everything asked for was done. */
  ok: 0,
  /** Nothing useful was done: a usage, config or input error (the message says which). */
  error: 1,
  /** `fetch`, `sync`: some sources failed (the others' work was done); `reply`: the request failed. */
  partial: 2,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

/**
 * An error the user can fix (bad flag, bad config, unreadable file). Its message is shown as is,
 * without a stack.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** Process exit code. */
    readonly exitCode: number = EXIT_CODES.error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The text to show for a failure, secrets removed: a {@link CliError}'s or `ReviewkitError`'s
 * message as is, anything else as an unexpected error (with its stack only when `isDebug`).
 */
export async function describeFailure(error: unknown, secrets: readonly string[], isDebug: boolean): Promise<string> {
  // Loaded here, not at start-up: `--help` and `--version` never need the library.
  const { ReviewkitError, redact } = await import('reviewkit');
  if (error instanceof CliError) return redact(error.message, secrets);
  if (ReviewkitError.is(error)) return redact(error.message, secrets);
  const detail = error instanceof Error ? (isDebug && error.stack ? error.stack : `${error.name}: ${error.message}`) : String(error);
  const hint = isDebug ? '' : ' (set REVIEWKIT_DEBUG=1 to see where it came from)';
  return redact(`unexpected error: ${detail}${hint}. This is a bug in reviewkit; please report it.`, secrets);
}
