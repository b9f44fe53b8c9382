/**
 * App Store customer reviews from the App Store Connect API, with the developer's responses:
 * `GET https://api.appstoreconnect.apple.com/v1/apps/{id}/customerReviews` (JSON:API).
 * Facts followed (apis.md §7b):
 * - developer.apple.com/documentation/appstoreconnectapi/get-v1-apps-_id_-customerreviews: `include`
 *   (`response`), `sort` (`-createdDate`), `limit` (maximum 200), the example's `createdDate`
 *   (`2017-11-15T08:10:34-08:00`), `links.next` (absolute, `?cursor=AQ.AMt2C-U&limit=1`) and
 *   `meta.paging.total`; a captured `links.next` (appStoreVersions example) keeps the request's
 *   other parameters beside `cursor`.
 * - Apple's OpenAPI 4.3.1 as mirrored in api-evangelist/ios `openapi/ios-customerreviewresponses-api-openapi.yml`:
 *   response attributes `responseBody`, `lastModifiedDate`, `state` (`PUBLISHED` | `PENDING_PUBLISH`),
 *   and `ErrorResponse` `{ errors: [{ id?, status, code, title, detail, source? }] }`.
 * - Error bodies as captured in third-party issues: 401 `NOT_AUTHORIZED` (egodigital/node-appstore-connect#3),
 *   403 `FORBIDDEN_ERROR` (AvdLee/appstoreconnect-swift-sdk#182), 429 `RATE_LIMIT_EXCEEDED`
 *   (AvdLee/appstoreconnect-swift-sdk#239), 404 `NOT_FOUND` "There is no resource of type …" (fastlane/fastlane#21345).
 * - Responses (apis.md §12.5; Apple's OpenAPI 4.3.1, api-evangelist/ios mirror; developer.apple.com
 *   customer-review-responses): `POST /v1/customerReviewResponses` "Create a response or replace an existing
 *   response" (201, `state` `PUBLISHED` | `PENDING_PUBLISH`: "Responses don't appear in the App Store
 *   instantly"), `GET /v1/customerReviews/{id}/response`, `DELETE /v1/customerReviewResponses/{id}` (204);
 *   errors 409 and 422 besides the usual ones. 409 is "the JSON data you have provided conflicts with rules
 *   enforced by the API" (developer.apple.com "About the HTTP Status Code"), e.g. 409
 *   `ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG` ("It cannot exceed 50 characters", captured for another
 *   resource in third-party code); 422 bodies carry `ENTITY_UNPROCESSABLE.*` codes (captured for
 *   betaAppReviewSubmissions). Both are refusals of the content: `reply()` reports them as `rejected`.
 *   Length: 5,970 characters, from a third-party tool schema ("max 5970 chars"); Apple's reference states none.
 */
import { z } from 'zod';
import {
  type AdapterPage,
  cleanText,
  type DetectedError,
  dateSchema,
  defineAdapter,
  type ErrorCode,
  type HttpResponseInfo,
  type Reply,
  type ReplyContext,
  type Review,
  ReviewkitError,
} from '../../src/index.js';

const SOURCE = 'app-store';

const connectOptions = z.object({
  /**
   * A signed App Store Connect API token (ES256 JWT, valid at most 20 minutes), sent as
   * `Authorization: Bearer …`. Make one with {@link appStoreConnectToken}.
   */
  token: z.string().min(1),
  /** The app's App Store Connect id (its Apple ID, e.g. `1234567890`, as listed by `GET /v1/apps`). */
  appId: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an App Store Connect app id like 1234567890'),
  /** Reviews per request, at most 200 (the API's maximum). Default 200. */
  limit: z.number().int().min(1).max(200).default(200),
});

/** Options of {@link appStoreConnect}. */
export type AppStoreConnectOptions = z.input<typeof connectOptions>;

const relationship = z.object({ data: z.object({ type: z.string(), id: z.string() }).nullish() }).optional();

