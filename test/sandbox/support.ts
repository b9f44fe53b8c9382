// What the sandbox tests share: the counts every full fetch must give, how each adapter reports
// what the sandbox holds, and one raw request per sandboxed API.
import type { Review } from '../../src/index.js';
import type { Sandbox, SandboxReview, SandboxSource } from '../../sandbox/index.js';

/** Reviews a full fetch of each source gives with the default counts, whatever the seed. */
export const EXPECTED_FETCHED: Readonly<Record<SandboxSource, number>> = {
  yelp: 3,
  'google-places': 5,
  'google-places-legacy': 5,
  'google-business-profile': 60,
  facebook: 36,
  trustpilot: 48,
  tripadvisor: 5,
  'app-store': 64,
  'app-store-connect': 40,
  'google-play': 15,
  'schema-org': 20,
  x: 31,
  instagram: 28,
};

/** Sources that need a credential (the App Store feed and web pages need none). */
export const WITH_CREDENTIALS: readonly SandboxSource[] = [
  'yelp',
  'google-places',
  'google-places-legacy',
  'google-business-profile',
  'facebook',
  'trustpilot',
  'tripadvisor',
  'app-store-connect',
  'google-play',
  'x',
  'instagram',
];

/** The fields of a review the tests compare with what the sandbox holds. */
export type Compared = Pick<Review, 'externalId' | 'title' | 'text' | 'stars' | 'recommendation' | 'createdAt' | 'updatedAt' | 'replies' | 'helpfulVotes'> & {
  author: string | null;
};

export function compared(review: Review): Compared {
  const { externalId, title, text, stars, recommendation, createdAt, updatedAt, replies, helpfulVotes } = review;
  return { externalId, title, text, stars, recommendation, createdAt, updatedAt, replies, helpfulVotes, author: review.author.name };
}

/**
 * What the source's adapter reports for a review the sandbox holds. Each line is the adapter's own
 * documented reading: the App Store feed's `updated` and Play's `lastModified` are the last change
 * (reported as `createdAt`); Play reports an edit only when the text is newer than the reply;
 * only Business Profile, Trustpilot, schema.org and X carry an edit time.
 */
export function reported(source: SandboxSource, held: SandboxReview): Compared {
  const lastChange = held.updatedAt ?? held.createdAt;
  const isLastChangeCreation = source === 'app-store' || source === 'google-play';
  const isEditShown =
    source === 'google-business-profile' || source === 'trustpilot' || source === 'schema-org' || source === 'x'
      ? held.updatedAt
      : source === 'google-play' && held.replies.some((reply) => reply.createdAt.getTime() < lastChange.getTime())
        ? lastChange
        : null;
  return {
    externalId: held.externalId,
    title: held.title,
    text: held.text,
    stars: held.stars,
    recommendation: held.recommendation,
    createdAt: isLastChangeCreation ? lastChange : held.createdAt,
    updatedAt: isEditShown,
    replies: held.replies,
    helpfulVotes: held.helpfulVotes,
    author: held.author,
  };
}

/** One raw request per sandboxed API: path and headers as its adapter sends them. */
export function rawRequests(sandbox: Sandbox): Record<SandboxSource, { path: string; headers: Record<string, string> }> {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const yelp = sandbox.adapterOptions('yelp');
  const places = sandbox.adapterOptions('google-places');
  const legacy = sandbox.adapterOptions('google-places-legacy');
  const gbp = sandbox.adapterOptions('google-business-profile');
  const facebook = sandbox.adapterOptions('facebook');
  const trustpilot = sandbox.adapterOptions('trustpilot');
  const tripadvisor = sandbox.adapterOptions('tripadvisor');
  const feed = sandbox.adapterOptions('app-store');
  const connect = sandbox.adapterOptions('app-store-connect');
  const play = sandbox.adapterOptions('google-play');
  const page = sandbox.adapterOptions('schema-org');
  const x = sandbox.adapterOptions('x');
  const instagram = sandbox.adapterOptions('instagram');
  return {
    yelp: { path: `/v3/businesses/${yelp.businessId}/reviews?limit=50`, headers: bearer(yelp.apiKey) },
    'google-places': {
      path: `/v1/places/${places.placeId}`,
      headers: { 'x-goog-api-key': places.apiKey, 'x-goog-fieldmask': 'id,displayName,rating,userRatingCount,reviews' },
    },
    'google-places-legacy': { path: `/maps/api/place/details/json?place_id=${legacy.placeId}&key=${legacy.apiKey}&reviews_sort=newest`, headers: {} },
    'google-business-profile': { path: `/v4/accounts/${gbp.accountId}/locations/${gbp.locationId}/reviews?pageSize=50`, headers: bearer(gbp.accessToken) },
    facebook: {
      path: `/v21.0/${facebook.pageId}/ratings?fields=created_time,recommendation_type,review_text,reviewer,open_graph_story&limit=25`,
      headers: bearer(facebook.accessToken),
    },
    trustpilot: { path: `/v1/business-units/${trustpilot.businessUnitId}/reviews?perPage=100`, headers: { apikey: trustpilot.apiKey } },
    tripadvisor: { path: `/api/v1/location/${tripadvisor.locationId}/reviews?key=${tripadvisor.apiKey}&language=en`, headers: {} },
    'app-store': { path: `/us/rss/customerreviews/page=1/id=${feed.appId}/sortby=mostrecent/json`, headers: {} },
    'app-store-connect': { path: `/v1/apps/${connect.appId}/customerReviews?include=response&sort=-createdDate&limit=200`, headers: bearer(connect.token) },
    'google-play': { path: `/androidpublisher/v3/applications/${play.packageName}/reviews?maxResults=100`, headers: bearer(play.accessToken) },
    'schema-org': { path: new URL(page.url ?? 'https://missing.invalid/').pathname, headers: {} },
    x: {
      path: `/2/tweets/search/recent?query=${encodeURIComponent(x.query)}&max_results=100&tweet.fields=created_at,author_id,lang,public_metrics&expansions=author_id`,
      headers: bearer(x.bearerToken),
    },
    instagram: { path: `/v24.0/${instagram.userId}/tags?fields=id,caption,timestamp,username`, headers: bearer(instagram.accessToken) },
  };
}

/** GET a sandbox path; the answer's status, headers and body text. */
export async function get(sandbox: Sandbox, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${sandbox.url}${path}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
