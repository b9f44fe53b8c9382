/**
 * The App Store's public customer-reviews feed, JSON flavour (apis.md §7a; the adapter's captured
 * fixtures): `GET /{cc}/rss/customerreviews/page={1..10}/id={appId}/sortby={mostrecent|mosthelpful}/json`,
 * no credentials. Every value is a string in `{label}`; 50 entries a page, 10 pages at most; the
 * `first`/`last`/`previous`/`next` links point at the XML feed with the page in the path; a lone
 * entry arrives as an object rather than a one-element array; a feed without reviews has no
 * `entry`. Each entry's `updated` is its last change (an edited review shows its edit time). The
 * sandbox's app has its reviews in the `us` storefront; others are empty. Apple documents no
 * error format: failures are a 429 with `Retry-After` and plain 5xx pages [mem].
 */
import type { AppStoreOptions } from '../../adapters/app-store/index.js';
import { NICKNAME_NOUNS, NICKNAME_WORDS } from '../corpus.js';
import { generateFacts, type Person } from '../data.js';
import { SANDBOX_ZONE, withOffset } from '../dates.js';
import {
  type FaultContext,
  html,
  json,
  lastChange,
  type ModuleContext,
  type ModuleRequest,
  type ModuleResponse,
  ReviewStore,
  type SourceModule,
  type StoredReview,
} from '../module.js';
import type { Random } from '../random.js';
import type { SandboxFault } from '../types.js';
import { addedFields, countOf, firstIds, storeMethods } from './common.js';

const APP = { id: '1600000001', name: 'Sandbox Bistro' };
const STOREFRONT = 'us';
/** Options of the adapter reading this sandboxed API (add `baseUrl`). */
export const APP_STORE_OPTIONS = { appId: APP.id, country: STOREFRONT } satisfies AppStoreOptions;
const PAGE_SIZE = 50;
const MAX_PAGES = 10;
const PATH = /^\/([a-z]{2})\/rss\/customerreviews\/page=(\d+)\/id=(\d+)\/sortby=(mostrecent|mosthelpful)\/json$/i;
const VERSIONS = ['4.0.2', '4.1.0', '4.1.1', '4.2.0', '4.2.1', '4.3.0'];

interface FeedReview extends StoredReview {
  reviewerId: string;
  version: string;
  voteCount: number;
}

/** An App Store nickname: `Hungry Otter 42`, or one made of the name. */
export function nickname(random: Random, p: Person): string {
  return random.chance(0.5) ? `${random.pick(NICKNAME_WORDS)} ${random.pick(NICKNAME_NOUNS)} ${random.int(1, 99)}` : `${p.first.toLowerCase()}_${p.last.charAt(0).toLowerCase()}`;
}

