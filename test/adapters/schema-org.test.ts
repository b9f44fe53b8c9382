import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaOrg } from '../../adapters/schema-org/index.js';
import { aggregate, type Review } from '../../src/index.js';
import { type FixtureRoute, type FixtureServer, startFixtureServer, testAdapter } from '../../src/testing/index.js';

const html = (name: string): string => readFileSync(new URL(`../fixtures/schema-org/${name}.html`, import.meta.url), 'utf8');
const HTML = { 'content-type': 'text/html; charset=utf-8' };
const NOW = new Date('2026-11-25T00:00:00Z');
const run = { now: NOW, retry: { attempts: 1 } };

const PAGE_URL = 'https://www.reviews.example/review/acme-bistro.example?languages=all';
const PAGE_PATH = '/review/acme-bistro.example';
const graphPage: FixtureRoute = { path: PAGE_PATH, query: { languages: 'all' }, headers: HTML, body: html('trustpilot-graph') };
const errorPage = (status: number, body = html('not-found'), headers: Record<string, string> = HTML): FixtureRoute[] => [
  { path: PAGE_PATH, status, headers, body },
];
const REVIEW_ID = (hex: string) => `https://www.reviews.example/#/schema/Review/acme-bistro.example/${hex}`;

testAdapter(schemaOrg, {
  options: { url: PAGE_URL },
  requiredOptions: ['url'],
  secrets: [],
  routes: [graphPage],
  expectedReviews: 5,
  expectedPages: 1,
  isJson: false,
  errors: [
    { name: 'a 404 page', routes: errorPage(404), code: 'NOT_FOUND' },
    { name: 'a 410 Gone page', routes: errorPage(410), code: 'NOT_FOUND' },
    { name: 'bot protection (403)', routes: errorPage(403, '<!DOCTYPE html><title>Attention Required!</title><h1>Sorry, you have been blocked</h1>'), code: 'FORBIDDEN' },
    { name: 'a login wall (401)', routes: errorPage(401, '<!DOCTYPE html><title>Sign in</title>'), code: 'AUTH' },
    { name: 'JSON instead of a page (200)', routes: [{ path: PAGE_PATH, body: { reviews: [{ id: 1, stars: 5 }] } }], code: 'BAD_RESPONSE' },
    { name: 'an image instead of a page (200)', routes: errorPage(200, '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR', { 'content-type': 'image/png' }), code: 'BAD_RESPONSE' },
    { name: 'an empty body (200)', routes: errorPage(200, '', HTML), code: 'BAD_RESPONSE' },
  ],
});