const ascReview = z.object({
  type: z.literal('customerReviews'),
  id: z.string().min(1),
  attributes: z.object({
    rating: z.number().int().min(1).max(5),
    title: z.string().nullish(),
    body: z.string().nullish(),
    reviewerNickname: z.string().nullish(),
    createdDate: dateSchema(),
    territory: z.string().nullish(),
  }),
  relationships: z.object({ response: relationship }).optional(),
});

const ascResponse = z.object({
  type: z.literal('customerReviewResponses'),
  id: z.string(),
  attributes: z
    .object({
      responseBody: z.string().nullish(),
      lastModifiedDate: dateSchema().nullish(),
      state: z.string().nullish(),
    })
    .optional(),
});

// The envelope: what paging needs. Reviews are checked one by one; included responses when joined.
const ascPage = z.object({
  data: z.array(z.unknown()),
  included: z.array(z.unknown()).optional(),
  links: z.object({ self: z.string().optional(), next: z.string().optional() }).optional(),
  meta: z.object({ paging: z.object({ total: z.number().int().nonnegative().optional() }).optional() }).optional(),
});

type AscResponse = z.output<typeof ascResponse>;

interface ConnectShared {
  app: { id: string; name: null };
  /** Included `customerReviewResponses`, by their id. */
  responses: ReadonlyMap<string, AscResponse>;
}

const errorBody = z.object({
  errors: z
    .array(
      z.object({
        id: z.string().optional(),
        status: z.string().optional(),
        code: z.string(),
        title: z.string().optional(),
        detail: z.string().optional(),
      }),
    )
    .min(1),
});

// Apple's codes are dotted from general to specific (`PARAMETER_ERROR.INVALID`); the head decides.
// Maps, not records: a body's `constructor` or `__proto__` must find nothing, not Object's own.
const ERROR_CODES: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries({
    NOT_AUTHORIZED: 'AUTH',
    FORBIDDEN_ERROR: 'FORBIDDEN',
    // 403 "Access Unavailable": the Account Holder must accept the latest agreement.
    FORBIDDEN: 'FORBIDDEN',
    NOT_FOUND: 'NOT_FOUND',
    RATE_LIMIT_EXCEEDED: 'RATE_LIMITED',
    PARAMETER_ERROR: 'CONFIG',
  }),
);

/** Statuses with which App Store Connect refuses what was sent (a response's text, say): the same request fails again. */
const REFUSALS: ReadonlySet<number> = new Set([409, 422]);

/** Reads the JSON:API `errors[]` array App Store Connect answers every failure with. */
function detectConnectError(response: HttpResponseInfo): DetectedError | undefined {
  if (response.status < 400) return undefined;
  const parsed = errorBody.safeParse(response.body);
  if (!parsed.success) return undefined;
  const [first] = parsed.data.errors;
  if (first === undefined) return undefined;
  const code = ERROR_CODES.get(first.code.split('.')[0] as string);
  const said = first.detail ?? first.title;
  const message = said === undefined ? undefined : first.id ? `${said} (error id ${first.id})` : said;
  return {
    vendorCode: first.code,
    ...(code && { code }),
    ...(message !== undefined && { message }),
    ...(REFUSALS.has(response.status) && {
      retry: false,
      advice: 'App Store Connect refused the content sent; change it before sending it again',
    }),
  };
}

/** The `cursor` of a `links.next` URL, checked to continue this very listing. */
function nextCursorOf(next: string, path: string): { url: string; cursor: string } {
  let url: URL;
  try {
    // Absolute in every capture; a relative link would be read against the API origin.
    url = new URL(next, 'https://api.appstoreconnect.apple.com');
  } catch {
    throw paginationError('`links.next` is not a URL');
  }
  const cursor = url.searchParams.get('cursor');
  // The core would rebase any path onto the API origin: only the listing being read may be followed.
  if (url.pathname !== path) throw paginationError('`links.next` points away from the reviews being listed');
  if (!cursor) throw paginationError('`links.next` has no `cursor` parameter');
  return { url: url.toString(), cursor };
}

