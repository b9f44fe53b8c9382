/**
 * Google Play Developer API `reviews.list` (apis.md §8; the adapter and its fixtures):
 * `GET /androidpublisher/v3/applications/{packageName}/reviews` with an OAuth token, `maxResults`
 * (10 by default, at most 100), `token` paging (`tokenPagination.nextPageToken`), reviews as
 * `comments[]`, a union of `{userComment}` (title and body joined by a tab, `lastModified` as a
 * protobuf Timestamp, device facts) and `{developerComment}`. Only reviews written or edited in the
 * last week (of the sandbox clock) are listed, the most recently changed first; `pageInfo` is left
 * out, as Google mostly does. Errors: Google's envelope with the legacy `errors[].reason`.
 *
 * Replies (apis.md §12.6, the `reviews.reply` reference): `POST …/reviews/{reviewId}:reply` with
 * `{"replyText"}` creates or replaces the developer's reply and answers `{"result": {replyText,
 * lastEdited}}`. HTML tags are stripped; a reply over 350 characters after that is refused (400
 * `INVALID_ARGUMENT`; Google says "approximately 350"). There is no delete. Reply requests count
 * against a daily quota per app (2,000, or `replyQuota`), per day of the sandbox clock in Pacific
 * time, as Google's quota days end at midnight Pacific time; past it Google's daily-quota answer:
 * 403 `PERMISSION_DENIED` with `errors[].reason: rateLimitExceeded` (the shape captured for the
 * API's daily query quota).
 */
import type { GooglePlayOptions } from '../../adapters/google-play.js';
import { fullName, generateFacts, type ReviewFacts } from '../data.js';
import { days, protoTimestamp } from '../dates.js';
import {
  bearerOf,
  type FaultContext,
  intParam,
  json,
  lastChange,
  type ModuleContext,
  type ModuleRequest,
  type ModuleResponse,
  offsetToken,
  readOffsetToken,
  ReviewStore,
  type SourceModule,
  type StoredReview,
} from '../module.js';
import type { Random } from '../random.js';
import type { SandboxFault } from '../types.js';
import { countOf, storeMethods } from './common.js';
import { credentialsInvalid, credentialsMissing, errorInfo, googleError, googleFault, invalidArgument } from './google-errors.js';
import { field, jsonBody, pacificDay } from './replies.js';

/** The sandbox's OAuth access token for the Play Developer API. */
export const PLAY_ACCESS_TOKEN = 'ya29.c.SandboxPlayDeveloperToken_0123456789abcdef';
const PACKAGE = 'com.sandboxbistro.orders';
/** Options of the adapter reading this sandboxed API (add `baseUrl`). */
export const GOOGLE_PLAY_OPTIONS = { accessToken: PLAY_ACCESS_TOKEN, packageName: PACKAGE } satisfies GooglePlayOptions;
const SERVICE = 'androidpublisher.googleapis.com';
const METHOD = 'google.play.publishing.v3.ReviewsService.List';
const DEFAULT_MAX_RESULTS = 10;
const MAX_RESULTS = 100;
/** Play serves the reviews created or changed within the last week. */
const WINDOW_MS = days(7);
const PATH = /^\/androidpublisher\/v3\/applications\/([^/]+)\/reviews$/;
const REPLY_PATH = /^\/androidpublisher\/v3\/applications\/([^/]+)\/reviews\/([^/]+):reply$/;
const REPLY_METHOD = 'google.play.publishing.v3.ReviewsService.Reply';
/** "Replies of more than approximately 350 characters will be rejected." */
const MAX_REPLY_CHARS = 350;
/** "POST requests (for replying to reviews): 2,000 per day" per app. */
const DEFAULT_REPLY_QUOTA = 2000;
const TOKEN_PREFIX = 'CpQBCpEB';
const DEVICES = [
  { device: 'sbx7', productName: 'Sandbox Phone 7 (sbx7)', manufacturer: 'Sandbox Mobile', deviceClass: 'phone', screenWidthPx: 1080, screenHeightPx: 2400, ramMb: 7680, os: 34 },
  { device: 'tabby', productName: 'Tabby Tab 10 (tabby)', manufacturer: 'Tabby', deviceClass: 'tablet', screenWidthPx: 1600, screenHeightPx: 2560, ramMb: 4096, os: 33 },
  { device: 'oldie', productName: 'Oldie 3 (oldie)', manufacturer: 'Oldie', deviceClass: 'phone', screenWidthPx: 720, screenHeightPx: 1520, ramMb: 2048, os: 29 },
] as const;
const VERSIONS = [
  ['4.2.0', 4200],
  ['4.2.1', 4210],
  ['4.3.0', 4300],
] as const;
const REGIONS: Readonly<Record<string, readonly string[]>> = { en: ['en_US', 'en_GB'], de: ['de_DE', 'de_AT'], fr: ['fr_FR', 'fr_CA'], es: ['es_ES', 'es_419'] };