describe('schema-org adapter', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer([graphPage]);
  });
  afterAll(() => server.close());
  const byId = (reviews: readonly Review[]) => Object.fromEntries(reviews.map((r) => [r.externalId, r]));

  it('reads a Trustpilot-style @graph: reviews referenced by @id, item and author resolved', async () => {
    server.reset([graphPage]);
    const { reviews, sources } = await aggregate([schemaOrg({ url: PAGE_URL, baseUrl: server.url })], run);
    expect(byId(reviews)[REVIEW_ID('6a1f0c2e9b4d7e3a5c8f1b20')]).toEqual({
      id: `schema-org:${REVIEW_ID('6a1f0c2e9b4d7e3a5c8f1b20')}`,
      source: 'schema-org',
      externalId: REVIEW_ID('6a1f0c2e9b4d7e3a5c8f1b20'),
      subject: { id: PAGE_URL, name: 'Acme Bistro' },
      url: null,
      author: { name: 'Ada L.', id: null, url: 'https://www.reviews.example/users/6512c0ffee0a1b2c3d4e5f60/', avatarUrl: null },
      rating: { value: 5, min: 1, max: 5 },
      stars: 5,
      recommendation: null,
      polarity: 'positive',
      title: 'Best bouillabaisse in town',
      // JSON-LD text may carry HTML entities: decoded once. "\n" in the JSON string is a line break.
      text: 'The fish soup was outstanding & the staff remembered our anniversary.\nWe will be back.',
      language: 'en',
      createdAt: new Date('2026-11-14T17:12:38.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: null,
      extra: { itemType: 'LocalBusiness' },
    });
    expect(reviews.map((r) => [r.externalId.slice(-24), r.author.name, r.rating?.value, r.language, r.createdAt?.toISOString()])).toEqual([
      ['6a1f0c2e9b4d7e3a5c8f1b20', 'Ada L.', 5, 'en', '2026-11-14T17:12:38.000Z'],
      ['6a1e9d7c3b2a1f0e9d8c7b61', 'Grace H.', 3, 'en', '2026-11-13T21:08:54.000Z'],
      ['6a1d5b3c7e9f2a4b6c8d0e12', 'Zoë K.', 2, 'de', '2026-11-12T08:03:11.000Z'],
      ['6a1c4d2e8f0a1b3c5d7e9f23', 'Linus T.', 4, 'en', '2026-11-10T12:00:00.000Z'],
      ['6a1b0a9f8e7d6c5b4a392817', 'Margaret P.', 5, 'en', '2026-10-31T23:59:59.000Z'],
    ]);
    expect(byId(reviews)[REVIEW_ID('6a1e9d7c3b2a1f0e9d8c7b61')]?.text).toBe(
      'The app said "table confirmed" but nobody had our reservation. They found us a seat after 20 minutes.',
    );
    const { durationMs: _, ...report } = sources[0] ?? { durationMs: 0 };
    // The page marks up 5 of the 842 reviews its AggregateRating counts.
    expect(report).toEqual({
      source: 'schema-org',
      subjectId: PAGE_URL,
      status: 'ok',
      fetched: 5,
      pages: 1,
      coverage: { complete: false, reason: 'platform-limit', reportedTotal: 842 },
      summary: { average: 4.1, count: 842 },
    });
  });

  it('requests the page’s own path and query, asking for HTML', async () => {
    server.reset([graphPage]);
    await aggregate([schemaOrg({ url: `${PAGE_URL}#reviews`, baseUrl: server.url })], run);
    expect(server.requests.map((r) => [r.path, r.query])).toEqual([[PAGE_PATH, { languages: 'all' }]]);
    expect(server.requests[0]?.headers.accept).toBe('text/html,application/xhtml+xml;q=0.9,*/*;q=0.1');
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^reviewkit\//);
  });

  it('keeps a baseUrl path prefix (a fetching proxy) in front of the page’s path', async () => {
    server.reset([{ ...graphPage, path: `/fetch${PAGE_PATH}` }]);
    const { reviews, sources } = await aggregate([schemaOrg({ url: PAGE_URL, baseUrl: `${server.url}/fetch` })], run);
    expect(server.requests.map((r) => r.url)).toEqual([`/fetch${PAGE_PATH}?languages=all`]);
    expect(reviews).toHaveLength(5);
    // The page's identity and its links stay the real site's, not the proxy's.
    expect(sources[0]?.subjectId).toBe(PAGE_URL);
    expect(reviews[0]?.author.url).toMatch(/^https:\/\/www\.reviews\.example\/users\//);
  });

  it('reads given HTML without any request: subject id is the url, or a stable hash of the HTML', async () => {
    server.reset([]);
    const markup = html('trustpilot-graph');
    const withUrl = await aggregate([schemaOrg({ html: markup, url: PAGE_URL, baseUrl: server.url })], run);
    const alone = await aggregate([schemaOrg({ html: markup })], run);
    const again = schemaOrg({ html: markup });
    const other = schemaOrg({ html: html('shop-microdata') });
    expect(server.requests).toEqual([]);
    expect(withUrl.sources[0]?.subjectId).toBe(PAGE_URL);
    expect(alone.sources[0]?.subjectId).toMatch(/^html:[0-9a-f]{16}$/);
    expect(again.subjectId).toBe(alone.sources[0]?.subjectId);
    expect(other.subjectId).not.toBe(again.subjectId);
    expect(alone.reviews.map((r) => r.subject.id)).toEqual(Array(5).fill(alone.sources[0]?.subjectId));
    // Same reviews either way: their @ids and links are absolute on this page.
    expect(alone.reviews.map((r) => r.externalId)).toEqual(withUrl.reviews.map((r) => r.externalId));
    expect(alone.sources[0]?.summary).toEqual({ average: 4.1, count: 842 });
  });

  it('resolves relative links against the url, or leaves them out when the HTML comes alone', async () => {
    const markup = html('json-ld-wild');
    const url = 'https://www.gadgets.example/products/usb-c-hub-7in1';
    const located = await aggregate([schemaOrg({ html: markup, url })], run);
    const alone = await aggregate([schemaOrg({ html: markup })], run);
    const priya = (reviews: readonly Review[]) => reviews.find((r) => r.author.name === 'Priya N.');
    expect(priya(located.reviews)?.author.avatarUrl).toBe('https://www.gadgets.example/avatars/priya-n.png');
    expect(priya(located.reviews)?.externalId).toBe(`${url}#review-1`);
    expect(priya(alone.reviews)?.author.avatarUrl).toBeNull();
    // A page-local id is still this review's id on this page.
    expect(priya(alone.reviews)?.externalId).toBe('#review-1');
    // `<base href>` wins over the url, as in a browser.
    const based = markup.replace('<head>', '<head><base href="https://cdn.gadgets.example/static/">');
    expect(priya((await aggregate([schemaOrg({ html: based, url })], run)).reviews)?.author.avatarUrl).toBe('https://cdn.gadgets.example/avatars/priya-n.png');
  });

  it('gives the same reviews for schema.org’s example in microdata, RDFa and JSON-LD', async () => {
    const url = 'https://shop.example/kenmore-17-microwave';
    const read = (syntax: string) => aggregate([schemaOrg({ html: html(`schema-org-example.${syntax}`), url })], run);
    const [microdata, rdfa, jsonLd] = await Promise.all([read('microdata'), read('rdfa'), read('json-ld')]);
    const ellie = {
      subject: { id: url, name: 'Kenmore White 17" Microwave' },
      url: null,
      author: { name: 'Ellie', id: null, url: null, avatarUrl: null },
      rating: { value: 1, min: 1, max: 5 },
      stars: 1,
      recommendation: null,
      polarity: 'negative',
      title: 'Not a happy camper',
      text: 'The lamp burned out and now I have to replace it.',
      language: null,
      // Date-only: midnight UTC, day precision.
      createdAt: new Date('2011-04-01T00:00:00.000Z'),
      updatedAt: null,
      datePrecision: 'day',
      replies: [],
      helpfulVotes: null,
      extra: { itemType: 'Product' },
    };
    expect(jsonLd.reviews).toHaveLength(2);
    expect(jsonLd.reviews[0]).toEqual({ ...ellie, id: expect.stringMatching(/^schema-org:[0-9a-f]{16}$/), source: 'schema-org', externalId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(jsonLd.reviews[1]).toMatchObject({ author: { name: 'Lucas' }, rating: { value: 4, min: 1, max: 5 }, title: 'Value purchase', createdAt: new Date('2011-03-25T00:00:00.000Z') });
    expect(jsonLd.reviews[1]?.text).toBe('Great microwave for the price. It is small and fits in my apartment.');
    // Identical, ids included: none of the three gives ids, and the content hash reads each field alike.
    expect(microdata.reviews).toEqual(jsonLd.reviews);
    expect(rdfa.reviews).toEqual(jsonLd.reviews);
    for (const result of [microdata, rdfa, jsonLd]) {
      expect(result.sources[0]?.summary).toEqual({ average: 3.5, count: 11 });
      expect(result.sources[0]?.coverage).toEqual({ complete: false, reason: 'platform-limit', reportedTotal: 11 });
    }
  });

  it('reads a shop’s microdata: nested items, content over shown text, <br>, itemref, owner reply', async () => {
    const url = 'https://shop.example/de/kaffeemuehle-ck-200';
    const route: FixtureRoute = { path: '/de/kaffeemuehle-ck-200', headers: HTML, body: html('shop-microdata') };
    server.reset([route]);
    const { reviews, sources } = await aggregate([schemaOrg({ url, baseUrl: server.url })], run);
    const reviewsById = byId(reviews);
    expect(reviewsById[`${url}#bewertung-4711`]).toEqual({
      id: `schema-org:${url}#bewertung-4711`,
      source: 'schema-org',
      externalId: `${url}#bewertung-4711`,
      subject: { id: url, name: 'Kaffeemühle CK-200' },
      url: null,
      author: { name: 'Klara B.', id: null, url: 'https://shop.example/de/kunden/k-berg', avatarUrl: 'https://shop.example/media/avatare/k-berg.jpg' },
      rating: { value: 5, min: 1, max: 5 },
      stars: 5,
      recommendation: null,
      polarity: 'positive',
      title: 'Endlich gleichmäßiger Mahlgrad',
      text: 'Mahlt fein genug für Espresso.\nEtwas laut, aber schnell.',
      language: 'de-DE',
      // `datetime` without an offset, read in the timeZone option's zone (UTC by default).
      createdAt: new Date('2026-02-14T09:30:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [{ text: 'Danke, Klara! Viel Freude mit der Mühle.', createdAt: new Date('2026-02-16T00:00:00.000Z'), author: 'Beispiel-Shop' }],
      helpfulVotes: null,
      extra: { itemType: 'Product' },
    });
    expect(reviewsById[`${url}#bewertung-4698`]).toMatchObject({
      // Shown as "3,5" with no content attribute: a decimal comma; no bestRating, so out of 5.
      rating: { value: 3.5, min: 1, max: 5 },
      author: { name: 'Jonas W.', id: null, url: null, avatarUrl: null },
      // Line breaks in the markup are spaces on the page.
      text: 'Gutes Gerät für den Preis. Der Behälter könnte größer sein.',
      createdAt: new Date('2026-01-30T00:00:00.000Z'),
      datePrecision: 'day',
      helpfulVotes: 12,
    });
    expect(reviewsById[`${url}#bewertung-4650`]).toMatchObject({
      // content="2" beats the shown "2,0"; `<a itemprop="author">` gives a link, not a name.
      rating: { value: 2, min: 1, max: 5 },
      author: { name: null, id: null, url: 'https://shop.example/de/kunden/anonym-31', avatarUrl: null },
      title: null,
      text: 'Mahlwerk & Deckel klappern nach zwei Wochen.',
    });
    // The AggregateRating sits elsewhere on the page, joined by itemref: content="3.5" beats "3,5".
    expect(sources[0]).toMatchObject({
      status: 'ok',
      fetched: 3,
      coverage: { complete: true, reportedTotal: 3 },
      summary: { average: 3.5, count: 3 },
    });
  });

  it('reads offset-less and date-only values in the timeZone option', async () => {
    const url = 'https://shop.example/de/kaffeemuehle-ck-200';
    const { reviews } = await aggregate([schemaOrg({ html: html('shop-microdata'), url, timeZone: 'Europe/Berlin' })], run);
    expect(reviews.map((r) => [r.createdAt?.toISOString(), r.datePrecision])).toEqual([
      ['2026-02-14T08:30:00.000Z', 'instant'],
      ['2026-01-29T23:00:00.000Z', 'day'],
      ['2026-01-04T23:00:00.000Z', 'day'],
    ]);
    // The reply's date-only value too.
    expect(reviews[0]?.replies[0]?.createdAt).toEqual(new Date('2026-02-15T23:00:00.000Z'));
  });

  it('reads RDFa Lite: vocab, typeof, resource references, prefixes; Open Graph and foreign terms ignored', async () => {
    const url = 'https://www.local-pros.example/companies/acme-roofing-12345';
    const { reviews, sources } = await aggregate([schemaOrg({ html: html('rdfa-directory'), url })], run);
    expect(reviews).toEqual([
      {
        id: `schema-org:${url}#review-881`,
        source: 'schema-org',
        externalId: `${url}#review-881`,
        subject: { id: url, name: 'Acme Roofing & Gutters' },
        url: null,
        author: { name: 'Morgan T.', id: null, url: null, avatarUrl: null },
        rating: { value: 8, min: 1, max: 10 },
        stars: 1 + (4 * 7) / 9,
        recommendation: null,
        polarity: 'positive',
        title: 'Fixed the leak the same day',
        text: 'Called at 8am, crew was here by noon.\n\nFair price, and they cleaned up the gutters too.',
        language: null,
        createdAt: new Date('2026-09-02T00:00:00.000Z'),
        updatedAt: null,
        datePrecision: 'day',
        // The comment's author is the business itself (`resource="#business"`): an owner reply.
        replies: [{ text: 'Thanks Morgan, glad we could help before the storm.', createdAt: new Date('2026-09-03T13:15:00.000Z'), author: 'Acme Roofing & Gutters' }],
        helpfulVotes: null,
        extra: { itemType: 'HomeAndConstructionBusiness' },
      },
      {
        id: `schema-org:${url}#review-879`,
        source: 'schema-org',
        externalId: `${url}#review-879`,
        subject: { id: url, name: 'Acme Roofing & Gutters' },
        url: null,
        author: { name: 'Home Repair Weekly', id: null, url: 'https://homerepair-weekly.example/', avatarUrl: null },
        // "6 / 10" in `content`: the share it states, 60% (on 0–10), as "60%" would be.
        rating: { value: 6, min: 0, max: 10 },
        stars: 3.4,
        recommendation: null,
        polarity: 'neutral',
        title: 'Good work, slow quotes',
        text: 'Workmanship was solid. Getting a written quote took three weeks.',
        language: null,
        createdAt: new Date('2026-08-20T18:05:00.000Z'),
        updatedAt: null,
        datePrecision: 'instant',
        replies: [],
        helpfulVotes: null,
        extra: { itemType: 'HomeAndConstructionBusiness', reviewType: 'CriticReview', authorType: 'Organization' },
      },
    ]);
    // 9.2 out of 1–10 on the 1–5 scale, with the formula of `stars`.
    expect(sources[0]?.summary).toEqual({ average: 1 + (4 * 8.2) / 9, count: 412 });
    expect(sources[0]?.coverage).toEqual({ complete: false, reason: 'platform-limit', reportedTotal: 58 });
  });

  it('skips JSON-LD blocks that cannot be read and repairs the ones search engines tolerate', async () => {
    const url = 'https://www.harbourview.example/reviews';
    const { reviews, sources } = await aggregate([schemaOrg({ html: html('broken-json-ld'), url })], run);
    expect(reviews.map((r) => [r.author.name, r.title, r.text, r.rating?.value, r.createdAt?.toISOString(), r.subject.name])).toEqual([
      // An unescaped quote, a raw line break, trailing commas, a stray brace, an HTML-comment wrapper.
      ['Noor A.', 'The "Blue Room" was lovely', 'Quiet room facing the harbour.\nBreakfast until 11, which we loved.', 5, '2026-07-21T00:00:00.000Z', 'Harbour View Guesthouse'],
      // An invalid \' escape.
      ['Pieter V.', null, "Friendly host, but the stairs are steep 'with luggage'.", 4, '2026-07-02T00:00:00.000Z', 'Harbour View Guesthouse'],
      // CDATA-wrapped array; its item named by @id in the other block.
      ['Hana S.', null, 'Spotless, and the host arranged an early taxi.', 5, '2026-06-11T10:40:00.000Z', 'Harbour View Guesthouse'],
      // Microdata beside the JSON-LD, `http://schema.org` types.
      ['Tomás R.', null, 'Great value for the old town.', 4, '2026-05-30T00:00:00.000Z', 'Harbour View Guesthouse'],
    ]);
    expect(reviews[2]?.externalId).toBe('https://www.harbourview.example/reviews#r-2026-06-11');
    expect(sources[0]).toMatchObject({ status: 'ok', coverage: { complete: true, reportedTotal: 4 }, summary: { average: 4.5, count: 4 } });
    expect(sources[0]?.coverage.note).toBe('2 JSON-LD blocks could not be read and were skipped.');
  });

  it('reads ratings, authors and dates as pages write them, and skips reviews it cannot rate', async () => {
    const url = 'https://www.gadgets.example/products/usb-c-hub-7in1';
    const { reviews, sources } = await aggregate([schemaOrg({ html: html('json-ld-wild'), url })], run);
    const by = (name: string) => reviews.find((r) => r.author.name === name || r.author.url === name);
    expect(by('Priya N.')).toEqual({
      id: `schema-org:${url}#review-1`,
      source: 'schema-org',
      externalId: `${url}#review-1`,
      subject: { id: url, name: 'USB-C Hub 7-in-1' },
      url: null,
      author: { name: 'Priya N.', id: null, url: null, avatarUrl: 'https://www.gadgets.example/avatars/priya-n.png' },
      rating: { value: 4.5, min: 1, max: 5 },
      stars: 4.5,
      recommendation: null,
      polarity: 'positive',
      title: 'Works with my laptop',
      text: 'Both monitors work at 60 Hz.\nThe "pass-through" charging is a bonus.',
      language: 'en-GB',
      createdAt: new Date('2026-03-03T00:00:00.000Z'),
      updatedAt: null,
      datePrecision: 'day',
      // The shop's answer; a visitor's comment is not a reply.
      replies: [{ text: 'Thanks, Priya! Keep it ventilated and it stays cool.', createdAt: new Date('2026-03-05T10:00:00.000Z'), author: 'Gadgets Example' }],
      helpfulVotes: 7,
      extra: { itemType: 'Product', pros: ['Compact', '4K HDMI'], cons: ['Gets warm'] },
    });
    expect(by('Tom')).toMatchObject({
      // Its own url is its id; its name only repeats the product's, so it has no title.
      externalId: 'https://www.gadgets.example/reviews/hub-7c/r2',
      url: 'https://www.gadgets.example/reviews/hub-7c/r2',
      title: null,
      text: 'Does what it says.',
      rating: { value: 3, min: 1, max: 5 },
      createdAt: new Date('2026-03-04T18:45:00.000Z'),
      datePrecision: 'instant',
    });
    expect(by('Ana')).toMatchObject({
      rating: { value: 6, min: 0, max: 10 },
      stars: 3.4,
      createdAt: new Date('2026-03-05T00:00:00.000Z'),
      datePrecision: 'day',
      extra: { itemType: 'Product', authors: ['Ana', 'Ben'] },
    });
    expect(by('Gadget Lab Magazine')).toMatchObject({
      rating: { value: 60, min: 0, max: 100 },
      stars: 3.4,
      author: { name: 'Gadget Lab Magazine', url: 'https://gadgetlab.example/' },
      // Day and month order are ambiguous: no date rather than a guess, the text kept.
      createdAt: null,
      datePrecision: null,
      extra: { itemType: 'Product', reviewType: 'CriticReview', authorType: 'Organization', datePublished: '05/03/2026' },
    });
    expect(by('https://www.gadgets.example/users/77')).toMatchObject({
      author: { name: null, id: null, url: 'https://www.gadgets.example/users/77', avatarUrl: null },
      rating: { value: 4.5, min: 1, max: 5 },
      createdAt: new Date('2026-03-01T00:00:00.000Z'),
      datePrecision: 'month',
    });
    expect(by('Kim')).toMatchObject({ rating: { value: 0, min: 0, max: 5 }, stars: 1, createdAt: null, datePrecision: null, extra: { datePublished: 'yesterday' } });
    expect(by('Oli')).toMatchObject({ text: 'Prefixed terms, same vocabulary.', createdAt: new Date('2026-03-07T08:00:00.000Z'), subject: { name: 'USB-C Hub 7-in-1' } });
    expect(by('Uma')).toMatchObject({ externalId: `${url}#review-alias`, subject: { name: 'USB-C Hub 7-in-1' }, rating: { value: 4, min: 1, max: 5 } });
    // The two reviews the widget repeats in microdata count once.
    expect(reviews).toHaveLength(8);
    const report = sources[0];
    expect(report).toMatchObject({ status: 'partial', fetched: 8, skippedCount: 3, summary: { average: 4.2, count: 1024 } });
    expect(report?.coverage).toEqual({ complete: false, reason: 'platform-limit', reportedTotal: 1024 });
    expect(report?.skipped?.map(({ externalId: _, ...skip }) => skip)).toEqual([
      { page: 1, index: 6, stage: 'item', path: 'review.props.reviewRating', reason: 'ratingValue is not a number' },
      { page: 1, index: 7, stage: 'item', path: 'review.props.reviewRating', reason: 'ratingValue 7 lies outside worstRating–bestRating (1–5)' },
      { page: 1, index: 8, stage: 'item', path: 'review', reason: 'has neither a rating nor any text' },
    ]);
    expect(report?.skipped?.every((s) => /^[0-9a-f]{16}$/.test(s.externalId ?? ''))).toBe(true);
  });

  it('gives zero reviews and complete coverage for a page without reviews', async () => {
    const route: FixtureRoute = { path: '/about', headers: HTML, body: html('no-reviews') };
    server.reset([route]);
    const { reviews, sources } = await aggregate([schemaOrg({ url: 'https://www.acme-bistro.example/about', baseUrl: server.url })], run);
    expect(reviews).toEqual([]);
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 0, pages: 1, coverage: { complete: true, reportedTotal: null }, summary: null });
    expect(sources[0]?.coverage.note).toBe(
      'The page carries no schema.org reviews (JSON-LD, microdata or RDFa): check that the URL is the page showing them, and that they are not loaded by script.',
    );
    expect(sources[0]?.error).toBeUndefined();
  });

  it('reports the AggregateRating of a page that shows no reviews as what is out of reach', async () => {
    const { reviews, sources } = await aggregate([schemaOrg({ html: html('aggregate-only'), url: 'https://www.apps.example/app/notes-plus' })], run);
    expect(reviews).toEqual([]);
    // reviewCount is the total; ratingCount (with its thousands comma) the summary's count.
    expect(sources[0]).toMatchObject({
      status: 'ok',
      coverage: { complete: false, reason: 'platform-limit', reportedTotal: 87 },
      summary: { average: 4.6, count: 12480 },
    });
    expect(sources[0]?.coverage.note).toMatch(/no schema\.org reviews.*Its AggregateRating counts 87, but none is marked up here\.$/);
  });

  it('names the error page’s title in NOT_FOUND, and what came back in BAD_RESPONSE', async () => {
    const adapter = () => schemaOrg({ url: PAGE_URL, baseUrl: server.url });
    server.reset(errorPage(404));
    const notFound = (await aggregate([adapter()], run)).sources[0]?.error;
    expect(notFound?.code).toBe('NOT_FOUND');
    expect(notFound?.status).toBe(404);
    expect(notFound?.message).toContain('HTTP 404: Page not found – Reviews Example.');
    server.reset([{ path: PAGE_PATH, body: { reviews: [] } }]);
    const json = (await aggregate([adapter()], run)).sources[0]?.error;
    expect(json?.code).toBe('BAD_RESPONSE');
    expect(json?.message).toContain('expected an HTML page but got JSON (application/json)');
    // A JSON body served without a content type is still JSON.
    server.reset([{ path: PAGE_PATH, headers: { 'content-type': 'text/plain' }, body: '{"reviews":[]}' }]);
    expect((await aggregate([adapter()], run)).sources[0]?.error?.message).toContain('expected an HTML page but got JSON');
    server.reset(errorPage(200, '%PDF-1.7', { 'content-type': 'application/pdf' }));
    expect((await aggregate([adapter()], run)).sources[0]?.error?.message).toContain('got a binary file (application/pdf)');
    server.reset(errorPage(403, html('not-found').replace('Page not found', 'Just a moment...')));
    const forbidden = (await aggregate([adapter()], run)).sources[0]?.error;
    expect(forbidden?.code).toBe('FORBIDDEN');
    expect(forbidden?.message).toContain('HTTP 403: Just a moment... – Reviews Example. The site refuses this client');
  });

  it('does not retry a page that is not HTML', async () => {
    server.reset([{ path: PAGE_PATH, body: { reviews: [] } }]);
    await aggregate([schemaOrg({ url: PAGE_URL, baseUrl: server.url })], { ...run, retry: { attempts: 3, baseDelayMs: 1 } });
    expect(server.requests).toHaveLength(1);
  });

  it('keeps a session cookie sent with the request out of errors', async () => {
    const cookie = 'session=cafe0123456789SECRET';
    server.reset(errorPage(403));
    const { sources } = await aggregate([schemaOrg({ url: PAGE_URL, baseUrl: server.url, http: { headers: { Cookie: cookie } } })], run);
    expect(server.requests[0]?.headers.cookie).toBe(cookie);
    const printed = inspect(sources, { depth: 10, showHidden: true }) + JSON.stringify(sources);
    expect(printed).not.toContain('cafe0123456789SECRET');
  });

  it('rejects missing, conflicting and malformed options with CONFIG', async () => {
    expect(() => schemaOrg({})).toThrow(expect.objectContaining({ code: 'CONFIG', message: 'schema-org: option `url` is required: give the page as `url` (or its HTML as `html`).' }));
    expect(() => schemaOrg({ url: 'ftp://files.example/page.html' })).toThrow(expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining('`url`') }));
    expect(() => schemaOrg({ html: '' })).toThrow(expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining('`html`') }));
    expect(() => schemaOrg({ url: PAGE_URL, timeZone: 'Mars/Olympus' })).toThrow(
      expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining('`timeZone` is invalid: must be an IANA time zone') }),
    );
    // One page, no paging: a cursor cannot come from this adapter.
    const { sources } = await aggregate([schemaOrg({ html: html('no-reviews'), cursor: 'page-2' })], run);
    expect(sources[0]?.error?.code).toBe('CONFIG');
    expect(sources[0]?.error?.message).toContain('`cursor` does not apply');
  });

  it('loads cheerio only when it reads a page', () => {
    const adapterUrl = new URL('../../adapters/schema-org/index.ts', import.meta.url).href;
    // A resolve hook reports every import of the cheerio package, before and after the first page.
    const script = `
      import { register } from 'node:module';
      import { MessageChannel } from 'node:worker_threads';
      const { port1, port2 } = new MessageChannel();
      const seen = [];
      port1.on('message', (specifier) => seen.push(specifier));
      port1.unref();
      const hook = 'let port; export function initialize(data) { port = data.port; }'
        + ' export async function resolve(specifier, context, next) {'
        + '   if (specifier === "cheerio" || specifier.startsWith("cheerio/")) port.postMessage(specifier);'
        + '   return next(specifier, context); }';
      register('data:text/javascript,' + encodeURIComponent(hook), { data: { port: port2 }, transferList: [port2] });
      const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
      const { schemaOrg } = await import(${JSON.stringify(adapterUrl)});
      const adapter = schemaOrg({ html: '<p>no markup</p>' });
      await settle();
      const beforeRead = [...seen];
      for await (const page of adapter.pages({ signal: new AbortController().signal, since: null, now: new Date() })) void page;
      await settle();
      console.log(JSON.stringify({ beforeRead, afterRead: seen }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      encoding: 'utf8',
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    expect(JSON.parse(out)).toEqual({ beforeRead: [], afterRead: ['cheerio/slim'] });
  });
});
