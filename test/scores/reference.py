#!/usr/bin/env python3
"""Independent reference values for test/scores/reference.test.ts.

Written from the formulas in scores.md, not from the TypeScript: plain Python stdlib
(no numpy/scipy). Student's t CDF is computed by Simpson integration of the density rather
than the incomplete-beta continued fraction the library uses; time decay uses absolute
weights 0.5**(age/h) rather than the library's rescaled running sums; medians come from
statistics.median. Every input is stated below and printed with its result.

Run:  python3 test/scores/reference.py > /tmp/reference.json
and paste the JSON into REFERENCE in reference.test.ts.
"""
import json
import math
import statistics
from datetime import datetime, timezone

DAY = 86400.0


def iso(s):
    if s is None:
        return None
    if s.endswith('Z'):
        s = s[:-1] + '+00:00'
    d = datetime.fromisoformat(s)
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d


# --- Wilson lower bound (Miller 2009) -------------------------------------------------------
def wilson(pos, n, z=1.96):
    if n == 0:
        return 0.0
    p = pos / n
    lb = (p + z * z / (2 * n) - z * math.sqrt((p * (1 - p) + z * z / (4 * n)) / n)) / (1 + z * z / n)
    return min(1.0, max(0.0, lb))


# --- Miller star score (2014), counts ascending [n1..n5] -------------------------------------
def star_score(counts, z=1.65):
    K = len(counts)
    N = sum(counts)
    ps = [(n + 1) / (N + K) for n in counts]
    mean = sum((k + 1) * p for k, p in enumerate(ps))
    second = sum((k + 1) ** 2 * p for k, p in enumerate(ps))
    s = mean - z * math.sqrt((second - mean ** 2) / (N + K + 1))
    return min(5.0, max(1.0, s))


def bayes(stars, C=3.5, m=7):
    if not stars:
        return C
    return (sum(stars) + m * C) / (len(stars) + m)


def bucket(s):
    return int(math.floor(s + 0.5))  # nearest whole star, halves up


# --- Student t by numerical integration --------------------------------------------------------
def t_pdf(x, nu):
    c = math.exp(math.lgamma((nu + 1) / 2) - math.lgamma(nu / 2)) / math.sqrt(nu * math.pi)
    return c * (1 + x * x / nu) ** (-(nu + 1) / 2)


def t_cdf(t, nu, steps=200000):
    a = abs(t)
    h = a / steps
    total = t_pdf(0, nu) + t_pdf(a, nu)
    for i in range(1, steps):
        total += (4 if i % 2 else 2) * t_pdf(i * h, nu)
    area = total * h / 3
    return 0.5 + area if t >= 0 else 0.5 - area


def welch(a, b):
    na, nb = len(a), len(b)
    va, vb = statistics.variance(a), statistics.variance(b)
    se2 = va / na + vb / nb
    t = (statistics.mean(b) - statistics.mean(a)) / math.sqrt(se2)
    df = se2 ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    p = 2 * (1 - t_cdf(abs(t), df))
    return {'t': t, 'df': df, 'pValue': p}


# --- time decay ------------------------------------------------------------------------------
def decayed(reviews, as_of, half_life=180.0, m=0.0, C=3.5):
    a = iso(as_of)
    num = den = 0.0
    for r in reviews:
        if r.get('stars') is None or r.get('createdAt') is None:
            continue
        age = max(0.0, (a - iso(r['createdAt'])).total_seconds() / DAY)
        w = 0.5 ** (age / half_life)
        num += w * r['stars']
        den += w
    if den == 0:
        return None if m == 0 else C
    return (num + m * C) / (den + m)


