/**
 * Every formula against values computed independently by test/scores/reference.py (Python
 * stdlib, written from scores.md, not from this code). The literals below are that script's
 * output, pasted verbatim with their inputs; re-run it after changing an input:
 *   python3 test/scores/reference.py
 */
import { describe, expect, it } from 'vitest';
import {
  bayesianAverage,
  csat,
  netPromoterScore,
  positiveShare,
  ratingTrend,
  reputationScore,
  responseRate,
  responseTime,
  type SampleSummary,
  type ScoreInput,
  starRatingLowerBound,
  studentTCdf,
  timeDecayedAverage,
  welchTTest,
  wilsonLowerBound,
} from '../../src/scores/index.js';

const TOLERANCE = 1e-6;

function expectClose(actual: number | null | undefined, expected: number | null): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).toBeTypeOf('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(TOLERANCE);
}

function summary(values: readonly number[]): SampleSummary {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { count: values.length, mean, variance };
}

function fromCounts(counts: readonly number[]): ScoreInput[] {
  return counts.flatMap((n, k) => Array.from({ length: n }, () => ({ stars: k + 1 })));
}

const REFERENCE = {
  wilson: [
    {"positive": 0, "total": 0, "z": 1.96, "expected": 0.0},
    {"positive": 5, "total": 10, "z": 1.96, "expected": 0.2365895936154873},
    {"positive": 9, "total": 10, "z": 1.96, "expected": 0.5958436145024277},
    {"positive": 0, "total": 10, "z": 1.96, "expected": 0.0},
    {"positive": 10, "total": 10, "z": 1.96, "expected": 0.7224598312333834},
    {"positive": 1, "total": 1, "z": 1.96, "expected": 0.20654329147389294},
    {"positive": 430, "total": 474, "z": 1.96, "expected": 0.8776750858242243},
    {"positive": 2.5, "total": 4, "z": 1.96, "expected": 0.2194220423751511},
    {"positive": 9, "total": 10, "z": 1.644854, "expected": 0.6522812652738992},
    {"positive": 9, "total": 10, "z": 0, "expected": 0.9},
    {"positive": 999999, "total": 1000000, "z": 1.96, "expected": 0.999994334942477},
    {"positive": 1, "total": 1000000000.0, "z": 2.326348, "expected": 1.3746786926014794e-10},
  ],
  star: [
    {"counts": [0, 0, 0, 0, 0], "z": 1.65, "expected": 2.0473720558371173},
    {"counts": [0, 0, 0, 0, 10], "z": 1.65, "expected": 3.818855442651916},
    {"counts": [10, 0, 0, 0, 0], "z": 1.65, "expected": 1.1521887759852496},
    {"counts": [25, 20, 75, 80, 60], "z": 1.65, "expected": 3.3684307456209077},
    {"counts": [1, 2, 3, 4, 5], "z": 1.96, "expected": 2.934196736194167},
    {"counts": [134055, 57472, 143135, 365957, 1448459], "z": 1.65, "expected": 4.365495102404818},
    {"counts": [0, 0, 0, 0, 1], "z": 0, "expected": 3.333333333333333},
    {"counts": [0, 0, 0, 0, 0], "z": 10, "expected": 1.0},
    {"counts": [0, 0, 0, 0, 1000000], "z": 1.65, "expected": 4.999980962692568},
  ],
  bayes: [
    {"stars": [5], "priorMean": 3.5, "priorWeight": 7, "expected": 3.6875},
    {"stars": [], "priorMean": 3.5, "priorWeight": 7, "expected": 3.5},
    {"stars": [5, 5, 5, 5, 5, 5, 5, 5, 5, 5], "priorMean": 3.0, "priorWeight": 5, "expected": 4.333333333333333},
    {"stars": [1, 2, 3, 4, 5, 4.5, 3.25], "priorMean": 3.5, "priorWeight": 7, "expected": 3.375},
    {"stars": [4, 5], "priorMean": 4.2, "priorWeight": 0, "expected": 4.5},
    {"stars": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "priorMean": 3.5, "priorWeight": 7, "expected": 1.0173783515392254},
  ],
  decay: {
    reviews: [
      {"stars": 5, "createdAt": "2026-06-01T00:00:00Z"},
      {"stars": 4, "createdAt": "2026-03-15T08:30:00Z"},
      {"stars": 2, "createdAt": "2025-11-20T12:00:00Z"},
      {"stars": 3.5, "createdAt": "2025-01-02T00:00:00Z"},
      {"stars": 1, "createdAt": "2023-07-04T16:45:00Z"},
      {"stars": 5, "createdAt": "2026-07-10T00:00:00Z"},
      {"stars": null, "createdAt": "2026-06-20T00:00:00Z"},
      {"stars": 4, "createdAt": null},
    ],
    cases: [
      {"asOf": "2026-07-01T00:00:00Z", "halfLifeDays": 180, "priorWeight": 0, "priorMean": 3.5, "expected": 4.3005708918108585},
      {"asOf": "2026-12-29T00:00:00Z", "halfLifeDays": 180, "priorWeight": 0, "priorMean": 3.5, "expected": 4.3084040056602},
      {"asOf": "2026-07-01T00:00:00Z", "halfLifeDays": 180, "priorWeight": 7, "priorMean": 3.5, "expected": 3.7464651783387706},
      {"asOf": "2026-12-29T00:00:00Z", "halfLifeDays": 180, "priorWeight": 7, "priorMean": 3.5, "expected": 3.647972099458071},
      {"asOf": "2026-07-01T00:00:00Z", "halfLifeDays": 30, "priorWeight": 0, "priorMean": 3.5, "expected": 4.936620484297547},
      {"asOf": "2026-07-01T00:00:00Z", "halfLifeDays": 1, "priorWeight": 2, "priorMean": 4.0, "expected": 4.333333333540294},
    ],
  },
  shares: {
    reviews: [
      {"stars": 5},
      {"stars": 5},
      {"stars": 4.5},
      {"stars": 4},
      {"stars": 3.5},
      {"stars": 3.49},
      {"stars": 3},
      {"stars": 1},
      {"stars": null},
      {"recommendation": "positive"},
      {"recommendation": "positive"},
      {"recommendation": "negative"},
      {"stars": 2, "recommendation": "positive"},
    ],
    withRecommendations: {"csat": 0.5833333333333334, "nps": 0.0, "positive": 7, "total": 12, "lowerBound": 0.3195073356553728},
    starsOnly: {"csat": 0.5555555555555556, "nps": -11.11111111111111, "positive": 5, "total": 9, "lowerBound": 0.26664734574402965},
  },
  response: {
    reviews: [
      {"source": "google-business-profile", "createdAt": "2026-01-01T00:00:00Z", "replies": [{"createdAt": "2026-01-01T02:00:00Z"}]},
      {"source": "google-business-profile", "createdAt": "2026-01-02T00:00:00Z", "replies": [{"createdAt": "2026-01-02T05:00:00Z"}, {"createdAt": "2026-01-03T00:00:00Z"}]},
      {"source": "facebook", "createdAt": "2026-01-03T00:00:00Z", "replies": [{"createdAt": "2026-01-04T06:00:00Z"}]},
      {"source": "trustpilot", "createdAt": "2026-01-04T00:00:00Z", "replies": []},
      {"source": "tripadvisor", "createdAt": "2026-01-05T00:00:00Z", "replies": [{"createdAt": "2026-01-13T08:00:00Z"}]},
      {"source": "yelp", "createdAt": "2026-01-06T00:00:00Z", "replies": []},
      {"source": "x", "createdAt": "2026-01-06T00:00:00Z"},
    ],
    expected: {"rate": 0.8, "medianHours": 17.5, "meanHours": 59.25, "responded": 4, "measured": 4, "withinSla": 0.5},
    extraReviews: [
      {"source": "google-business-profile", "createdAt": "2026-01-01T00:00:00Z", "replies": [{"createdAt": "2026-01-01T02:00:00Z"}]},
      {"source": "google-business-profile", "createdAt": "2026-01-02T00:00:00Z", "replies": [{"createdAt": "2026-01-02T05:00:00Z"}, {"createdAt": "2026-01-03T00:00:00Z"}]},
      {"source": "facebook", "createdAt": "2026-01-03T00:00:00Z", "replies": [{"createdAt": "2026-01-04T06:00:00Z"}]},
      {"source": "trustpilot", "createdAt": "2026-01-04T00:00:00Z", "replies": []},
      {"source": "tripadvisor", "createdAt": "2026-01-05T00:00:00Z", "replies": [{"createdAt": "2026-01-13T08:00:00Z"}]},
      {"source": "yelp", "createdAt": "2026-01-06T00:00:00Z", "replies": []},
      {"source": "x", "createdAt": "2026-01-06T00:00:00Z"},
      {"source": "yelp", "createdAt": "2026-01-07T00:00:00Z", "replies": [{"createdAt": null}]},
      {"source": "app-store", "createdAt": "2026-01-08T00:00:00Z", "replies": [{"createdAt": "2026-01-07T23:00:00Z"}]},
    ],
    extraExpected: {"rate": 0.8571428571428571, "medianHours": 5.0, "meanHours": 47.4, "responded": 6, "measured": 5, "withinSla": 0.6},
  },
  welch: [
    {"a": [5, 4, 5, 4, 4, 3, 5, 2], "b": [2, 1, 3, 4, 5], "t": -1.2472191289246473, "df": 6.317548746518105, "pValue": 0.2565626413690443},
    {"a": [4, 4, 5, 5, 4, 5, 4, 5, 5, 4, 4, 5], "b": [3, 2, 3, 4, 2, 3, 1, 3, 2, 3], "t": -6.202450989545825, "df": 14.463392446187417, "pValue": 1.9922838593977588e-05},
    {"a": [1, 5], "b": [5, 4.5, 4], "t": 0.7423074889580902, "df": 1.0418745931872422, "pValue": 0.5893918693754019},
  ],
  tCdf: [
    {"t": 0, "df": 3, "expected": 0.5},
    {"t": 1.5, "df": 1, "expected": 0.8128329581890006},
    {"t": -2.1, "df": 2.5, "expected": 0.07225122237741943},
    {"t": 2.0, "df": 5, "expected": 0.9490302605850673},
    {"t": -0.4, "df": 0.7, "expected": 0.38893813338920824},
    {"t": 3.0, "df": 60, "expected": 0.9980361513335145},
    {"t": -4.2, "df": 9.3, "expected": 0.0010726891172314623},
    {"t": 1.0, "df": 1000, "expected": 0.8412237909576901},
  ],
  trend: {
    reviews: [
      {"stars": 5, "createdAt": "2026-01-10T12:00:00Z"},
      {"stars": 4, "createdAt": "2026-02-11T12:00:00Z"},
      {"stars": 5, "createdAt": "2026-03-12T12:00:00Z"},
      {"stars": 4, "createdAt": "2026-01-13T12:00:00Z"},
      {"stars": 4, "createdAt": "2026-02-14T12:00:00Z"},
      {"stars": 3, "createdAt": "2026-03-15T12:00:00Z"},
      {"stars": 5, "createdAt": "2026-01-16T12:00:00Z"},
      {"stars": 2, "createdAt": "2026-02-17T12:00:00Z"},
      {"stars": 2, "createdAt": "2026-04-03T09:00:00Z"},
      {"stars": 1, "createdAt": "2026-05-04T09:00:00Z"},
      {"stars": 3, "createdAt": "2026-06-05T09:00:00Z"},
      {"stars": 4, "createdAt": "2026-04-06T09:00:00Z"},
      {"stars": 5, "createdAt": "2026-05-07T09:00:00Z"},
      {"stars": null, "createdAt": "2026-05-05T00:00:00Z"},
      {"stars": 1, "createdAt": "2025-10-01T00:00:00Z"},
      {"stars": 1, "createdAt": "2025-09-30T23:59:59Z"},
      {"stars": 3, "createdAt": "2026-07-01T00:00:00Z"},
      {"stars": 5, "createdAt": "2027-01-01T00:00:00Z"},
      {"stars": 2, "createdAt": null},
    ],
    asOf: "2026-08-15T00:00:00Z",
    periods: 3,
    expected: {
      buckets: [
        {"start": "2025-10-01T00:00:00Z", "count": 1, "total": 1, "average": 1},
        {"start": "2026-01-01T00:00:00Z", "count": 8, "total": 8, "average": 4},
        {"start": "2026-04-01T00:00:00Z", "count": 5, "total": 6, "average": 3},
        {"start": "2026-07-01T00:00:00Z", "count": 2, "total": 2, "average": 4},
      ],
      change: {"delta": -1, "t": -1.2472191289246473, "df": 6.317548746518105, "pValue": 0.2565626413690443},
    },
  },
  reputation: {
    reviews: [
      {"source": "google-business-profile", "stars": 5, "createdAt": "2026-06-20T10:00:00Z", "replies": [{"createdAt": "2026-06-20T16:00:00Z"}]},
      {"source": "google-business-profile", "stars": 4, "createdAt": "2026-05-02T09:00:00Z", "replies": [{"createdAt": "2026-05-04T09:00:00Z"}]},
      {"source": "google-business-profile", "stars": 2, "createdAt": "2026-02-11T18:30:00Z", "replies": []},
      {"source": "google-business-profile", "stars": 5, "createdAt": "2026-06-29T20:00:00Z", "replies": []},
      {"source": "google-business-profile", "stars": 3, "createdAt": "2024-12-01T00:00:00Z", "replies": []},
      {"source": "yelp", "stars": 4, "createdAt": "2026-04-18T00:00:00Z", "replies": []},
      {"source": "yelp", "stars": 1, "createdAt": "2025-08-30T00:00:00Z", "replies": []},
      {"source": "facebook", "recommendation": "positive", "createdAt": "2026-06-01T00:00:00Z", "replies": [{"createdAt": "2026-06-03T12:00:00Z"}]},
      {"source": "facebook", "recommendation": "negative", "createdAt": "2026-03-01T00:00:00Z", "replies": []},
      {"source": "trustpilot", "stars": 5, "createdAt": "2026-01-15T00:00:00Z", "replies": [{"createdAt": null}]},
      {"source": "x", "createdAt": "2026-06-25T00:00:00Z"},
      {"source": "schema-org", "stars": 4, "createdAt": null},
      {"source": "tripadvisor", "stars": 3, "createdAt": "2024-01-01T00:00:00Z", "replies": []},
    ],
    asOf: "2026-06-30T12:00:00Z",
    expected: {"score": 65.09199789886583, "coverage": 1.0, "values": {"quality": 0.7561212592380379, "volume": 0.2857142857142857, "recency": 0.9847147529344312, "responseRate": 0.6666666666666666, "responseTime": 0.5, "diversity": 0.5714285714285714}, "points": {"quality": 30.244850369521515, "volume": 4.285714285714286, "recency": 9.847147529344312, "responseRate": 9.999999999999998, "responseTime": 5.0, "diversity": 5.714285714285714}, "raw": {"qualityStars": 4.024485036952152, "volume": 10, "recencyDays": 0.6666666666666666, "medianHours": 48.0, "active": 4, "seen": 7}},
  },
} as const;

