/**
 * Google Places reviews (Place Details): up to 5 reviews per place, through the Places API (New)
 * or the legacy Places API.
 * Facts followed:
 * - New: googleapis/googleapis `google/maps/places/v1/review.proto` and `attribution.proto`, as generated in
 *   google-apis-places_v1 (GoogleMapsPlacesV1Review) and the googleapis Dart client (`flagContentUri`, `googleMapsUri`,
 *   `visitDate`); the field mask is mandatory: https://developers.google.com/maps/documentation/places/web-service/choose-fields
 *   Protocol-relative author links seen in captured responses (EliR94/city-explorer-backend).
 * - Legacy: googlemaps/openapi-specification `specification/schemas/PlaceReview.yml`, `Place.yml`,
 *   `PlacesDetailsResponse.yml`, `PlacesDetailsStatus.yml` and `maps_http_parameters_placedetails.md`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  type AdapterPage,
  cleanText,
  dateSchema,
  defineAdapter,
  fromEpochSeconds,
  type ReviewInput,
} from '../../src/index.js';
import { detectGoogleError, detectLegacyPlacesError } from './errors.js';
import { absoluteUrl, contributorId } from './urls.js';

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const placesOptions = z.object({
  /** Google Maps Platform API key with the Places API (New) or Places API enabled. */
  apiKey: z.string().min(1),
  /** Place ID, e.g. `ChIJN1t_tDeuEmsRUsoyG83frY4`. */
  placeId: z.string().min(1),
  /** `new` (Places API (New), default) or `legacy` (Places API). */
  api: z.enum(['new', 'legacy']).default('new'),
  /** Language of the returned texts (BCP 47, e.g. `de` or `pt-BR`); Google translates reviews into it. */
  language: z.string().regex(LANGUAGE_TAG, 'must be a language tag like en or pt-BR').optional(),
});

/** Options of {@link googlePlaces}. */
export type GooglePlacesOptions = z.input<typeof placesOptions>;

// Every field the adapter reads; Places (New) returns nothing it is not asked for.
const NEW_FIELD_MASK = 'id,displayName,rating,userRatingCount,reviews';
const LEGACY_FIELDS = 'place_id,name,rating,user_ratings_total,reviews';

const localizedText = z.object({ text: z.string(), languageCode: z.string().optional() });

/** A review's rating: 1 to 5 stars (a value outside is a broken review, skipped naming the field). */
const starRating = z.number().min(1).max(5);

// proto3 JSON leaves out empty fields: a rating-only review has neither `text` nor `originalText`.
const newReview = z.object({
  // `places/{place}/reviews/{review}`: the last segment is the review's id.
  name: z.string().regex(/[^/]$/, 'must end in a review id'),
  relativePublishTimeDescription: z.string().optional(),
  text: localizedText.optional(),
  originalText: localizedText.optional(),
  rating: starRating.optional(),
  authorAttribution: z
    .object({ displayName: z.string().optional(), uri: z.string().optional(), photoUri: z.string().optional() })
    .optional(),
  publishTime: dateSchema().optional(),
  googleMapsUri: z.string().optional(),
  visitDate: z.object({ year: z.number().int(), month: z.number().int(), day: z.number().int().optional() }).optional(),
});

const newPage = z.object({
  id: z.string(),
  displayName: localizedText.optional(),
  rating: z.number().optional(),
  userRatingCount: z.number().int().nonnegative().optional(),
  reviews: z.array(z.unknown()).default([]),
});

const legacyReview = z.object({
  author_name: z.string(),
  author_url: z.string().optional(),
  profile_photo_url: z.string().optional(),
  language: z.string().optional(),
  original_language: z.string().optional(),
  rating: starRating,
  relative_time_description: z.string().optional(),
  text: z.string().optional(),
  // Kept as the number sent (the id hashes it); one no Date can hold is a broken review.
  time: z.number().refine((seconds) => !Number.isNaN(fromEpochSeconds(seconds).getTime()), 'is not a representable instant'),
  translated: z.boolean().optional(),
});

const legacyPage = z.object({
  result: z.object({
    place_id: z.string(),
    name: z.string().optional(),
    rating: z.number().optional(),
    user_ratings_total: z.number().int().nonnegative().optional(),
    reviews: z.array(z.unknown()).default([]),
  }),
});

interface Subject {
  id: string;
  name: string | null;
}

/**
 * New reviews always carry `name`, legacy ones never do: the review is read with its API's schema,
 * so that a broken one is skipped naming its field (a plain union names none).
 */
const placesReview = z.unknown().transform((raw, ctx): z.output<typeof newReview> | z.output<typeof legacyReview> => {
  const isNew = typeof raw === 'object' && raw !== null && 'name' in raw;
  const parsed = isNew ? newReview.safeParse(raw) : legacyReview.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.issues.push({ code: 'custom', input: raw, path: issue.path, message: issue.message });
  return z.NEVER;
});