# --- shares ----------------------------------------------------------------------------------
def shares(reviews, include_recs=True):
    top = four = low = 0
    for r in reviews:
        s = r.get('stars')
        if s is not None:
            b = bucket(s)
            if b == 5:
                top += 1
            elif b == 4:
                four += 1
            else:
                low += 1
        elif include_recs and r.get('recommendation') == 'positive':
            top += 1
        elif include_recs and r.get('recommendation') == 'negative':
            low += 1
    n = top + four + low
    return {
        'csat': None if n == 0 else (top + four) / n,
        'nps': None if n == 0 else 100 * (top - low) / n,
        'positive': top + four,
        'total': n,
        'lowerBound': wilson(top + four, n),
    }


# --- response metrics ----------------------------------------------------------------------------
RESPONDABLE = {'google-business-profile', 'facebook', 'trustpilot', 'tripadvisor', 'app-store', 'google-play'}


def first_reply_hours(r):
    replies = r.get('replies') or []
    if not replies or r.get('createdAt') is None or replies[0].get('createdAt') is None:
        return None
    first = min(iso(x['createdAt']) for x in replies if x.get('createdAt') is not None)
    return max(0.0, (first - iso(r['createdAt'])).total_seconds() / 3600)


def response(reviews, sla=24):
    respondable = [r for r in reviews if r.get('replies') or r.get('source') in RESPONDABLE]
    replied = [r for r in respondable if r.get('replies')]
    hours = [h for h in (first_reply_hours(r) for r in replied) if h is not None]
    return {
        'rate': None if not respondable else len(replied) / len(respondable),
        'medianHours': statistics.median(hours) if hours else None,
        'meanHours': statistics.mean(hours) if hours else None,
        'responded': len(replied),
        'measured': len(hours),
        'withinSla': sum(1 for h in hours if h <= sla) / len(hours) if hours else None,
    }


# --- calendar trend ------------------------------------------------------------------------------
def quarter_start(d, back):
    q = (d.month - 1) // 3 - back
    y = d.year + q // 4
    return datetime(y, (q % 4) * 3 + 1, 1, tzinfo=timezone.utc)


def trend_quarters(reviews, as_of, periods):
    a = iso(as_of)
    starts = [quarter_start(a, periods - i) for i in range(periods + 2)]
    out = []
    for i in range(periods + 1):
        lo, hi = starts[i], starts[i + 1]
        stars = []
        total = 0
        for r in reviews:
            if r.get('createdAt') is None:
                continue
            c = min(iso(r['createdAt']), a)
            if lo <= c < hi:
                total += 1
                if r.get('stars') is not None:
                    stars.append(r['stars'])
        out.append({'start': lo.isoformat().replace('+00:00', 'Z'), 'count': len(stars), 'total': total,
                    'average': statistics.mean(stars) if stars else None, 'stars': stars})
    prev, cur = out[periods - 2], out[periods - 1]
    change = None
    if prev['stars'] and cur['stars']:
        change = {'delta': statistics.mean(cur['stars']) - statistics.mean(prev['stars'])}
        change.update(welch(prev['stars'], cur['stars']))
    for b in out:
        del b['stars']
    return {'buckets': out, 'change': change}


