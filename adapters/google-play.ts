/**
 * Google Play reviews of one app you publish, read with the Google Play Developer API
 * (`GET /androidpublisher/v3/applications/{packageName}/reviews`, the "Reply to Reviews" API).
 * Facts followed:
 * - Reference: https://developers.google.com/android-publisher/api-ref/rest/v3/reviews/list and
 *   .../rest/v3/reviews (Review, Comment union, UserComment, DeveloperComment, Timestamp, DeviceMetadata), as
 *   generated in googleapis/google-api-python-client `docs/dyn/androidpublisher_v3.reviews.html`: `text` joins
 *   title and body with a tab; `originalText` "left blank" when not translated; `reviewerLanguage` comes from the
 *   device settings and "may be absent"; `lastModified` is `{seconds: int64 as string, nanos}`; paging by
 *   `token` / `tokenPagination.nextPageToken`.
 * - Guide: https://developers.google.com/android-publisher/reply-to-reviews ("You can retrieve only the reviews
 *   that users have created or modified within the last week"; production reviews with comments only; "the first
 *   result … is the user comment that was most recently created or modified"; 10 reviews per page by default, up
 *   to 100 with `maxResults`); quotas: support.google.com/googleplay/android-developer/contact/review_apiqr
 *   (reviews GET 200/hour per app) and https://developers.google.com/android-publisher/quotas.
 * - Behaviour seen in third-party reports (googleapis/google-api-nodejs-client#758: a translated review's
 *   `originalText`, a text starting with a tab; googlesamples/android-play-publisher-api#65 and
 *   googleapis/google-api-java-client-services#18117: `pageInfo` usually absent, `startIndex` ignored).
 * - Error bodies seen in third-party reports: 401 `UNAUTHENTICATED`; the legacy 401 `errors[].reason:
 *   permissionDenied` ("The current user has insufficient permissions…", googleapis/google-api-java-client#1256,
 *   aporat/store-receipt-validator#114); 403 `PERMISSION_DENIED` (Triple-T/gradle-play-publisher#805); 403
 *   `PERMISSION_DENIED` carrying `errors[].reason: rateLimitExceeded` for the daily quota
 *   (aporat/store-receipt-validator#136, Triple-T/gradle-play-publisher#1036); 404 `NOT_FOUND` "Package not
 *   found" (Triple-T/gradle-play-publisher#848) and the older `applicationNotFound`.
 * The API has no review link, no aggregate rating and no creation time (see `createdAt` below).
 * - Replies: https://developers.google.com/android-publisher/api-ref/rest/v3/reviews/reply ("Replies to a
 *   single review, or updates an existing reply": `POST …/reviews/{reviewId}:reply` with `{replyText}`,
 *   answered `{result: {replyText, lastEdited}}`; "Replies of more than approximately 350 characters will be
 *   rejected. HTML tags will be stripped."). The `reviews` resource has get, list and reply only: no delete.
 *   Quota: "POST requests (for replying to reviews): 2,000 per day" per app
 *   (support.google.com/googleplay/android-developer/contact/review_apiqr); Google's quota day "ends at
 *   midnight Pacific time" (developers.google.com/android-publisher/quotas, 2021 version). The shape of the
 *   daily-quota error for replies is not documented; the one captured for the API's daily query quota (403
 *   `PERMISSION_DENIED`, `errors[].reason: rateLimitExceeded`, "…per day…") is what the detector reads.
 */
import { z } from 'zod';
import { STATUS_CODES } from './google/errors.js';
import {
  cleanText,
  type DetectedError,
  defineAdapter,
  type ErrorCode,
  fromEpochSeconds,
  type HttpResponseInfo,
  type Reply,
  type ReviewInput,
  ReviewkitError,
} from '../src/index.js';

// Java-style package names: dot-separated segments starting with a letter (https://developer.android.com/build/configure-app-module#set-application-id).
const PACKAGE_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
// Play writes locales with an underscore (`en_GB`, `es_419`); BCP 47 uses a hyphen. Both are accepted.
const LANGUAGE_TAG = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;

const googlePlayOptions = z.object({
  /**
   * OAuth 2.0 access token with the scope `https://www.googleapis.com/auth/androidpublisher`, of a service
   * account (or user) that Play Console lets see the app's reviews. Sent as `Authorization: Bearer …`.
   */
  accessToken: z.string().min(1),
  /** The app's package name (application id), e.g. `com.example.notes`. */
  packageName: z.string().regex(PACKAGE_NAME, 'must be an Android package name like com.example.app'),
  /** Reviews per request, 1–100. Default 100 (Google's own default is 10): reviews GETs are limited to 200 an hour per app. */
  maxResults: z.number().int().min(1).max(100).default(100),
  /** Ask Google to translate reviews into this language (`en`, `pt-BR`); the untranslated text goes to `extra.originalText`. */
  translationLanguage: z.string().regex(LANGUAGE_TAG, 'must be a language tag like en or pt-BR').optional(),
});

