/**
 * Scores a JSON file of reviews: plain objects with `stars`, `recommendation`, `createdAt`
 * (ISO string), `replies` and `source` — no need to build full Review objects.
 *
 *   npx tsx examples/score-file.ts examples/sample-reviews.json 2026-06-30T00:00:00Z
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  averageRating,
  bayesianAverage,
  csat,
  netPromoterScore,
  positiveShare,
  type RatingTrend,
  type ReputationScore,
  type ResponseTime,
  ratingDistribution,
  ratingTrend,
  reputationScore,
  responseRate,
  responseTime,
  type ScoreInput,
  type StarCounts,
  starRatingLowerBound,
  timeDecayedAverage,
} from 'reviewkit/scores';

// Validate the file once at the edge; the score helpers then trust their input's shape.
const FileSchema = z.array(
  z.object({
    source: z.string().nullable().default(null),
    stars: z.number().min(1).max(5).nullable().default(null),
    recommendation: z.enum(['positive', 'negative']).nullable().default(null),
    createdAt: z.iso.datetime({ offset: true }).nullable().default(null),
    replies: z.array(z.object({ createdAt: z.iso.datetime({ offset: true }).nullable().default(null) })).default([]),
  }),
);

/** Everything the script reports. */
export interface FileReport {
  reviews: number;
  average: number | null;
  distribution: StarCounts;
  bayesian: number;
  starLowerBound: number;
  decayed: number | null;
  csat: number | null;
  nps: number | null;
  recommendations: { positive: number; total: number; lowerBound: number };
  responseRate: number | null;
  responseTime: ResponseTime;
  trend: RatingTrend;
  reputation: ReputationScore;
}

/** Scores already-parsed reviews as of `asOf`. */
export function scoreReviews(reviews: readonly ScoreInput[], asOf: Date): FileReport {
  const recommendations = positiveShare(reviews.filter((r) => r.stars == null));
  return {
    reviews: reviews.length,
    average: averageRating(reviews),
    distribution: ratingDistribution(reviews),
    bayesian: bayesianAverage(reviews),
    starLowerBound: starRatingLowerBound(reviews),
    decayed: timeDecayedAverage(reviews, { asOf }),
    csat: csat(reviews),
    nps: netPromoterScore(reviews),
    recommendations: {
      positive: recommendations.positive,
      total: recommendations.total,
      lowerBound: recommendations.lowerBound,
    },
    responseRate: responseRate(reviews, { asOf, windowDays: 365 }),
    responseTime: responseTime(reviews, { asOf, windowDays: 365 }),
    trend: ratingTrend(reviews, { interval: 'quarter', asOf, periods: 4 }),
    reputation: reputationScore(reviews, { asOf }),
  };
}

/** Reads, validates and scores a JSON file of reviews. */
export async function scoreFile(path: string, asOf: Date): Promise<FileReport> {
  const reviews = FileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  return scoreReviews(reviews, asOf);
}

const fixed = (value: number | null, digits = 2) => (value === null ? '—' : value.toFixed(digits));

/** Human-readable lines for the report. */
export function formatReport(report: FileReport): string {
  const { reputation, trend, responseTime: time } = report;
  const lines = [
    `${report.reviews} reviews · average ${fixed(report.average)}★ · distribution 1★..5★ ${report.distribution.join('/')}`,
    `Bayesian ${fixed(report.bayesian)}★ · lower bound ${fixed(report.starLowerBound)}★ · decayed ${fixed(report.decayed)}★`,
    `CSAT ${fixed(report.csat === null ? null : report.csat * 100, 0)}% · NPS ${fixed(report.nps, 0)} · recommendations ${report.recommendations.positive}/${report.recommendations.total} positive`,
    `Responses: rate ${fixed(report.responseRate === null ? null : report.responseRate * 100, 0)}% · median ${fixed(time.medianHours, 1)} h over ${time.measured}`,
    '',
    `Reputation score: ${fixed(reputation.score, 1)} / 100 (coverage ${fixed(reputation.coverage * 100, 0)}%)`,
    ...reputation.components.map(
      (c) => `  ${c.name.padEnd(13)} value ${fixed(c.value).padStart(4)}  weight ${fixed(c.effectiveWeight)}  points ${fixed(c.points, 1).padStart(5)}`,
    ),
  ];
  const change = trend.change;
  if (change) {
    const verdict =
      change.pValue === null
        ? 'too few ratings to test'
        : `${change.isSignificant ? 'significant' : 'not significant'} (p = ${fixed(change.pValue, 3)})`;
    lines.push('', `Last quarter vs the one before: ${change.delta >= 0 ? '+' : ''}${fixed(change.delta)}★, ${verdict}`);
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = process.argv[2] ?? new URL('./sample-reviews.json', import.meta.url).pathname;
  const asOf = new Date(process.argv[3] ?? Date.now());
  console.log(formatReport(await scoreFile(path, asOf)));
}