# --- reputation score (defaults of reputationScore) ----------------------------------------------
def reputation(reviews, as_of):
    a = iso(as_of)
    window, grace = 365.0, 48.0

    def age_days(r):
        return max(0.0, (a - iso(r['createdAt'])).total_seconds() / DAY)

    dated = [r for r in reviews if r.get('createdAt') is not None]
    rated = [r for r in dated if r.get('stars') is not None]
    q = None
    if rated:
        ws = [0.5 ** (age_days(r) / 180) for r in rated]
        xs = [(r['stars'] - 1) / 4 for r in rated]
        q = (sum(w * x for w, x in zip(ws, xs)) + 5 * 0.75) / (sum(ws) + 5)
    recent = [r for r in dated if age_days(r) < window]
    n = len(recent)
    volume = n / (n + 25)
    days = min(age_days(r) for r in dated) if dated else None
    recency = None if days is None else 0.5 ** (days / 30)
    respondable = [r for r in recent if r.get('replies') or (r.get('source') in RESPONDABLE and age_days(r) * 24 >= grace)]
    replied = [r for r in respondable if r.get('replies')]
    rate = len(replied) / len(respondable) if respondable else None
    hours = [h for h in (first_reply_hours(r) for r in replied) if h is not None]
    med = statistics.median(hours) if hours else None
    rtime = None if med is None else 0.5 ** (med / 48)
    seen = {r['source'] for r in reviews if r.get('source')}
    active = {r['source'] for r in recent if r.get('source') and (r.get('stars') is not None or r.get('recommendation'))}
    diversity = len(active) / len(seen) if seen else None
    comps = [('quality', q, 0.40), ('volume', volume, 0.15), ('recency', recency, 0.10),
             ('responseRate', rate, 0.15), ('responseTime', rtime, 0.10), ('diversity', diversity, 0.10)]
    coverage = sum(w for _, v, w in comps if v is not None)
    points = {name: (0.0 if v is None else 100 * v * w / coverage) for name, v, w in comps}
    return {
        'score': None if q is None else sum(points.values()),
        'coverage': coverage,
        'values': {name: v for name, v, _ in comps},
        'points': points,
        'raw': {'qualityStars': None if q is None else 1 + 4 * q, 'volume': n, 'recencyDays': days, 'medianHours': med,
                'active': len(active), 'seen': len(seen)},
    }