/** Options of {@link googlePlay}. */
export type GooglePlayOptions = z.input<typeof googlePlayOptions>;

/** A protobuf Timestamp in JSON: int64 seconds as a string; proto3 leaves out `nanos` when it is 0. */
const timestamp = z
  .object({
    seconds: z.string().regex(/^-?\d+$/, 'must be whole epoch seconds'),
    nanos: z.number().int().min(0).max(999_999_999).optional(),
  })
  // Truncated to the millisecond, never rounded: 23:59:59.999999999 stays in its second (and year).
  .transform(({ seconds, nanos }, ctx) => {
    // Hundreds of digits are Infinity, which fromEpochSeconds refuses with a throw: an issue instead.
    const date = Number.isFinite(Number(seconds)) ? fromEpochSeconds(seconds, nanos ?? 0) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) {
      ctx.issues.push({ code: 'custom', message: 'is not a representable instant', input: seconds });
      return z.NEVER;
    }
    return date;
  });

const deviceMetadata = z.object({
  productName: z.string().optional(),
  manufacturer: z.string().optional(),
  deviceClass: z.string().optional(),
  screenWidthPx: z.number().int().optional(),
  screenHeightPx: z.number().int().optional(),
  ramMb: z.number().int().optional(),
});

const userComment = z.object({
  text: z.string().optional(),
  lastModified: timestamp,
  starRating: z.number().int().optional(),
  reviewerLanguage: z.string().optional(),
  device: z.string().optional(),
  androidOsVersion: z.number().int().optional(),
  appVersionCode: z.number().int().optional(),
  appVersionName: z.string().optional(),
  thumbsUpCount: z.number().int().nonnegative().optional(),
  thumbsDownCount: z.number().int().nonnegative().optional(),
  deviceMetadata: deviceMetadata.optional(),
  originalText: z.string().optional(),
});

const developerComment = z.object({ text: z.string().optional(), lastModified: timestamp.optional() });

type UserComment = z.output<typeof userComment>;
type DeveloperComment = z.output<typeof developerComment>;

/** One review; `comments[]` is a union of `{userComment}` and `{developerComment}` entries, read here into both halves. */
const playReview = z
  .object({
    reviewId: z.string().min(1),
    authorName: z.string().optional(),
    comments: z.array(z.object({ userComment: userComment.optional(), developerComment: developerComment.optional() })),
  })
  .transform(({ reviewId, authorName, comments }, ctx) => {
    const user = comments.find((c) => c.userComment !== undefined)?.userComment;
    if (user === undefined) {
      ctx.issues.push({ code: 'custom', path: ['comments'], message: 'has no userComment', input: comments });
      return z.NEVER;
    }
    const developer = comments.flatMap((c) => (c.developerComment === undefined ? [] : [c.developerComment]));
    return { reviewId, authorName, user, developer };
  });

// proto3 JSON leaves out empty fields: a week without reviews answers `{}`.
const playPage = z.object({
  reviews: z.array(z.unknown()).default([]),
  tokenPagination: z.object({ nextPageToken: z.string().optional() }).optional(),
  pageInfo: z.object({ totalResults: z.number().int().nonnegative().optional() }).optional(),
});

/** "Replies of more than approximately 350 characters will be rejected", counted without HTML tags. */
const MAX_REPLY_CHARS = 350;
/** Replies a day Google Play accepts per app. */
const DAILY_REPLY_QUOTA = 2000;

const replyAnswer = z.object({ result: z.object({ replyText: z.string().optional(), lastEdited: timestamp.optional() }) });

function playReviewId(raw: unknown): string | null {
  const id = (raw as { reviewId?: unknown } | null)?.reviewId;
  return typeof id === 'string' ? id : null;
}