describe('reference values (reference.py)', () => {
  it.each(REFERENCE.wilson)('wilsonLowerBound($positive, $total, z=$z)', ({ positive, total, z, expected }) => {
    expectClose(wilsonLowerBound(positive, total, { z }), expected);
  });

  it.each(REFERENCE.star)('starRatingLowerBound($counts, z=$z)', ({ counts, z, expected }) => {
    expectClose(starRatingLowerBound(counts, { z }), expected);
    if (counts.reduce((a: number, b) => a + b, 0) <= 1000) expectClose(starRatingLowerBound(fromCounts(counts), { z }), expected);
  });

  it.each(REFERENCE.bayes)('bayesianAverage($stars, C=$priorMean, m=$priorWeight)', (c) => {
    const reviews = c.stars.map((stars) => ({ stars }));
    expectClose(bayesianAverage(reviews, { priorMean: c.priorMean, priorWeight: c.priorWeight }), c.expected);
  });

  it.each(REFERENCE.decay.cases)('timeDecayedAverage(asOf=$asOf, h=$halfLifeDays, m=$priorWeight)', (c) => {
    const options = { asOf: c.asOf, halfLifeDays: c.halfLifeDays, priorWeight: c.priorWeight, priorMean: c.priorMean };
    expectClose(timeDecayedAverage(REFERENCE.decay.reviews, options), c.expected);
  });

  it('csat, netPromoterScore and positiveShare, with and without recommendations', () => {
    const { reviews, withRecommendations: w, starsOnly: s } = REFERENCE.shares;
    expectClose(csat(reviews), w.csat);
    expectClose(netPromoterScore(reviews), w.nps);
    expect(positiveShare(reviews)).toMatchObject({ positive: w.positive, total: w.total });
    expectClose(positiveShare(reviews).lowerBound, w.lowerBound);
    expectClose(csat(reviews, { includeRecommendations: false }), s.csat);
    expectClose(netPromoterScore(reviews, { includeRecommendations: false }), s.nps);
    const stars = positiveShare(reviews, { includeRecommendations: false });
    expect(stars).toMatchObject({ positive: s.positive, total: s.total });
    expectClose(stars.lowerBound, s.lowerBound);
  });

  it.each([
    ['§7 example', REFERENCE.response.reviews, REFERENCE.response.expected],
    ['with unmeasurable and clock-skewed replies', REFERENCE.response.extraReviews, REFERENCE.response.extraExpected],
  ] as const)('responseRate and responseTime: %s', (_, reviews, expected) => {
    expectClose(responseRate(reviews), expected.rate);
    const time = responseTime(reviews);
    expectClose(time.medianHours, expected.medianHours);
    expectClose(time.meanHours, expected.meanHours);
    expectClose(time.withinSla, expected.withinSla);
    expect(time).toMatchObject({ responded: expected.responded, measured: expected.measured });
  });

  it.each(REFERENCE.welch)('welchTTest %#', ({ a, b, t, df, pValue }) => {
    const result = welchTTest(summary(a), summary(b));
    expectClose(result?.t, t);
    expectClose(result?.df, df);
    expectClose(result?.pValue, pValue);
  });

  it.each(REFERENCE.tCdf)('studentTCdf($t, df=$df)', ({ t, df, expected }) => {
    expectClose(studentTCdf(t, df), expected);
  });

  it('ratingTrend by quarter: buckets, boundaries, and the §8 change', () => {
    const { reviews, asOf, periods, expected } = REFERENCE.trend;
    const trend = ratingTrend(reviews, { interval: 'quarter', asOf, periods });
    expect(trend.buckets.map((b) => b.start.toISOString().replace('.000Z', 'Z'))).toEqual(
      expected.buckets.map((b) => b.start),
    );
    trend.buckets.forEach((bucket, i) => {
      const want = expected.buckets[i];
      expect(bucket.count).toBe(want?.count);
      expect(bucket.total).toBe(want?.total);
      expectClose(bucket.average, want?.average ?? null);
    });
    expectClose(trend.change?.delta, expected.change.delta);
    expectClose(trend.change?.t ?? null, expected.change.t);
    expectClose(trend.change?.df ?? null, expected.change.df);
    expectClose(trend.change?.pValue ?? null, expected.change.pValue);
  });

  it('reputationScore: every component, its points, and the score', () => {
    const { reviews, asOf, expected } = REFERENCE.reputation;
    const result = reputationScore(reviews, { asOf });
    expectClose(result.score, expected.score);
    expectClose(result.coverage, expected.coverage);
    for (const component of result.components) {
      expectClose(component.value, expected.values[component.name]);
      expectClose(component.points, expected.points[component.name]);
    }
    const raw = Object.fromEntries(result.components.map((c) => [c.name, c.raw]));
    expectClose(raw.quality ?? null, expected.raw.qualityStars);
    expectClose(raw.volume ?? null, expected.raw.volume);
    expectClose(raw.recency ?? null, expected.raw.recencyDays);
    expectClose(raw.responseTime ?? null, expected.raw.medianHours);
    expectClose(raw.diversity ?? null, expected.raw.active);
  });
});