# ================================ inputs ========================================================
WILSON_CASES = [
    (0, 0, 1.96), (5, 10, 1.96), (9, 10, 1.96), (0, 10, 1.96), (10, 10, 1.96), (1, 1, 1.96),
    (430, 474, 1.96), (2.5, 4, 1.96), (9, 10, 1.644854), (9, 10, 0), (999999, 1000000, 1.96), (1, 1e9, 2.326348),
]
STAR_CASES = [
    ([0, 0, 0, 0, 0], 1.65), ([0, 0, 0, 0, 10], 1.65), ([10, 0, 0, 0, 0], 1.65), ([25, 20, 75, 80, 60], 1.65),
    ([1, 2, 3, 4, 5], 1.96), ([134055, 57472, 143135, 365957, 1448459], 1.65), ([0, 0, 0, 0, 1], 0),
    ([0, 0, 0, 0, 0], 10), ([0, 0, 0, 0, 1000000], 1.65),
]
BAYES_CASES = [
    ([5], 3.5, 7), ([], 3.5, 7), ([5] * 10, 3.0, 5), ([1, 2, 3, 4, 5, 4.5, 3.25], 3.5, 7), ([4, 5], 4.2, 0),
    ([1] * 1000, 3.5, 7),
]
DECAY_REVIEWS = [
    {'stars': 5, 'createdAt': '2026-06-01T00:00:00Z'},
    {'stars': 4, 'createdAt': '2026-03-15T08:30:00Z'},
    {'stars': 2, 'createdAt': '2025-11-20T12:00:00Z'},
    {'stars': 3.5, 'createdAt': '2025-01-02T00:00:00Z'},
    {'stars': 1, 'createdAt': '2023-07-04T16:45:00Z'},
    {'stars': 5, 'createdAt': '2026-07-10T00:00:00Z'},   # future-dated relative to asOf
    {'stars': None, 'createdAt': '2026-06-20T00:00:00Z'},  # unrated mention
    {'stars': 4, 'createdAt': None},                      # undated
]
DECAY_CASES = [
    ('2026-07-01T00:00:00Z', 180, 0, 3.5), ('2026-12-29T00:00:00Z', 180, 0, 3.5),
    ('2026-07-01T00:00:00Z', 180, 7, 3.5), ('2026-12-29T00:00:00Z', 180, 7, 3.5),
    ('2026-07-01T00:00:00Z', 30, 0, 3.5), ('2026-07-01T00:00:00Z', 1, 2, 4.0),
]
SHARE_REVIEWS = [
    {'stars': 5}, {'stars': 5}, {'stars': 4.5}, {'stars': 4}, {'stars': 3.5}, {'stars': 3.49}, {'stars': 3},
    {'stars': 1}, {'stars': None}, {'recommendation': 'positive'}, {'recommendation': 'positive'},
    {'recommendation': 'negative'}, {'stars': 2, 'recommendation': 'positive'},
]
H = 3600
RESPONSE_REVIEWS = [  # scores.md §7: first replies after 2, 5, 30, none, 200 hours
    {'source': 'google-business-profile', 'createdAt': '2026-01-01T00:00:00Z',
     'replies': [{'createdAt': '2026-01-01T02:00:00Z'}]},
    {'source': 'google-business-profile', 'createdAt': '2026-01-02T00:00:00Z',
     'replies': [{'createdAt': '2026-01-02T05:00:00Z'}, {'createdAt': '2026-01-03T00:00:00Z'}]},
    {'source': 'facebook', 'createdAt': '2026-01-03T00:00:00Z', 'replies': [{'createdAt': '2026-01-04T06:00:00Z'}]},
    {'source': 'trustpilot', 'createdAt': '2026-01-04T00:00:00Z', 'replies': []},
    {'source': 'tripadvisor', 'createdAt': '2026-01-05T00:00:00Z', 'replies': [{'createdAt': '2026-01-13T08:00:00Z'}]},
    {'source': 'yelp', 'createdAt': '2026-01-06T00:00:00Z', 'replies': []},     # not respondable
    {'source': 'x', 'createdAt': '2026-01-06T00:00:00Z'},                       # not respondable
]
RESPONSE_REVIEWS_EXTRA = RESPONSE_REVIEWS + [
    {'source': 'yelp', 'createdAt': '2026-01-07T00:00:00Z', 'replies': [{'createdAt': None}]},   # replied, unmeasurable
    {'source': 'app-store', 'createdAt': '2026-01-08T00:00:00Z',
     'replies': [{'createdAt': '2026-01-07T23:00:00Z'}]},                                         # skew: 0 h
]
# Q1 2026 holds scores.md §8's prior sample, Q2 its last sample; asOf in Q3 makes Q2 the last complete quarter.
TREND_REVIEWS = (
    [{'stars': s, 'createdAt': f'2026-0{1 + i % 3}-{10 + i:02d}T12:00:00Z'} for i, s in enumerate([5, 4, 5, 4, 4, 3, 5, 2])]
    + [{'stars': s, 'createdAt': f'2026-0{4 + i % 3}-{3 + i:02d}T09:00:00Z'} for i, s in enumerate([2, 1, 3, 4, 5])]
    + [{'stars': None, 'createdAt': '2026-05-05T00:00:00Z'},
       {'stars': 1, 'createdAt': '2025-10-01T00:00:00Z'},   # first instant of the first bucket: included
       {'stars': 1, 'createdAt': '2025-09-30T23:59:59Z'},   # before the first bucket: ignored
       {'stars': 3, 'createdAt': '2026-07-01T00:00:00Z'},   # first instant of the current quarter
       {'stars': 5, 'createdAt': '2027-01-01T00:00:00Z'},   # future: counted at asOf
       {'stars': 2, 'createdAt': None}]
)
REPUTATION_REVIEWS = [
    {'source': 'google-business-profile', 'stars': 5, 'createdAt': '2026-06-20T10:00:00Z',
     'replies': [{'createdAt': '2026-06-20T16:00:00Z'}]},
    {'source': 'google-business-profile', 'stars': 4, 'createdAt': '2026-05-02T09:00:00Z',
     'replies': [{'createdAt': '2026-05-04T09:00:00Z'}]},
    {'source': 'google-business-profile', 'stars': 2, 'createdAt': '2026-02-11T18:30:00Z', 'replies': []},
    {'source': 'google-business-profile', 'stars': 5, 'createdAt': '2026-06-29T20:00:00Z', 'replies': []},  # inside grace
    {'source': 'google-business-profile', 'stars': 3, 'createdAt': '2024-12-01T00:00:00Z', 'replies': []},  # outside window
    {'source': 'yelp', 'stars': 4, 'createdAt': '2026-04-18T00:00:00Z', 'replies': []},
    {'source': 'yelp', 'stars': 1, 'createdAt': '2025-08-30T00:00:00Z', 'replies': []},
    {'source': 'facebook', 'recommendation': 'positive', 'createdAt': '2026-06-01T00:00:00Z',
     'replies': [{'createdAt': '2026-06-03T12:00:00Z'}]},
    {'source': 'facebook', 'recommendation': 'negative', 'createdAt': '2026-03-01T00:00:00Z', 'replies': []},
    {'source': 'trustpilot', 'stars': 5, 'createdAt': '2026-01-15T00:00:00Z',
     'replies': [{'createdAt': None}]},
    {'source': 'x', 'createdAt': '2026-06-25T00:00:00Z'},
    {'source': 'schema-org', 'stars': 4, 'createdAt': None},
    {'source': 'tripadvisor', 'stars': 3, 'createdAt': '2024-01-01T00:00:00Z', 'replies': []},
]
REPUTATION_AS_OF = '2026-06-30T12:00:00Z'

