// Words and number formats shared by `score` (terminal) and `report` (HTML), so both say the
// same thing the same way. Dates are shown in UTC, the zone the score helpers bucket in.
import type { ReputationComponent, ReputationComponentName } from 'reviewkit';

/** Human names of the reputation components. */
export const COMPONENT_LABELS: Readonly<Record<ReputationComponentName, string>> = {
  quality: 'Rating quality',
  volume: 'Review volume',
  recency: 'Recency',
  responseRate: 'Response rate',
  responseTime: 'Response time',
  diversity: 'Source diversity',
};

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  yelp: 'Yelp',
  'google-places': 'Google Maps',
  'google-business-profile': 'Google Business Profile',
  facebook: 'Facebook',
  trustpilot: 'Trustpilot',
  tripadvisor: 'Tripadvisor',
  'app-store': 'App Store',
  'google-play': 'Google Play',
  'schema-org': 'Web page',
  x: 'X',
  instagram: 'Instagram',
};

/** A source's display name (`Google Business Profile`); a custom adapter's name as is. */
export function sourceLabel(source: string | null): string {
  if (source === null) return 'Unknown source';
  return SOURCE_LABELS[source] ?? source;
}

/** What a component's `raw` measure means, in words (`4.12★ weighted average`). */
export function describeRaw(component: ReputationComponent, sourceCount: number): string {
  const { raw } = component;
  if (raw === null) return 'no data';
  switch (component.name) {
    case 'quality':
      return `${raw.toFixed(2)}★ weighted average`;
    case 'volume':
      return `${raw} review${raw === 1 ? '' : 's'} in the last 365 days`;
    case 'recency':
      return `newest review ${formatAge(raw)}`;
    case 'responseRate':
      return `${formatPercent(raw)} answered`;
    case 'responseTime':
      return `${formatHours(raw)} median to first reply`;
    case 'diversity':
      return `${raw} of ${sourceCount} source${sourceCount === 1 ? '' : 's'} rated in the last 365 days`;
  }
}

/** `72%`; `—` for null. */
export function formatPercent(fraction: number | null, digits = 0): string {
  return fraction === null ? '—' : `${(fraction * 100).toFixed(digits)}%`;
}

/** `+17`, `−8`, `0`; `—` for null. */
export function formatSigned(value: number | null, digits = 0): string {
  if (value === null) return '—';
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return (0).toFixed(digits);
  return `${value > 0 ? '+' : '−'}${text}`;
}

/** `3.90★`; `—` for null. */
export function formatStars(value: number | null, digits = 2): string {
  return value === null ? '—' : `${value.toFixed(digits)}★`;
}

/** `45 min`, `16.5 h`, `3.2 days`; `—` for null. */
export function formatHours(hours: number | null): string {
  if (hours === null) return '—';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 72) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

/** `less than a day ago`, `3 days ago`, `5 months ago` for an age in days. */
export function formatAge(days: number): string {
  if (days < 1) return 'less than a day ago';
  if (days < 2) return '1 day ago';
  if (days < 60) return `${Math.floor(days)} days ago`;
  if (days < 730) return `${Math.floor(days / 30.44)} months ago`;
  return `${Math.floor(days / 365.25)} years ago`;
}

const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
// en-US month abbreviations ("Sep", where en-GB writes "Sept"): three letters line up in charts.
const MONTH = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', year: 'numeric' });
const MONTH_SHORT = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short' });

/** `30 Jun 2026` (UTC). */
export function formatDay(date: Date): string {
  return DAY.format(date);
}

/** `Jun 2026` (UTC). */
export function formatMonth(date: Date): string {
  return MONTH.format(date);
}

/** `Jun` (UTC). */
export function formatMonthShort(date: Date): string {
  return MONTH_SHORT.format(date);
}

/** `2026-06-30` (UTC). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