/** The App Store feed module. */
export function appStoreFeedModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const facts = generateFacts(random, { topic: 'app', count: countOf(context, 64), spanDays: 730, anchor: context.anchor, titleRate: 1 });
  const store = new ReviewStore<FeedReview>(
    'app-store',
    facts.map((f) => {
      const votes = f.helpfulVotes;
      return {
        externalId: random.digits(11),
        reviewerId: random.digits(9),
        version: random.pick(VERSIONS),
        voteCount: votes + random.int(0, 3),
        author: nickname(random, f.person),
        stars: f.stars,
        recommendation: null,
        title: f.title,
        text: f.text,
        language: f.language,
        createdAt: f.createdAt,
        updatedAt: null,
        replies: [],
        helpfulVotes: votes,
      };
    }),
  );
  const orders = {
    mostrecent: (a: FeedReview, b: FeedReview) => lastChange(b).getTime() - lastChange(a).getTime() || (a.externalId < b.externalId ? -1 : 1),
    mosthelpful: (a: FeedReview, b: FeedReview) => (b.helpfulVotes ?? 0) - (a.helpfulVotes ?? 0) || orders.mostrecent(a, b),
  };
  const order = () => store.sorted('mostrecent', orders.mostrecent);

  function entryJson(review: FeedReview) {
    return {
      author: { uri: { label: `https://itunes.apple.com/us/reviews/id${review.reviewerId}` }, name: { label: review.author ?? '' }, label: '' },
      updated: { label: withOffset(lastChange(review), SANDBOX_ZONE) },
      'im:rating': { label: String(review.stars) },
      'im:version': { label: review.version },
      id: { label: review.externalId },
      title: { label: review.title ?? '' },
      content: { label: review.text ?? '', attributes: { type: 'text' } },
      link: { attributes: { rel: 'related', href: `https://itunes.apple.com/us/review?id=${APP.id}&type=Purple%20Software` } },
      'im:voteSum': { label: String(review.helpfulVotes ?? 0) },
      'im:contentType': { attributes: { term: 'Application', label: 'Application' } },
      'im:voteCount': { label: String(review.voteCount) },
    };
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const [, cc = '', pageText = '', appId = '', sortText = ''] = PATH.exec(request.path) ?? [];
    const page = Number(pageText);
    const sort = sortText.toLowerCase() as keyof typeof orders;
    const sortLabel = sort === 'mostrecent' ? 'mostRecent' : 'mostHelpful';
    if (page < 1 || page > MAX_PAGES) {
      return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `CustomerReviews RSS page depth is limited to ${MAX_PAGES}` };
    }
    const reviews = cc.toLowerCase() === STOREFRONT && appId === APP.id ? store.sorted(sort, orders[sort]).slice(0, PAGE_SIZE * MAX_PAGES) : [];
    const lastPage = Math.max(1, Math.ceil(reviews.length / PAGE_SIZE));
    const entries = reviews.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(entryJson);
    const feedUrl = (n: number) => `https://itunes.apple.com/${cc}/rss/customerreviews/page=${n}/id=${appId}/sortby=${sort}/xml?urlDesc=/customerreviews/id=${appId}/sortBy=${sortLabel}/page=${page}/json`;
    const link = (rel: string, href: string, type?: string) => ({ attributes: { rel, ...(type && { type }), href } });
    return json(200, {
      feed: {
        author: { name: { label: 'iTunes Store' }, uri: { label: 'http://www.apple.com/us/itunes/' } },
        // An XML→JSON artefact of the real feed: one entry is an object, not a list.
        ...(entries.length === 1 ? { entry: entries[0] } : entries.length > 1 ? { entry: entries } : {}),
        updated: { label: withOffset(context.now(), SANDBOX_ZONE) },
        rights: { label: 'Copyright 2008 Apple Inc.' },
        title: { label: 'iTunes Store: Customer Reviews' },
        icon: { label: 'http://itunes.apple.com/favicon.ico' },
        link: [
          link('alternate', `https://music.apple.com/WebObjects/MZStore.woa/wa/viewGrouping?cc=${cc}&id=1000`, 'text/html'),
          link('self', `https://itunes.apple.com/${cc}/rss/customerreviews/id=${appId}/sortBy=${sortLabel}/page=${page}/json`),
          link('first', feedUrl(1)),
          link('last', feedUrl(lastPage)),
          link('previous', feedUrl(Math.max(1, page - 1))),
          link('next', feedUrl(Math.min(lastPage, page + 1))),
        ],
        id: { label: `https://itunes.apple.com/${cc}/rss/customerreviews/id=${appId}/sortBy=${sortLabel}/page=${page}/json` },
      },
    });
  }

  function fault(kind: SandboxFault, _request: ModuleRequest, { random: draw, retryAfterSeconds }: FaultContext): ModuleResponse {
    if (kind === 'rate-limit') return { status: 429, headers: { 'retry-after': String(retryAfterSeconds), 'content-type': 'text/plain; charset=utf-8' }, body: 'Too Many Requests' };
    const status = draw.chance(0.5) ? 503 : 502;
    const title = status === 503 ? 'Service Unavailable' : 'Bad Gateway';
    return html(status, `<!DOCTYPE html><html><head><title>${status} ${title}</title></head><body><h1>${title}</h1></body></html>`);
  }

  return {
    key: 'app-store',
    source: 'app-store',
    claims: (request) => PATH.test(request.path),
    handle,
    fault,
    ...storeMethods({
      key: 'app-store',
      store,
      random,
      order,
      listed: () => firstIds(order(), PAGE_SIZE * MAX_PAGES),
      hasStars: true,
      hasEditTime: true,
      replies: false,
      create: (input) => ({
        externalId: random.digits(11),
        reviewerId: random.digits(9),
        version: VERSIONS[VERSIONS.length - 1] as string,
        voteCount: 0,
        ...addedFields(input, { helpfulVotes: 0 }),
      }),
    }),
  };
}