function paginationError(what: string): ReviewkitError {
  return new ReviewkitError({ code: 'PAGINATION', source: SOURCE, message: `${SOURCE}: ${what}; please report it.` });
}

function toResponses(included: readonly unknown[] | undefined): Map<string, AscResponse> {
  const responses = new Map<string, AscResponse>();
  for (const resource of included ?? []) {
    const parsed = ascResponse.safeParse(resource);
    if (parsed.success) responses.set(parsed.data.id, parsed.data);
  }
  return responses;
}

/** "max 5970 chars" (apis.md §12.5). */
const MAX_RESPONSE_CHARS = 5970;

type Options = z.output<typeof connectOptions>;

/** A `CustomerReviewResponseV1Response`; `data` is null where a review has no response. */
const responseDocument = z.object({ data: ascResponse });
const maybeResponseDocument = z.object({ data: ascResponse.nullable() });

const authOf = (ctx: ReplyContext<Options>) => ({ Authorization: `Bearer ${ctx.options.token}` });

/**
 * Every customer review of your app from the App Store Connect API, newest first, with your
 * published responses as `replies`. Needs a token signed with an App Store Connect API key
 * (see {@link appStoreConnectToken}). A response still `PENDING_PUBLISH` is not public yet: it stays
 * out of `replies` and is described in `extra.response`.
 *
 * Answers reviews with `reply()` (at most 5,970 characters; `pending` until Apple publishes the
 * response) and `deleteReply()`, for the reviews it read.
 *
 * @example
 * const token = appStoreConnectToken({ issuerId, keyId, privateKey: readFileSync('AuthKey_ABC123DEFG.p8', 'utf8') });
 * const source = appStoreConnect({ token, appId: '1234567890' });
 */
