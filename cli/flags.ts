// Numbers and durations given on the command line (`--port`, `--fail-rate`, `--interval 15m`):
// read strictly, so a typo is an error naming the flag rather than a NaN or a silent default.
import { CliError } from './errors.js';

/** Limits of {@link parseNumberFlag}. */
export interface NumberLimits {
  min: number;
  max: number;
  /** Whole numbers only. */
  isInteger?: boolean;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Reads a number flag within `limits`.
 *
 * @throws CliError naming the flag and the accepted range.
 */
export function parseNumberFlag(value: string, flag: string, limits: NumberLimits): number {
  const text = value.trim();
  const number = NUMBER.test(text) ? Number(text) : Number.NaN;
  const isValid = Number.isFinite(number) && number >= limits.min && number <= limits.max && (!limits.isInteger || Number.isInteger(number));
  if (!isValid) {
    const kind = limits.isInteger ? 'a whole number' : 'a number';
    throw new CliError(`${flag} must be ${kind} from ${limits.min} to ${limits.max}; got ${JSON.stringify(value)}`);
  }
  return number;
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/**
 * Reads a duration flag: a number with a unit, `500ms`, `30s`, `15m`, `24h`, `2d`, in
 * milliseconds. A bare number is refused: `--interval 15` could mean seconds or minutes.
 *
 * @throws CliError naming the flag.
 */
export function parseDurationFlag(value: string, flag: string, limits: { minMs: number; maxMs: number } = { minMs: 0, maxMs: 365 * UNIT_MS.d }): number {
  const match = DURATION.exec(value.trim());
  const ms = match ? Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]) : Number.NaN;
  if (!(ms >= limits.minMs && ms <= limits.maxMs)) {
    throw new CliError(
      `${flag} must be a duration from ${formatDurationFlag(limits.minMs)} to ${formatDurationFlag(limits.maxMs)} with a unit, like 30s, 15m, 24h or 2d; got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** `15m`, `24h`, `1.5h`, `500ms`: a duration as {@link parseDurationFlag} reads it, in the largest unit that keeps it short. */
export function formatDurationFlag(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const amount = ms / UNIT_MS[unit];
    if (amount >= 1 && Number.isInteger(amount * 10)) return `${amount}${unit}`;
  }
  return `${ms}ms`;
}
