// The schema-org adapter's readers, case by case: lenient JSON-LD, JSON-LD contexts, microdata and
// RDFa edge cases, and the value readers (ratings, counts, dates, languages).
import { load } from 'cheerio/slim';
import { describe, expect, it } from 'vitest';
import type { DomNode } from '../../adapters/schema-org/dom.js';
import { jsonLdNodes, parseJsonLdBlock } from '../../adapters/schema-org/json-ld.js';
import { microdataNodes } from '../../adapters/schema-org/microdata.js';
import type { SchemaNode } from '../../adapters/schema-org/nodes.js';
import { readPage } from '../../adapters/schema-org/page.js';
import { rdfaNodes } from '../../adapters/schema-org/rdfa.js';
import { parseCount, readDate, readLanguage, readRating } from '../../adapters/schema-org/values.js';

const dom = (html: string): DomNode => load(html).root()[0] ?? { type: 'root' };
// Nodes as plain objects, for comparing with toEqual.
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const node = (types: string[], id: string | null, props: Record<string, unknown[]> = {}) => ({ types, id, props });

describe('lenient JSON-LD blocks', () => {
  it.each([
    ['valid JSON', '{"@type":"Review","name":"a"}', [{ '@type': 'Review', name: 'a' }]],
    ['a CDATA wrapper', '//<![CDATA[\n{"a":1}\n//]]>', [{ a: 1 }]],
    ['a /* CDATA */ wrapper', '/*<![CDATA[*/{"a":1}/*]]>*/', [{ a: 1 }]],
    ['an HTML comment wrapper', '<!-- {"a":1} -->', [{ a: 1 }]],
    ['a byte order mark', '\uFEFF{"a":1}', [{ a: 1 }]],
    ['trailing commas', '{"a":[1,2,],"b":{"c":3,},}', [{ a: [1, 2], b: { c: 3 } }]],
    ['a doubled comma', '{"a":[1,,2]}', [{ a: [1, 2] }]],
    ['raw control characters in strings', '{"a":"line\nbreak\ttab\u0001"}', [{ a: 'line\nbreak\ttab\u0001' }]],
    ['an invalid escape', String.raw`{"a":"it\'s \x"}`, [{ a: "it's x" }]],
    ['unescaped quotes inside a string', '{"name":"Kenmore 17" Microwave","b":1}', [{ name: 'Kenmore 17" Microwave', b: 1 }]],
    ['a closing brace too many', '{"a":{"b":1}}}', [{ a: { b: 1 } }]],
    ['a missing closing bracket', '{"review":[{"a":1}}', [{ review: [{ a: 1 }] }]],
    ['missing closing braces at the end', '{"a":{"b":[1,2', [{ a: { b: [1, 2] } }]],
    ['comments outside strings', '{ // the product\n"a": 1, /* note */ "b": "http://x.example/y" }', [{ a: 1, b: 'http://x.example/y' }]],
    ['several values in one block', '{"a":1}\n{"b":2};', [{ a: 1 }, { b: 2 }]],
    ['an entity-encoded block', '{&quot;@type&quot;:&quot;Review&quot;,&quot;name&quot;:&quot;Fish &amp; chips&quot;}', [{ '@type': 'Review', name: 'Fish & chips' }]],
  ])('repairs %s', (_name, text, expected) => {
    expect(parseJsonLdBlock(text)).toEqual(expected);
  });

  it.each([
    ['an empty block', '   '],
    ['a string cut off', '{"a":"never clo'],
    ['a value cut off', '{"@type": '],
    ['text that is no JSON', 'window.data = undefined'],
  ])('gives up on %s', (_name, text) => {
    expect(parseJsonLdBlock(text)).toBeNull();
  });

  it('repairs a large broken block in linear time', () => {
    const reviews = Array.from({ length: 5000 }, (_, i) => `{"@type":"Review","reviewBody":"line one\nline ${i}","reviewRating":{"ratingValue":"4",},}`);
    const text = `{"@context":"https://schema.org","review":[${reviews.join(',')},]}`;
    const started = performance.now();
    const [value] = parseJsonLdBlock(text) ?? [];
    expect((value as { review: unknown[] }).review).toHaveLength(5000);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('JSON-LD contexts and values', () => {
  const nodesOf = (value: unknown, base: string | null = 'https://site.example/page') => plain(jsonLdNodes([value], base));

  it('reads http and https schema.org contexts, full IRIs and schema: terms alike', () => {
    const expected = [node(['Review'], null, { reviewBody: ['x'] })];
    expect(nodesOf({ '@context': 'http://schema.org', '@type': 'Review', reviewBody: 'x' })).toEqual(expected);
    expect(nodesOf({ '@context': 'https://schema.org/', '@type': 'Review', reviewBody: 'x' })).toEqual(expected);
    expect(nodesOf({ '@context': 'schema.org', '@type': 'Review', reviewBody: 'x' })).toEqual(expected);
    expect(nodesOf({ '@context': 'https://schema.org', '@type': 'schema:Review', 'schema:reviewBody': 'x' })).toEqual(expected);
    expect(nodesOf({ '@type': 'http://schema.org/Review', 'https://schema.org/reviewBody': 'x' })).toEqual(expected);
    expect(nodesOf({ '@context': { '@vocab': 'https://schema.org/' }, '@type': 'Review', reviewBody: 'x' })).toEqual(expected);
    expect(nodesOf({ '@context': { sdo: 'http://schema.org/', body: 'sdo:reviewBody' }, '@type': 'sdo:Review', body: 'x' })).toEqual(expected);
  });

  it('skips terms of another vocabulary, and bare terms after a null context', () => {
    expect(nodesOf({ '@context': 'https://www.w3.org/ns/activitystreams', type: 'Note', name: 'x' })).toEqual([node([], null)]);
    expect(nodesOf({ '@context': { '@vocab': 'http://purl.org/goodrelations/v1#' }, '@type': 'Offering', name: 'x' })).toEqual([node([], null)]);
    expect(nodesOf({ '@context': 'https://schema.org', author: { '@context': null, name: 'x', 'schema:name': 'y' } })).toEqual([
      node([], null, { author: [node([], null, { name: ['y'] })] }),
    ]);
    expect(nodesOf({ '@context': 'https://schema.org', 'og:title': 'x', __proto__x: 1, 'bad key': 2 })).toEqual([node([], null)]);
    expect(nodesOf({ '@context': ['https://schema.org', { name: 'http://xmlns.com/foaf/0.1/name' }], name: 'x', description: 'y' })).toEqual([
      node([], null, { description: ['y'] }),
    ]);
  });

  it('ignores arrays nested in @context, however deep, without overflowing the stack', () => {
    // Found by the property tests: a context of 5,000 nested arrays overflowed the stack and failed the page.
    let deep: unknown = 'https://schema.org';
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(nodesOf({ '@context': deep, '@type': 'Review', reviewBody: 'x' })).toEqual([node(['Review'], null, { reviewBody: ['x'] })]);
    expect(nodesOf({ '@context': ['https://schema.org', [{ '@vocab': 'http://purl.org/goodrelations/v1#' }]], '@type': 'Review' })).toEqual([node(['Review'], null)]);
  });

  it('reads @graph, top-level arrays, @type arrays, @value, @list, @set, @base and relative @ids', () => {
    expect(
      nodesOf([
        {
          '@context': ['https://schema.org', { '@base': 'https://other.example/dir/' }],
          '@graph': [
            { '@type': ['Product', 'Thing'], '@id': 'p1', name: { '@value': 'Lamp', '@language': 'en' } },
            { '@type': 'Review', '@id': '_:b0', keywords: { '@list': ['a', { '@set': ['b'] }] }, reviewRating: { '@value': 5 } },
          ],
        },
        { '@context': 'https://schema.org', '@type': 'Thing', '@id': '#t', name: null, sameAs: [] },
      ]),
    ).toEqual([
      node(['Product', 'Thing'], 'https://other.example/dir/p1', { name: ['Lamp'] }),
      node(['Review'], '_:b0', { keywords: ['a', 'b'], reviewRating: [5] }),
      node(['Thing'], 'https://site.example/page#t'),
    ]);
  });

  it('keeps ids as written when the page has no URL', () => {
    expect(nodesOf({ '@context': 'https://schema.org', '@type': 'Review', '@id': '#r1' }, null)).toEqual([node(['Review'], '#r1')]);
  });
});

describe('page graph', () => {
  const read = (html: string, url: string | null = 'https://site.example/p') => readPage(dom(html), url);
  const ld = (value: unknown) => `<script type="application/ld+json">${JSON.stringify(value)}</script>`;

  it('merges a node described in several places and follows references without looping', () => {
    const page = read(
      ld({
        '@context': 'https://schema.org',
        '@graph': [
          { '@type': 'Product', '@id': '#p', review: { '@id': '#r' } },
          { '@id': '#p', name: 'Lamp' },
          { '@type': 'Review', '@id': '#r', author: { '@id': '#a' }, reviewBody: 'Bright.', reviewRating: { '@id': '#r/rating' } },
          { '@type': 'Person', '@id': '#a', name: 'Ida', knows: { '@id': '#a' }, worksFor: { '@id': '#p' } },
          { '@type': 'Rating', '@id': '#r/rating', ratingValue: '4', bestRating: '5' },
        ],
      }),
    );
    expect(page.items).toHaveLength(1);
    const review = plain(page.items[0]?.review) as SchemaNode;
    expect(review.props.itemReviewed).toEqual([node(['Product'], 'https://site.example/p#p', { name: ['Lamp'] })]);
    const author = review.props.author?.[0] as SchemaNode;
    expect(author.props.name).toEqual(['Ida']);
    // The cycle ends at the node already on the path.
    expect(author.props.knows).toEqual([node(['Person'], 'https://site.example/p#a')]);
    // A nested item does not bring its own review list along.
    expect((author.props.worksFor?.[0] as SchemaNode).props).toEqual({ name: ['Lamp'] });
    expect(review.props.reviewRating).toEqual([node(['Rating'], 'https://site.example/p#r/rating', { ratingValue: ['4'], bestRating: ['5'] })]);
  });

  it('takes the summary from the AggregateRating of the reviewed item, else the first on the page', () => {
    const other = { '@type': 'Product', name: 'Other', aggregateRating: { '@type': 'AggregateRating', ratingValue: '2', ratingCount: '10' } };
    const main = {
      '@type': 'Product',
      name: 'Main',
      aggregateRating: { '@type': 'AggregateRating', ratingValue: '4', ratingCount: '20', reviewCount: '5' },
      reviews: [{ '@type': 'UserReview', reviewBody: 'ok', reviewRating: '4' }],
    };
    const page = read(ld({ '@context': 'https://schema.org', '@graph': [other, main] }));
    expect(page.summary).toEqual({ average: 4, count: 20, reportedTotal: 5 });
    // `reviews` (the older plural) holds it; a bare rating value stands for a Rating.
    expect(plain(page.items[0]?.review.props.itemReviewed)).toEqual([node(['Product'], null, { name: ['Main'], aggregateRating: [node(['AggregateRating'], null, { ratingValue: ['4'], ratingCount: ['20'], reviewCount: ['5'] })] })]);
    expect(read(ld({ '@context': 'https://schema.org', '@graph': [other] })).summary).toEqual({ average: 2, count: 10, reportedTotal: 10 });
    expect(
      read(ld({ '@context': 'https://schema.org', '@type': 'AggregateRating', itemReviewed: { '@type': 'Book', name: 'B' }, ratingValue: 'n/a', reviewCount: 3 })).summary,
    ).toEqual({ average: null, count: 3, reportedTotal: 3 });
  });

  it('does not take an id every review shares, or the page’s own address, for a review id', () => {
    const review = (body: string, extra: object) => ({ '@type': 'Review', reviewBody: body, reviewRating: '5', ...extra });
    const page = read(
      ld({
        '@context': 'https://schema.org',
        '@type': 'Product',
        name: 'Lamp',
        review: [
          review('a', { url: 'https://site.example/p' }),
          review('b', { url: 'https://site.example/reviews' }),
          review('c', { url: 'https://site.example/reviews' }),
          review('d', { '@id': 'https://site.example/p' }),
          review('e', { url: 'https://site.example/reviews/e' }),
        ],
      }),
    );
    expect(page.items.map((i) => i.externalId)).toEqual([
      expect.stringMatching(/^[0-9a-f]{16}$/),
      expect.stringMatching(/^[0-9a-f]{16}$/),
      expect.stringMatching(/^[0-9a-f]{16}$/),
      expect.stringMatching(/^[0-9a-f]{16}$/),
      'https://site.example/reviews/e',
    ]);
    expect(new Set(page.items.map((i) => i.externalId)).size).toBe(5);
  });

  it('ignores ClaimReview fact checks and counts unreadable blocks', () => {
    const page = read(`${ld({ '@context': 'https://schema.org', '@type': 'ClaimReview', reviewRating: { ratingValue: '1' } })}<script type="application/ld+json">{"@type": </script>`);
    expect(page.items).toEqual([]);
    expect(page.unreadableBlocks).toBe(1);
  });
});

describe('microdata and RDFa edge cases', () => {
  it('follows itemref, survives an itemref loop, and reads values by element', () => {
    const root = dom(`
      <div itemscope itemtype="https://schema.org/Review" itemref="extra loop" id="loop">
        <a itemprop="url" href="r/1">permalink</a>
        <img itemprop="image" src="/i.png">
        <data itemprop="ratingValue" value="4">four</data>
        <time itemprop="dateCreated">2024-01-02</time>
        <meta itemprop="author">
        <span itemprop="name http://schema.org/headline other:thing">Two names</span>
      </div>
      <p id="extra"><span itemprop="reviewBody">Line<br>two <b>bold</b></span></p>`);
    const byId = new Map<string, DomNode>();
    const walk = (n: DomNode) => {
      const id = n.attribs?.id;
      if (id) byId.set(id, n);
      for (const c of n.children ?? []) walk(c);
    };
    walk(root);
    expect(plain(microdataNodes(root, byId, 'https://site.example/x/y'))).toEqual([
      node(['Review'], null, {
        url: ['https://site.example/x/r/1'],
        image: ['https://site.example/i.png'],
        ratingValue: ['4'],
        dateCreated: ['2024-01-02'],
        author: [''],
        name: ['Two names'],
        headline: ['Two names'],
        reviewBody: ['Line\ntwo bold'],
      }),
    ]);
  });

  it('reads a review under thousands of unclosed elements without overflowing the stack', () => {
    const depth = 20_000;
    const review = (attrs: string, prop: string) =>
      `<div ${attrs}><span ${prop}="reviewBody">Deep <b>down</b> in ${prop}</span><span ${prop}="ratingValue">4</span></div>`;
    const page = readPage(
      dom(`${'<div>'.repeat(depth)}${review('itemscope itemtype="https://schema.org/Review"', 'itemprop')}<section vocab="https://schema.org/">${'<p>'.repeat(depth)}${review('typeof="Review"', 'property')}`),
      null,
    );
    expect(page.items.map((i) => [i.syntax, plain(i.review.props.reviewBody)])).toEqual([
      ['microdata', ['Deep down in itemprop']],
      ['rdfa', ['Deep down in property']],
    ]);
  });

  it('reads the text of an element named after an Object property (the class of bug the property tests found in google-places)', () => {
    const page = readPage(dom('<div itemscope itemtype="https://schema.org/Review"><constructor itemprop="reviewBody">Kind staff</constructor></div>'), null);
    expect(page.items.map((i) => plain(i.review.props.reviewBody))).toEqual([['Kind staff']]);
  });

  it('keeps microdata of another vocabulary out of schema.org types', () => {
    const root = dom('<div itemscope itemtype="http://data-vocabulary.org/Review"><span itemprop="summary">x</span></div>');
    expect(plain(microdataNodes(root, new Map(), null))).toEqual([node([], null, { summary: ['x'] })]);
  });

  it('reads RDFa prefixes and about, and resets with an empty vocab', () => {
    const root = dom(`
      <div vocab="http://schema.org/" about="#thing" typeof="Product">
        <span property="name">Lamp</span>
        <div vocab="" prefix="s: https://schema.org/ dc: http://purl.org/dc/terms/">
          <span property="description">not schema.org here</span>
          <span property="dc:title">nor here</span>
          <span property="s:description" content="Bright">shown</span>
          <a property="s:url" href="/lamp">link</a>
        </div>
      </div>`);
    expect(plain(rdfaNodes(root, 'https://site.example/'))).toEqual([
      node(['Product'], 'https://site.example/#thing', { name: ['Lamp'], description: ['Bright'], url: ['https://site.example/lamp'] }),
    ]);
  });
});

describe('values', () => {
  const rating = (props: Record<string, unknown[]>) => readRating({ types: ['Rating'], id: null, props } as SchemaNode);

  it.each([
    ['a number', { ratingValue: [4] }, { value: 4, min: 1, max: 5 }],
    ['a string', { ratingValue: ['4.5'] }, { value: 4.5, min: 1, max: 5 }],
    ['a decimal comma', { ratingValue: ['4,5'] }, { value: 4.5, min: 1, max: 5 }],
    ['string bounds', { ratingValue: ['8'], bestRating: ['10'], worstRating: ['0'] }, { value: 8, min: 0, max: 10 }],
    ['a fraction, as the share it states', { ratingValue: ['6 / 10'], bestRating: ['5'] }, { value: 6, min: 0, max: 10 }],
    ['a fraction with a worstRating', { ratingValue: ['6/10'], worstRating: ['1'] }, { value: 6, min: 1, max: 10 }],
    ['"out of"', { ratingValue: ['4.5 out of 5'] }, { value: 4.5, min: 0, max: 5 }],
    ['a percentage', { ratingValue: ['60%'], bestRating: ['5'] }, { value: 60, min: 0, max: 100 }],
    ['a zero without worstRating', { ratingValue: ['0'] }, { value: 0, min: 0, max: 5 }],
    ['a half star', { ratingValue: ['0.5'] }, { value: 0.5, min: 0, max: 5 }],
    ['no ratingValue', { bestRating: ['5'] }, null],
  ])('reads %s', (_name, props, expected) => {
    expect(rating(props)).toEqual({ ok: true, rating: expected });
  });

  it.each([
    ['text', { ratingValue: ['five'] }, 'ratingValue is not a number'],
    ['a thousands-grouped value', { ratingValue: ['4,500.5'] }, 'ratingValue is not a number'],
    ['a bad bestRating', { ratingValue: ['4'], bestRating: ['max'] }, 'bestRating is not a number'],
    ['a bad worstRating', { ratingValue: ['4'], worstRating: ['min'] }, 'worstRating is not a number'],
    ['an inverted scale', { ratingValue: ['3'], bestRating: ['1'], worstRating: ['5'] }, 'bestRating 1 must exceed worstRating 5'],
    ['a value above the scale', { ratingValue: ['6'] }, 'ratingValue 6 lies outside worstRating–bestRating (1–5)'],
    ['a negative value', { ratingValue: ['-1'] }, 'ratingValue -1 lies outside worstRating–bestRating (1–5)'],
    // Found by the property tests: hundreds of digits were Infinity, a scale no review can be on.
    ['a bestRating of 400 digits', { ratingValue: ['4'], bestRating: ['9'.repeat(400)] }, 'bestRating is not a number'],
    ['a ratingValue of 400 digits', { ratingValue: ['9'.repeat(400)] }, 'ratingValue is not a number'],
  ])('refuses %s', (_name, props, problem) => {
    expect(rating(props)).toEqual({ ok: false, problem });
  });

  it('reads a bare value as a rating and nothing as no rating', () => {
    expect(readRating('3')).toEqual({ ok: true, rating: { value: 3, min: 1, max: 5 } });
    expect(readRating(undefined)).toEqual({ ok: true, rating: null });
    expect(readRating(true)).toEqual({ ok: true, rating: null });
  });

  it.each([
    ['1199', 1199],
    ['1,199', 1199],
    ['1.199', 1199],
    ['1 199', 1199],
    ['12\u00a0480', 12480],
    [87, 87],
    ['1.5', null],
    ['-3', null],
    [2.5, null],
    // Found by the property tests: a count past 2^53 (or Infinity) became the report's reportedTotal.
    ['9'.repeat(400), null],
    ['9007199254740993', null],
    ['lots', null],
  ])('reads the count %j', (value, expected) => {
    expect(parseCount(value)).toBe(expected);
  });

  it.each([
    ['2024-03-01', 'UTC', '2024-03-01T00:00:00.000Z', 'day'],
    ['2024-03-01', 'America/New_York', '2024-03-01T05:00:00.000Z', 'day'],
    ['2024-03-01Z', 'America/New_York', '2024-03-01T00:00:00.000Z', 'day'],
    ['2024-03', 'UTC', '2024-03-01T00:00:00.000Z', 'month'],
    ['2024-03-10T02:30:00', 'America/Los_Angeles', '2024-03-10T10:30:00.000Z', 'instant'],
    ['2022-10-14T17:12:38.000Z', 'Asia/Tokyo', '2022-10-14T17:12:38.000Z', 'instant'],
    ['2024-03-01 12:00:00+0530', 'UTC', '2024-03-01T06:30:00.000Z', 'instant'],
    [' March 3, 2024 ', 'UTC', '2024-03-03T00:00:00.000Z', 'day'],
    ['Mar 3 2024', 'UTC', '2024-03-03T00:00:00.000Z', 'day'],
    ['3 March 2024', 'UTC', '2024-03-03T00:00:00.000Z', 'day'],
    ['2024/03/03', 'UTC', '2024-03-03T00:00:00.000Z', 'day'],
    ['03.04.2024', 'UTC', '2024-04-03T00:00:00.000Z', 'day'],
  ])('reads the date %j in %s', (text, zone, iso, precision) => {
    expect(readDate(text, zone)).toEqual({ date: new Date(iso), precision });
  });

  it.each(['03/04/2024', '2024', 'yesterday', '2024-02-30', '2024-13-01T00:00:00Z', ''])('gives no date for %j', (text) => {
    expect(readDate(text, 'UTC')).toBeNull();
  });

  it('reads languages as BCP 47 tags', () => {
    expect(readLanguage(['en_us'])).toBe('en-US');
    expect(readLanguage(['zh-hant-tw'])).toBe('zh-Hant-TW');
    expect(readLanguage([{ types: ['Language'], id: null, props: { name: ['English'], alternateName: ['en'] } }])).toBe('en');
    expect(readLanguage(['English'])).toBeNull();
    expect(readLanguage(['English', 'fr'])).toBe('fr');
    expect(readLanguage(undefined)).toBeNull();
  });
});