/** The review's resource name segment (new API); legacy reviews have no id to report. */
function placesReviewId(raw: unknown): string | null {
  const name = (raw as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name.slice(name.lastIndexOf('/') + 1) : null;
}

const NEW_ORIGIN = 'https://places.googleapis.com';
const LEGACY_ORIGIN = 'https://maps.googleapis.com';

/**
 * Reviews of one place from Google Places (Place Details). Google returns at most 5 reviews
 * (no paging): when the place has more ratings, the report shows
 * `coverage.complete: false, reason: 'platform-limit'`. `summary` is Google's rating and rating count.
 *
 * `api: 'new'` (default) reads the Places API (New) with `X-Goog-Api-Key` and a field mask;
 * `api: 'legacy'` reads the Places API with `key=`, newest reviews first. Legacy reviews have no
 * id: each gets a stable hash of its author and post time.
 *
 * @example
 * const source = googlePlaces({ apiKey: process.env.GOOGLE_MAPS_KEY!, placeId: 'ChIJN1t_tDeuEmsRUsoyG83frY4' });
 */
export const googlePlaces = defineAdapter({
  name: 'google-places',
  options: placesOptions,
  // The two APIs live on different origins.
  baseUrl: (o) => (o.api === 'legacy' ? LEGACY_ORIGIN : NEW_ORIGIN),
  subjectId: (o) => o.placeId,
  secrets: (o) => [o.apiKey],
  detectError: (response) => detectGoogleError(response) ?? detectLegacyPlacesError(response),
  // The Places API only reads; owners answer through the Business Profile API (apis.md §12.1).
  reply: {
    unsupported:
      'the Places API only reads reviews: answer through Google Business Profile (the googleBusinessProfile adapter, with the location ' +
      "owner's OAuth token), reading the review there and answering that one.",
  },
  page: z.union([newPage, legacyPage]),
  item: placesReview,
  itemId: placesReviewId,
  async *pages(ctx) {
    const { apiKey, placeId, api, language } = ctx.options;
    if (api === 'legacy') {
      const { result } = await ctx.http.get('/maps/api/place/details/json', {
        schema: legacyPage,
        query: { place_id: placeId, fields: LEGACY_FIELDS, key: apiKey, reviews_sort: 'newest', language },
      });
      const place = { id: result.place_id, name: result.name ?? null };
      yield onlyPage(result.reviews, place, result.rating, result.user_ratings_total);
      return;
    }
    const details = await ctx.http.get(`/v1/places/${encodeURIComponent(placeId)}`, {
      schema: newPage,
      headers: { 'X-Goog-Api-Key': apiKey, 'X-Goog-FieldMask': NEW_FIELD_MASK },
      query: { languageCode: language },
    });
    const place = { id: details.id, name: details.displayName?.text ?? null };
    yield onlyPage(details.reviews, place, details.rating, details.userRatingCount);
  },
  normalize: (review, { shared: place }) => ('name' in review ? normalizeNew(review, place) : normalizeLegacy(review, place)),
});

function onlyPage(items: unknown[], place: Subject, average: number | undefined, total: number | undefined): AdapterPage<unknown, Subject> {
  // Both APIs leave the count out for a place nobody rated.
  const count = total ?? 0;
  return {
    items,
    shared: place,
    cursor: null,
    nextCursor: null,
    reportedTotal: count,
    isPlatformLimited: count > items.length,
    summary: { average: average ?? null, count },
  };
}

function normalizeNew(review: z.output<typeof newReview>, place: Subject): ReviewInput {
  const { text, originalText } = review;
  const shown = text ?? originalText;
  // Places (New) has no "translated" flag: a translation is a `text` in another language than `originalText`.
  const isTranslated =
    text !== undefined && originalText !== undefined && text.languageCode?.toLowerCase() !== originalText.languageCode?.toLowerCase();
  const authorUrl = absoluteUrl(review.authorAttribution?.uri);
  return {
    externalId: review.name.slice(review.name.lastIndexOf('/') + 1),
    subject: place,
    url: review.googleMapsUri ?? null,
    author: {
      name: review.authorAttribution?.displayName ?? null,
      id: contributorId(authorUrl),
      url: authorUrl,
      avatarUrl: absoluteUrl(review.authorAttribution?.photoUri),
    },
    rating: review.rating === undefined ? null : { value: review.rating, min: 1, max: 5 },
    text: cleanText(shown?.text, { html: false }),
    language: shown?.languageCode ?? null,
    createdAt: review.publishTime ?? null,
    datePrecision: 'instant',
    extra: {
      ...(review.relativePublishTimeDescription !== undefined && { relativeTime: review.relativePublishTimeDescription }),
      ...(isTranslated && {
        translated: true,
        originalText: cleanText(originalText.text, { html: false }),
        originalLanguage: originalText.languageCode ?? null,
      }),
      ...(review.visitDate && { visitDate: review.visitDate }),
    },
  };
}

function normalizeLegacy(review: z.output<typeof legacyReview>, place: Subject): ReviewInput {
  const authorUrl = absoluteUrl(review.author_url);
  return {
    externalId: legacyReviewId(review),
    subject: place,
    author: {
      name: review.author_name,
      id: contributorId(authorUrl),
      url: authorUrl,
      avatarUrl: absoluteUrl(review.profile_photo_url),
    },
    rating: { value: review.rating, min: 1, max: 5 },
    // "May include simple HTML markup", entities such as &amp; included (PlaceReview.yml).
    text: cleanText(review.text),
    // The language of `text` as shown; empty for rating-only reviews.
    language: review.language || null,
    createdAt: fromEpochSeconds(review.time),
    datePrecision: 'instant',
    extra: {
      ...(review.relative_time_description !== undefined && { relativeTime: review.relative_time_description }),
      ...(review.translated === true && { translated: true, originalLanguage: review.original_language || null }),
    },
  };
}

/**
 * Legacy reviews carry no id. An author reviews a place once, and `time` (whole seconds) is when
 * the review was posted: together they name it across runs and languages, where the text and
 * `relative_time_description` change. The author's profile link is preferred over the display name,
 * which two people may share ("A Google user" for every anonymous author). An author who edits the
 * review may get a new `time`, and with it a new id.
 */
function legacyReviewId(review: z.output<typeof legacyReview>): string {
  const author = review.author_url || review.author_name;
  return createHash('sha1').update(`${author}\n${review.time}`).digest('hex').slice(0, 16);
}