interface PlayReview extends StoredReview {
  device: number;
  version: number;
  locale: string;
  thumbsDown: number;
  /** Nanoseconds beyond the millisecond in `lastModified`. */
  subMillis: number;
}

function playReview(random: Random, f: Pick<ReviewFacts, 'stars' | 'title' | 'text' | 'createdAt' | 'helpfulVotes'> & { language: string }, author: string): PlayReview {
  return {
    externalId: `gp:AOqpTO${random.chars(44, 'url-safe')}`,
    device: random.int(0, DEVICES.length - 1),
    version: random.int(0, VERSIONS.length - 1),
    locale: random.pick(REGIONS[f.language] ?? ['en_US']),
    thumbsDown: random.int(0, 2),
    subMillis: random.int(0, 999_999),
    author,
    stars: f.stars,
    recommendation: null,
    title: f.title,
    text: f.text,
    language: f.language,
    createdAt: new Date(f.createdAt.getTime() + random.int(0, 999)),
    updatedAt: null,
    replies: [],
    helpfulVotes: f.helpfulVotes,
  };
}

/** The Google Play module. */
export function googlePlayModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const total = countOf(context, 26);
  const recentCount = Math.ceil(total * 0.55);
  // Most reviews of the week, and older ones Play no longer lists.
  const recent = generateFacts(random, { topic: 'app', count: recentCount, spanDays: 7, anchor: context.anchor, titleRate: 0.5, replyRate: 0.5 });
  const older = generateFacts(random, { topic: 'app', count: total - recentCount, spanDays: 720, anchor: new Date(context.anchor.getTime() - days(9)), titleRate: 0.5, replyRate: 0.5 });
  const store = new ReviewStore<PlayReview>(
    'google-play',
    [...older, ...recent].map((f) => {
      const review = playReview(random, f, fullName(f.person));
      if (f.reply) review.replies = [{ id: random.digits(9), text: f.reply.text, createdAt: f.reply.createdAt, author: null }];
      return review;
    }),
  );
  const order = () =>
    store.sorted('lastModified', (a, b) => lastChange(b).getTime() - lastChange(a).getTime() || (a.externalId < b.externalId ? -1 : 1));
  const listed = () => {
    const since = context.now().getTime() - WINDOW_MS;
    return order().filter((r) => lastChange(r).getTime() >= since);
  };

  function reviewJson(review: PlayReview) {
    const device = DEVICES[review.device] ?? DEVICES[0];
    const [versionName, versionCode] = VERSIONS[review.version] ?? VERSIONS[0];
    const reply = review.replies[0];
    return {
      reviewId: review.externalId,
      authorName: review.author,
      comments: [
        {
          userComment: {
            text: review.title === null ? (review.text ?? '') : `${review.title}\t${review.text ?? ''}`,
            lastModified: protoTimestamp(lastChange(review), review.subMillis),
            starRating: review.stars,
            reviewerLanguage: review.locale,
            device: device.device,
            androidOsVersion: device.os,
            appVersionCode: versionCode,
            appVersionName: versionName,
            // proto3 JSON leaves out zeros.
            ...(review.helpfulVotes ? { thumbsUpCount: review.helpfulVotes } : {}),
            ...(review.thumbsDown > 0 && { thumbsDownCount: review.thumbsDown }),
            deviceMetadata: {
              productName: device.productName,
              manufacturer: device.manufacturer,
              deviceClass: device.deviceClass,
              screenWidthPx: device.screenWidthPx,
              screenHeightPx: device.screenHeightPx,
              nativePlatform: 'arm64-v8a,armeabi-v7a,armeabi',
              ramMb: device.ramMb,
            },
          },
        },
        ...(reply ? [{ developerComment: { text: reply.text, lastModified: protoTimestamp(reply.createdAt) } }] : []),
      ],
    };
  }

  const replyQuota = context.replyQuota ?? DEFAULT_REPLY_QUOTA;
  /** Reply requests per Pacific day. */
  const repliesByDay = new Map<string, number>();

  function reply(request: ModuleRequest, reviewId: string): ModuleResponse {
    const day = pacificDay(context.now());
    const used = repliesByDay.get(day) ?? 0;
    if (used >= replyQuota) return quotaExceeded();
    repliesByDay.set(day, used + 1);
    const review = store.get(reviewId);
    if (review === undefined) {
      const message = 'The review could not be found.';
      return googleError(404, 'NOT_FOUND', message, { errors: [{ message, domain: 'global', reason: 'notFound' }] });
    }
    const replyText = field(jsonBody(request), 'replyText');
    if (typeof replyText !== 'string') return invalidArgument('Invalid value at \'reply_text\': a string is required.');
    // "HTML tags will be stripped."
    const text = replyText.replace(/<[^>]*>/g, '');
    if (text.trim() === '') return invalidArgument('The reply text must not be empty.');
    if ([...text].length > MAX_REPLY_CHARS) return invalidArgument(`The reply text is too long: at most ${MAX_REPLY_CHARS} characters are allowed.`);
    const createdAt = context.now();
    review.replies = [{ id: String(createdAt.getTime()), text, createdAt, author: null }];
    store.changed();
    return json(200, { result: { replyText: text, lastEdited: protoTimestamp(createdAt) } });
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const replyTo = REPLY_PATH.exec(request.path);
    const method = replyTo === null ? METHOD : REPLY_METHOD;
    const token = bearerOf(request);
    if (token === undefined) return credentialsMissing(SERVICE, method);
    if (token !== PLAY_ACCESS_TOKEN) return credentialsInvalid(SERVICE, method, true);
    const [, packageName] = (replyTo ?? PATH.exec(request.path)) ?? [];
    if (packageName !== PACKAGE) {
      const message = `Package not found: ${packageName}.`;
      return googleError(404, 'NOT_FOUND', message, { errors: [{ message, domain: 'global', reason: 'notFound' }] });
    }
    if (replyTo !== null) return reply(request, decodeURIComponent(replyTo[2] ?? ''));
    const maxResults = intParam(request.query, 'maxResults') ?? DEFAULT_MAX_RESULTS;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) return invalidArgument(`Invalid value for maxResults: ${request.query.get('maxResults')}.`);
    const pageToken = request.query.get('token');
    const offset = pageToken === null || pageToken === '' ? 0 : readOffsetToken(TOKEN_PREFIX, 'reviews', pageToken);
    if (offset === null) return invalidArgument('Invalid token.');
    const reviews = listed();
    const page = reviews.slice(offset, offset + maxResults);
    const next = offset + maxResults < reviews.length ? offsetToken(TOKEN_PREFIX, 'reviews', offset + maxResults) : undefined;
    // proto3 JSON: a week without reviews answers `{}`.
    return json(200, {
      ...(page.length > 0 && { reviews: page.map(reviewJson) }),
      ...(next !== undefined && { tokenPagination: { nextPageToken: next } }),
    });
  }

  return {
    key: 'google-play',
    source: 'google-play',
    claims: (request) => PATH.test(request.path) || REPLY_PATH.test(request.path),
    methods: (request) => (REPLY_PATH.test(request.path) ? ['POST'] : ['GET']),
    handle,
    fault: (kind: SandboxFault, _request, faultContext: FaultContext) => googleFault(kind, SERVICE, 'Queries', faultContext, true),
    ...storeMethods({
      key: 'google-play',
      store,
      random,
      order,
      listed: () => new Set(listed().map((r) => r.externalId)),
      hasStars: true,
      hasEditTime: true,
      replies: { author: null },
      create: (input) => ({ ...playReview(random, { ...input, helpfulVotes: 0 }, input.authorName), createdAt: input.createdAt, subMillis: 0 }),
    }),
  };
}

/** The daily reply quota answer, in the shape Google uses for the API's daily quotas. */
function quotaExceeded(): ModuleResponse {
  const message =
    "Quota exceeded for quota metric 'Reply requests' and limit 'Reply requests per day per app' of service 'androidpublisher.googleapis.com' for consumer 'project_number:100000000042'.";
  return googleError(403, 'PERMISSION_DENIED', message, {
    errors: [{ message, domain: 'usageLimits', reason: 'rateLimitExceeded' }],
    details: [errorInfo('RATE_LIMIT_EXCEEDED', SERVICE, { consumer: 'projects/100000000042', quota_metric: `${SERVICE}/reply_requests` })],
  });
}