if __name__ == '__main__':
    out = {
        'wilson': [{'positive': p, 'total': n, 'z': z, 'expected': wilson(p, n, z)} for p, n, z in WILSON_CASES],
        'star': [{'counts': c, 'z': z, 'expected': star_score(c, z)} for c, z in STAR_CASES],
        'bayes': [{'stars': s, 'priorMean': C, 'priorWeight': m, 'expected': bayes(s, C, m)} for s, C, m in BAYES_CASES],
        'decay': {'reviews': DECAY_REVIEWS, 'cases': [
            {'asOf': a, 'halfLifeDays': h, 'priorWeight': m, 'priorMean': C, 'expected': decayed(DECAY_REVIEWS, a, h, m, C)}
            for a, h, m, C in DECAY_CASES]},
        'shares': {'reviews': SHARE_REVIEWS, 'withRecommendations': shares(SHARE_REVIEWS, True),
                   'starsOnly': shares(SHARE_REVIEWS, False)},
        'response': {'reviews': RESPONSE_REVIEWS, 'expected': response(RESPONSE_REVIEWS),
                     'extraReviews': RESPONSE_REVIEWS_EXTRA, 'extraExpected': response(RESPONSE_REVIEWS_EXTRA)},
        'welch': [
            {'a': a, 'b': b, **welch(a, b)} for a, b in [
                ([5, 4, 5, 4, 4, 3, 5, 2], [2, 1, 3, 4, 5]),
                ([4, 4, 5, 5, 4, 5, 4, 5, 5, 4, 4, 5], [3, 2, 3, 4, 2, 3, 1, 3, 2, 3]),
                ([1, 5], [5, 4.5, 4]),
            ]],
        'tCdf': [{'t': t, 'df': d, 'expected': t_cdf(t, d)} for t, d in
                 [(0, 3), (1.5, 1), (-2.1, 2.5), (2.0, 5), (-0.4, 0.7), (3.0, 60), (-4.2, 9.3), (1.0, 1000)]],
        'trend': {'reviews': TREND_REVIEWS, 'asOf': '2026-08-15T00:00:00Z', 'periods': 3,
                  'expected': trend_quarters(TREND_REVIEWS, '2026-08-15T00:00:00Z', 3)},
        'reputation': {'reviews': REPUTATION_REVIEWS, 'asOf': REPUTATION_AS_OF,
                       'expected': reputation(REPUTATION_REVIEWS, REPUTATION_AS_OF)},
    }
    print(json.dumps(out, indent=1))