export const appStoreConnect = defineAdapter({
  name: SOURCE,
  options: connectOptions,
  baseUrl: 'https://api.appstoreconnect.apple.com',
  subjectId: (o) => o.appId,
  secrets: (o) => [o.token],
  // `sort=-createdDate`: `since` can stop paging.
  order: 'newest-first',
  // The feed reports the same source and app id under other review ids: only reviews read here (they
  // always carry `extra.territory`) can be answered here.
  owns: (review, o) => review.source === SOURCE && review.subject.id === o.appId && 'territory' in review.extra,
  detectError: detectConnectError,
  page: ascPage,
  item: ascReview,
  async *pages(ctx): AsyncGenerator<AdapterPage<unknown, ConnectShared>> {
    const { token, appId, limit } = ctx.options;
    const headers = { Authorization: `Bearer ${token}` };
    const path = `/v1/apps/${encodeURIComponent(appId)}/customerReviews`;
    const app = { id: appId, name: null };
    let cursor = ctx.cursor;
    let page = await ctx.fetchPage(path, {
      headers,
      query: { include: 'response', sort: '-createdDate', limit, cursor: cursor ?? undefined },
    });
    for (;;) {
      const next = page.links?.next ? nextCursorOf(page.links.next, path) : null;
      yield {
        items: page.data,
        shared: { app, responses: toResponses(page.included) },
        cursor,
        nextCursor: next?.cursor ?? null,
        reportedTotal: page.meta?.paging?.total ?? null,
      };
      if (next === null) return;
      cursor = next.cursor;
      // Apple's own link carries the request's parameters beside the cursor; the core rebases it onto `baseUrl`.
      page = await ctx.fetchPage(next.url, { headers });
    }
  },
  normalize(review, { shared }) {
    const { attributes } = review;
    const linked = review.relationships?.response?.data;
    const response = linked?.type === 'customerReviewResponses' ? shared.responses.get(linked.id) : undefined;
    const responseText = cleanText(response?.attributes?.responseBody, { html: false });
    const state = response?.attributes?.state ?? null;
    const isPending = state === 'PENDING_PUBLISH';
    const replies: Reply[] =
      response === undefined || responseText === null || isPending
        ? []
        : // The response carries only its last edit time; it stands in for when it was written.
          [{ text: responseText, createdAt: response.attributes?.lastModifiedDate ?? null, author: null }];
    return {
      externalId: review.id,
      subject: shared.app,
      url: null,
      author: { name: cleanText(attributes.reviewerNickname, { html: false }) },
      rating: { value: attributes.rating, min: 1, max: 5 },
      title: cleanText(attributes.title, { html: false }),
      text: cleanText(attributes.body, { html: false }),
      language: null,
      createdAt: attributes.createdDate,
      replies,
      extra: {
        territory: attributes.territory ?? null,
        ...(response !== undefined && {
          // The id a reply or delete needs; `text` only while pending, since it is not in `replies` then.
          response: {
            id: response.id,
            state,
            ...(isPending && {
              text: responseText,
              lastModifiedDate: response.attributes?.lastModifiedDate?.toISOString() ?? null,
            }),
          },
        }),
      },
    };
  },
  reply: {
    rules: { maxChars: MAX_RESPONSE_CHARS },
    async post(ctx, review, text) {
      let answer: z.output<typeof responseDocument>;
      try {
        // "If a response already exists, this endpoint updates the response by overwriting it": safe to retry.
        answer = await ctx.http.request('POST', '/v1/customerReviewResponses', {
          headers: authOf(ctx),
          body: {
            data: {
              type: 'customerReviewResponses',
              attributes: { responseBody: text },
              relationships: { review: { data: { type: 'customerReviews', id: review.externalId } } },
            },
          },
          schema: responseDocument,
        });
      } catch (error) {
        if (ReviewkitError.is(error) && error.status !== undefined && REFUSALS.has(error.status)) {
          return { status: 'rejected', reply: null, reason: error.message };
        }
        throw error;
      }
      const attributes = answer.data.attributes;
      const reply: Reply = { text: attributes?.responseBody ?? text, createdAt: attributes?.lastModifiedDate ?? ctx.now, author: null };
      const state = attributes?.state ?? null;
      if (state === 'PUBLISHED') return { status: 'published', reply };
      // PENDING_PUBLISH ("Responses don't appear in the App Store instantly"), or a state added later.
      return {
        status: 'pending',
        reply,
        reason: `App Store Connect holds the response (state ${state ?? 'not reported'}); it appears on the App Store once published.`,
      };
    },
    async delete(ctx, review) {
      const known = responseIdIn(review);
      const id = known ?? (await responseIdOf(ctx, review));
      if (id === null) return { status: 'published', reply: null, reason: 'The review has no response to delete.' };
      try {
        await ctx.http.request('DELETE', `/v1/customerReviewResponses/${encodeURIComponent(id)}`, { headers: authOf(ctx) });
      } catch (error) {
        // The id the review was read with may be stale (that response was deleted since): ask which one it has now.
        if (!(known !== null && ReviewkitError.is(error) && error.code === 'NOT_FOUND')) throw error;
        const current = await responseIdOf(ctx, review);
        if (current === null) return { status: 'published', reply: null, reason: 'The review has no response to delete.' };
        await ctx.http.request('DELETE', `/v1/customerReviewResponses/${encodeURIComponent(current)}`, { headers: authOf(ctx) });
      }
      return { status: 'published', reply: null };
    },
  },
});

/** The response id the review was read with (`extra.response.id`, from `include=response`). */
function responseIdIn(review: Review): string | null {
  const response = review.extra.response;
  const id = typeof response === 'object' && response !== null && 'id' in response ? response.id : undefined;
  return typeof id === 'string' && id !== '' ? id : null;
}

/** The review's response id now, from `GET /v1/customerReviews/{id}/response`; null without one. */
async function responseIdOf(ctx: ReplyContext<Options>, review: Review): Promise<string | null> {
  const found = await ctx.http.get(`/v1/customerReviews/${encodeURIComponent(review.externalId)}/response`, {
    headers: authOf(ctx),
    schema: maybeResponseDocument,
  });
  return found.data?.id ?? null;
}
