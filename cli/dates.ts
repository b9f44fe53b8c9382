// Dates given on the command line (`--since`, `--as-of`). Instants must be unambiguous: a local
// time without a zone is refused rather than read in whatever zone the machine happens to have.
import { CliError } from './errors.js';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const DAYS_AGO = /^(\d{1,5})d$/;

/**
 * Reads a date flag: `2026-01-01` (midnight UTC), an ISO 8601 instant with `Z` or an offset
 * (`2026-01-01T09:30:00+02:00`), or `N` days before `now` (`30d`).
 *
 * @throws CliError naming the flag when the value is none of these.
 */
export function parseDateFlag(value: string, flag: string, now: Date): Date {
  const text = value.trim();
  const daysAgo = DAYS_AGO.exec(text);
  if (daysAgo) return new Date(now.getTime() - Number(daysAgo[1]) * DAY_MS);
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const [year, month, day] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return date;
  } else if (INSTANT.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  throw new CliError(
    `${flag} must be a date like 2026-01-01 (midnight UTC), an instant with a zone like 2026-01-01T09:30:00Z, or a number of days ago like 30d; got ${JSON.stringify(value)}`,
  );
}