/**
 * Reviews of one app on Google Play, with the developer's replies, from the Google Play Developer API.
 *
 * Google serves only **the last week** of reviews, and only those **with text**: older reviews and
 * star-only ratings are out of the API's reach (the Play Console CSV export has them). The report
 * therefore always says `coverage: { complete: false, reason: 'platform-limit' }`. There is no aggregate
 * rating (`summary` is null).
 *
 * `createdAt` is the user comment's `lastModified`, the only time the API gives: when the reviewer last
 * wrote the review (its creation time unless they edited it). `updatedAt` is null unless an edit is
 * certain: a developer reply older than the reviewer's text means the reviewer rewrote it after the reply;
 * `updatedAt` then repeats that time.
 *
 * Answers reviews with `reply()` (about 350 characters without HTML tags; 2,000 replies a day per app,
 * `RATE_LIMITED` past them). Google offers no way to delete a reply: `deleteReply()` is `unsupported`.
 *
 * @example
 * const source = googlePlay({ accessToken, packageName: 'com.example.notes' });
 */
export const googlePlay = defineAdapter({
  name: 'google-play',
  options: googlePlayOptions,
  baseUrl: 'https://androidpublisher.googleapis.com',
  subjectId: (o) => o.packageName,
  secrets: (o) => [o.accessToken],
  // "The first result in the list shows the user comment that was most recently created or modified",
  // which is `createdAt` here: `since` can stop paging.
  order: 'newest-first',
  detectError: detectPlayError,
  page: playPage,
  item: playReview,
  itemId: playReviewId,
  async *pages(ctx) {
    const { accessToken, packageName, maxResults, translationLanguage } = ctx.options;
    const path = `/androidpublisher/v3/applications/${encodeURIComponent(packageName)}/reviews`;
    const headers = { Authorization: `Bearer ${accessToken}` };
    let token = ctx.cursor;
    for (;;) {
      const page = await ctx.fetchPage(path, { headers, query: { maxResults, translationLanguage, token: token ?? undefined } });
      const nextPageToken = page.tokenPagination?.nextPageToken || null;
      yield {
        items: page.reviews,
        shared: { packageName },
        cursor: token,
        nextCursor: nextPageToken,
        reportedTotal: page.pageInfo?.totalResults ?? null,
        // A week of written reviews is all the API serves: coverage over all time is never complete.
        isPlatformLimited: true,
      };
      if (nextPageToken === null) return;
      token = nextPageToken;
    }
  },
  normalize(review, { options, shared: { packageName } }): ReviewInput {
    const { user } = review;
    const shown = splitTitle(user.text);
    const original = splitTitle(user.originalText);
    const isTranslated = original.title !== null || original.text !== null;
    const replies = toReplies(review.developer);
    const createdAt = user.lastModified;
    const isEditedAfterReply = replies.some((reply) => reply.createdAt !== null && reply.createdAt.getTime() < createdAt.getTime());
    const stars = user.starRating;
    return {
      externalId: review.reviewId,
      subject: { id: packageName, name: null },
      url: null,
      author: { name: cleanText(review.authorName, { html: false }) },
      rating: stars !== undefined && stars >= 1 && stars <= 5 ? { value: stars, min: 1, max: 5 } : null,
      title: shown.title,
      text: shown.text,
      // A translated text is in the language asked for; otherwise the device's language is the best hint there is.
      language: languageTag(isTranslated && options.translationLanguage !== undefined ? options.translationLanguage : user.reviewerLanguage),
      createdAt,
      updatedAt: isEditedAfterReply ? createdAt : null,
      datePrecision: 'instant',
      replies,
      // proto3 leaves out a zero count.
      helpfulVotes: user.thumbsUpCount ?? 0,
      extra: extraOf(user, isTranslated ? original : null),
    };
  },
  reply: {
    rules: { maxChars: MAX_REPLY_CHARS, stripsHtml: true },
    async post(ctx, review, text) {
      const { accessToken, packageName } = ctx.options;
      const path = `/androidpublisher/v3/applications/${encodeURIComponent(packageName)}/reviews/${encodeURIComponent(review.externalId)}:reply`;
      try {
        // "Replies to a single review, or updates an existing reply": an upsert, safe to retry.
        const { result } = await ctx.http.request('POST', path, {
          headers: { Authorization: `Bearer ${accessToken}` },
          body: { replyText: text },
          schema: replyAnswer,
        });
        return { status: 'published', reply: { text: result.replyText ?? text, createdAt: result.lastEdited ?? ctx.now, author: null } };
      } catch (error) {
        throw ReviewkitError.is(error) && isDailyQuota(error) ? withQuotaReset(error, ctx.now) : error;
      }
    },
    async delete() {
      return {
        status: 'unsupported',
        reply: null,
        reason:
          'google-play: the Google Play Developer API cannot delete a reply (its reviews resource offers get, list and reply only); delete it in Play Console, or replace it with reply().',
      };
    },
  },
});