describe('values quoted in scores.md', () => {
  it('Welch §8: Δ = −1.0, t = −1.247219, df = 6.317549, p = 0.256563', () => {
    const result = welchTTest(summary([5, 4, 5, 4, 4, 3, 5, 2]), summary([2, 1, 3, 4, 5]));
    expectClose(result?.t, -1.247219);
    expectClose(result?.df, 6.317549);
    expectClose(result?.pValue, 0.256563);
  });

  it('Miller star score: n = 0 → 2.047372, recomputed starsort (60,80,75,20,25) → 3.3684307456', () => {
    expectClose(starRatingLowerBound([0, 0, 0, 0, 0]), 2.047372);
    expectClose(starRatingLowerBound([], { z: 1.65 }), 2.047372);
    expectClose(starRatingLowerBound([25, 20, 75, 80, 60]), 3.3684307456);
  });

  it('Dirichlet posterior mean equals bayesianAverage with m = 5, C = 3: [0,0,0,0,10] → 4.333333', () => {
    expectClose(bayesianAverage(fromCounts([0, 0, 0, 0, 10]), { priorMean: 3, priorWeight: 5 }), 4.333333);
    expectClose(starRatingLowerBound([0, 0, 0, 0, 10], { z: 0 }), 4.333333);
  });

  it('Wilson: 5/10 → 0.236590; 9/10 with exact z 1.959964 → 0.595850; fractional up-votes → 0.841204', () => {
    expectClose(wilsonLowerBound(5, 10), 0.23659);
    expectClose(wilsonLowerBound(9, 10, { z: 1.959964 }), 0.59585);
    const counts = [134055, 57472, 143135, 365957, 1448459];
    const n = counts.reduce((a, b) => a + b, 0);
    const positive = counts.reduce((sum, c, k) => sum + (c * k) / 4, 0);
    expectClose(wilsonLowerBound(positive, n), 0.841204);
  });

  it('response §7: [2, 5, 30, none, 200] h → rate 0.8, mean 59.25, median 17.5, ≤ 24 h 0.5', () => {
    expectClose(responseRate(REFERENCE.response.reviews), 0.8);
    expect(responseTime(REFERENCE.response.reviews)).toMatchObject({ meanHours: 59.25, medianHours: 17.5, withinSla: 0.5 });
  });
});