/** Google's daily quota answer (a per-minute one is retried by the HTTP layer instead). */
function isDailyQuota(error: ReviewkitError): boolean {
  return error.code === 'RATE_LIMITED' && /per day|daily/i.test(error.message);
}

/** The quota error, saying when the quota comes back: midnight Pacific time, Google's quota day. */
function withQuotaReset(error: ReviewkitError, now: Date): ReviewkitError {
  const resetAt = nextPacificMidnight(now);
  const retryAfterMs = error.retryAfterMs ?? resetAt.getTime() - now.getTime();
  return new ReviewkitError({
    code: 'RATE_LIMITED',
    source: error.source,
    message: `${error.message} Google Play accepts ${DAILY_REPLY_QUOTA.toLocaleString('en-US')} replies a day per app (ask for more in Play Console); the quota day ends at midnight Pacific time (${resetAt.toISOString()}).`,
    retryAfterMs,
    ...(error.status !== undefined && { status: error.status }),
    ...(error.url !== undefined && { url: error.url }),
    ...(error.vendorCode !== undefined && { vendorCode: error.vendorCode }),
  });
}

// Made on first use: only a quota error needs it.
let pacific: Intl.DateTimeFormat | undefined;

/** Year, month, day and hour of an instant in Los Angeles. */
function pacificParts(date: Date): Record<string, number> {
  pacific ??= new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', hourCycle: 'h23' });
  return Object.fromEntries(pacific.formatToParts(date).map((part) => [part.type, Number(part.value)]));
}

/** The first instant after `now` at which it is midnight in Los Angeles (UTC−8 in winter, UTC−7 in summer). */
function nextPacificMidnight(now: Date): Date {
  const today = pacificParts(now);
  // Tomorrow's date in Los Angeles; midnight there is 07:00 or 08:00 UTC, whichever reads as hour 0.
  const tomorrow = Date.UTC(today.year ?? 1970, (today.month ?? 1) - 1, (today.day ?? 1) + 1);
  const pdt = new Date(tomorrow + 7 * 3_600_000);
  return pacificParts(pdt).hour === 0 ? pdt : new Date(tomorrow + 8 * 3_600_000);
}

/**
 * Title and body: Play joins them with one tab when the reviewer wrote both. Only the first tab splits
 * (a later one is part of the body); a text without a tab is all body.
 */
function splitTitle(value: string | undefined): { title: string | null; text: string | null } {
  if (value === undefined) return { title: null, text: null };
  const tab = value.indexOf('\t');
  if (tab === -1) return { title: null, text: cleanText(value, { html: false }) };
  return { title: cleanText(value.slice(0, tab), { html: false }), text: cleanText(value.slice(tab + 1), { html: false }) };
}

function toReplies(comments: readonly DeveloperComment[]): Reply[] {
  const replies: Reply[] = [];
  for (const comment of comments) {
    // Replies are plain text: "HTML tags will be stripped" when they are posted (reviews.reply reference).
    const text = cleanText(comment.text, { html: false });
    if (text !== null) replies.push({ text, createdAt: comment.lastModified ?? null, author: null });
  }
  // A developer edits the one reply in place, so there is at most one; oldest first all the same.
  return replies.sort((a, b) => (a.createdAt?.getTime() ?? Number.NEGATIVE_INFINITY) - (b.createdAt?.getTime() ?? Number.NEGATIVE_INFINITY));
}

/** `en_GB` → `en-GB`; anything that is not a language tag → null. */
function languageTag(value: string | undefined): string | null {
  return value !== undefined && LANGUAGE_TAG.test(value) ? value.replaceAll('_', '-') : null;
}

function extraOf(user: UserComment, original: { title: string | null; text: string | null } | null): Record<string, unknown> {
  const device = user.deviceMetadata;
  const highlights = device && {
    ...(device.productName !== undefined && { productName: device.productName }),
    ...(device.manufacturer !== undefined && { manufacturer: device.manufacturer }),
    ...(device.deviceClass !== undefined && { deviceClass: device.deviceClass }),
    ...(device.screenWidthPx !== undefined && { screenWidthPx: device.screenWidthPx }),
    ...(device.screenHeightPx !== undefined && { screenHeightPx: device.screenHeightPx }),
    ...(device.ramMb !== undefined && { ramMb: device.ramMb }),
  };
  return {
    ...(user.appVersionCode !== undefined && { appVersionCode: user.appVersionCode }),
    ...(user.appVersionName !== undefined && { appVersionName: user.appVersionName }),
    ...(user.device !== undefined && { device: user.device }),
    ...(user.androidOsVersion !== undefined && { androidOsVersion: user.androidOsVersion }),
    ...(highlights && Object.keys(highlights).length > 0 && { deviceMetadata: highlights }),
    thumbsUpCount: user.thumbsUpCount ?? 0,
    thumbsDownCount: user.thumbsDownCount ?? 0,
    ...(original !== null && {
      translated: true,
      ...(original.title !== null && { originalTitle: original.title }),
      originalText: original.text,
    }),
  };
}

const googleErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    status: z.string().optional(),
    errors: z.array(z.object({ reason: z.string().optional() })).optional(),
    details: z
      .array(z.object({ '@type': z.string().optional(), reason: z.string().optional(), retryDelay: z.string().optional() }))
      .optional(),
  }),
});

// Maps, not records: a body's `constructor` or `__proto__` must find nothing, not Object's own.
/**
 * Reasons decide before the status: Google reports the daily quota as 403 `PERMISSION_DENIED` with
 * `errors[].reason: rateLimitExceeded`, and a service account Play Console has not granted the app as
 * 401 with `errors[].reason: permissionDenied`, a missing permission rather than a bad token.
 */
const REASON_CODES: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries({
    rateLimitExceeded: 'RATE_LIMITED',
    userRateLimitExceeded: 'RATE_LIMITED',
    quotaExceeded: 'RATE_LIMITED',
    dailyLimitExceeded: 'RATE_LIMITED',
    RATE_LIMIT_EXCEEDED: 'RATE_LIMITED',
    permissionDenied: 'FORBIDDEN',
    insufficientPermissions: 'FORBIDDEN',
    forbidden: 'FORBIDDEN',
    accessNotConfigured: 'FORBIDDEN',
    SERVICE_DISABLED: 'FORBIDDEN',
    applicationNotFound: 'NOT_FOUND',
    notFound: 'NOT_FOUND',
    authError: 'AUTH',
    ACCESS_TOKEN_EXPIRED: 'AUTH',
    CREDENTIALS_MISSING: 'AUTH',
  }),
);

const ADVICE: Partial<Record<ErrorCode, string>> = {
  FORBIDDEN:
    'In Play Console (Users and permissions), give the account behind the token access to this app with the "Reply to reviews" permission, and enable the Google Play Android Developer API in its Cloud project',
  NOT_FOUND: 'Check `packageName`: it must be an app of the Play Console developer account the token was granted in',
};

/** Reads Google's error envelope, legacy `errors[]` reasons and `ErrorInfo` details included. */
function detectPlayError(response: HttpResponseInfo): DetectedError | undefined {
  if (response.status < 400) return undefined;
  const parsed = googleErrorBody.safeParse(response.body);
  if (!parsed.success) return undefined;
  const { message, status, errors = [], details = [] } = parsed.data.error;
  const reasons = [...errors.map((e) => e.reason), ...details.map((d) => d.reason)].filter((r): r is string => r !== undefined);
  const decisive = reasons.find((r) => REASON_CODES.has(r));
  const code = (decisive !== undefined ? REASON_CODES.get(decisive) : undefined) ?? (status !== undefined ? STATUS_CODES.get(status) : undefined);
  const reason = decisive ?? reasons[0];
  const said = message && reason ? `${message} (${reason})` : (message ?? reason);
  // A daily or hourly quota (reviews GETs: 200 an hour per app) outlasts any in-run backoff.
  const isLongQuota = code === 'RATE_LIMITED' && /per (day|hour)|daily|hourly/i.test(message ?? '');
  const advice = isLongQuota ? 'A daily or hourly quota: reviewkit does not retry it within the run' : code !== undefined ? ADVICE[code] : undefined;
  const text = said && advice ? `${said}. ${advice}` : (said ?? advice);
  const retryDelay = details.find((d) => d.retryDelay !== undefined)?.retryDelay;
  const retryAfterMs = retryDelay === undefined ? undefined : durationMs(retryDelay);
  const vendorCode = status ?? reason;
  return {
    ...(code && { code }),
    ...(vendorCode !== undefined && { vendorCode }),
    ...(text !== undefined && { message: text }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
    ...(isLongQuota && { retry: false }),
  };
}

/** A protobuf `Duration` in JSON ("41s", "0.5s") in milliseconds. */
function durationMs(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  const ms = match ? Math.round(Number(match[1]) * 1000) : Number.NaN;
  // Hundreds of digits are no wait a run can honour (Infinity).
  return Number.isFinite(ms) ? ms : undefined;
}

