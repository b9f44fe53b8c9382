/**
 * Google Places Place Details, both APIs (apis.md §2a, §2b; the adapter's fixtures):
 * - New: `GET /v1/places/{id}` with `X-Goog-Api-Key` (or `key=`) and a mandatory field mask
 *   (`X-Goog-FieldMask`, `fields` or `$fields`), proto3 JSON (empty fields left out, `text` absent
 *   on rating-only reviews), RFC 3339 times with up to 9 fractional digits, Google's error envelope.
 * - Legacy: `GET /maps/api/place/details/json?place_id=…&key=…`, errors as an in-body `status`
 *   with HTTP 200 (`REQUEST_DENIED`, `OVER_QUERY_LIMIT`, `UNKNOWN_ERROR`…), `time` in epoch
 *   seconds, texts with HTML entities, no review ids.
 * Both return the 5 newest reviews (the sandbox's "most relevant") and no paging. Each API serves
 * its own place (two locations of the bistro), so their reviews never overlap.
 */
import { createHash } from 'node:crypto';
import type { GooglePlacesOptions } from '../../adapters/google/index.js';
import { fullName, generateFacts, type ReviewFacts } from '../data.js';
import { relativeDescription, rfc3339 } from '../dates.js';
import {
  type FaultContext,
  headerOf,
  json,
  type ModuleContext,
  type ModuleRequest,
  type ModuleResponse,
  newestFirst,
  type ResolvedNewReview,
  ReviewStore,
  type SourceModule,
  type StoredReview,
} from '../module.js';
import type { Random } from '../random.js';
import type { SandboxFault } from '../types.js';
import { addedFields, averageStars, countOf, escapeHtml, firstIds, oneDecimal, storeMethods } from './common.js';
import { parseFieldMask, select, unknownFields } from './fields.js';
import { errorInfo, googleError, googleFault } from './google-errors.js';

/** The sandbox's Maps Platform API key for Places (New) (each API has its own, as two projects would). */
export const PLACES_API_KEY = 'AIzaSySandboxPlacesNew0123456789abcdEF';
/** The sandbox's Maps Platform API key for the legacy Places API. */
export const PLACES_LEGACY_API_KEY = 'AIzaSySandboxPlacesLegacy0123456789aBC';
const NEW_PLACE = { id: 'ChIJSandboxBistroMarina000001', name: 'Sandbox Bistro Marina' };
const LEGACY_PLACE = { id: 'ChIJSandboxBistroMission00002', name: 'Sandbox Bistro Mission' };
/** Options of the adapter reading the sandboxed Places API (New) (add `baseUrl`). */
export const PLACES_OPTIONS = { apiKey: PLACES_API_KEY, placeId: NEW_PLACE.id } satisfies GooglePlacesOptions;
/** Options of the adapter reading the sandboxed legacy Places API (add `baseUrl`). */
export const PLACES_LEGACY_OPTIONS = { apiKey: PLACES_LEGACY_API_KEY, placeId: LEGACY_PLACE.id, api: 'legacy' } satisfies GooglePlacesOptions;
/** Reviews Place Details returns. */
const CAP = 5;
const NEW_PATH = /^\/v1\/places\/([^/]+)$/;
const LEGACY_PATH = '/maps/api/place/details/json';
const NEW_FIELDS = ['id', 'name', 'displayName', 'rating', 'userRatingCount', 'reviews', 'googleMapsUri', 'formattedAddress'];
const LEGACY_FIELDS = ['place_id', 'name', 'rating', 'user_ratings_total', 'reviews', 'url', 'formatted_address'];

interface PlacesReview extends StoredReview {
  /** Maps contributor id (21 digits). */
  contributorId: string;
  photo: string;
  /** Digits beyond the millisecond that Google's timestamps carry (new API). */
  subMillis: number;
  digits: 0 | 3 | 6 | 9;
}

/** The Google-only fields of a review: its contributor, photo and timestamp precision. */
function googleFields(random: Random, withFraction: boolean): Pick<PlacesReview, 'contributorId' | 'photo' | 'subMillis' | 'digits'> {
  const digits = withFraction ? random.pick([0, 3, 6, 9] as const) : 0;
  return {
    contributorId: random.digits(21),
    // Google sends some photo links protocol-relative.
    photo: `${random.chance(0.2) ? '' : 'https:'}//lh3.googleusercontent.com/a-/ALV-Uj${random.chars(24, 'url-safe')}=s128-c0x00000000-cc-rp-mo`,
    subMillis: digits > 3 ? random.int(0, 999_999) : 0,
    digits,
  };
}

function fromFacts(random: Random, f: ReviewFacts, withFraction: boolean): PlacesReview {
  const fields = googleFields(random, withFraction);
  return {
    externalId: '',
    ...fields,
    author: fullName(f.person),
    stars: f.stars,
    recommendation: null,
    title: null,
    // Some reviews are a rating alone.
    text: random.chance(0.15) ? null : f.text,
    language: f.language,
    createdAt: fields.digits === 0 ? f.createdAt : new Date(f.createdAt.getTime() + random.int(0, 999)),
    updatedAt: null,
    replies: [],
    helpfulVotes: null,
  };
}

/** A review added while the sandbox runs. */
function fromInput(random: Random, input: ResolvedNewReview): PlacesReview {
  return {
    externalId: '',
    ...googleFields(random, false),
    ...addedFields(input, { helpfulVotes: null, hasTitle: false }),
  };
}

const contributorUrl = (review: PlacesReview) => `https://www.google.com/maps/contrib/${review.contributorId}/reviews`;

/** The id the adapter gives a legacy review (it has none): a hash of its author link and post time. */
function legacyId(review: PlacesReview): string {
  return createHash('sha1').update(`${contributorUrl(review)}\n${Math.floor(review.createdAt.getTime() / 1000)}`).digest('hex').slice(0, 16);
}

function placesStore(key: 'google-places' | 'google-places-legacy', random: Random, facts: ReviewFacts[]): ReviewStore<PlacesReview> {
  const isNew = key === 'google-places';
  return new ReviewStore(
    key,
    facts.map((f) => {
      const review = fromFacts(random, f, isNew);
      review.externalId = isNew ? `Ch${random.chars(32)}EAE` : legacyId(review);
      return review;
    }),
  );
}

/** Places API (New). */
export function placesModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const store = placesStore('google-places', random, generateFacts(random, { topic: 'venue', count: countOf(context, 36), spanDays: 730, anchor: context.anchor }));
  const order = () => store.sorted('newest', newestFirst);

  function reviewJson(review: PlacesReview) {
    const name = `places/${NEW_PLACE.id}/reviews/${review.externalId}`;
    const text = review.text === null ? undefined : { text: review.text, languageCode: review.language };
    return {
      name,
      relativePublishTimeDescription: relativeDescription(review.createdAt, context.now()),
      rating: review.stars,
      ...(text && { text, originalText: text }),
      authorAttribution: { displayName: review.author, uri: contributorUrl(review), photoUri: review.photo },
      publishTime: rfc3339(review.createdAt, review.digits, review.subMillis),
      flagContentUri: `https://www.google.com/local/review/rap/report?postId=${review.externalId}&t=1`,
      googleMapsUri: `https://www.google.com/maps/reviews/data=!4m6!14m5!1m4!2m3!1s${review.externalId}!2m1!1s0x0:0x1`,
    };
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const key = headerOf(request, 'x-goog-api-key') ?? request.query.get('key') ?? undefined;
    if (key === undefined) {
      return googleError(
        403,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    }
    if (key !== PLACES_API_KEY) {
      return googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', {
        details: [
          errorInfo('API_KEY_INVALID', 'places.googleapis.com'),
          { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
        ],
      });
    }
    const mask = headerOf(request, 'x-goog-fieldmask') ?? request.query.get('fields') ?? request.query.get('$fields') ?? undefined;
    if (mask === undefined || mask.trim() === '') {
      return googleError(
        400,
        'INVALID_ARGUMENT',
        "FieldMask is a required parameter. See https://cloud.google.com/apis/docs/system-parameters on how to provide it. As an example, you can set the header 'X-Goog-FieldMask' to value 'displayName', 'id' to ask for the display name and the place id of a place. You can also set the value to '*' in manual testing to get all the available response fields.",
      );
    }
    const selection = parseFieldMask(mask);
    const unknown = unknownFields(selection, NEW_FIELDS);
    if (unknown.length > 0) return googleError(400, 'INVALID_ARGUMENT', `Error expanding 'fields' parameter. Cannot find matching fields for path '${unknown[0]}'.`);
    const language = request.query.get('languageCode');
    if (language !== null && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) return googleError(400, 'INVALID_ARGUMENT', `Invalid languageCode: ${language}.`);
    const [, id] = NEW_PATH.exec(request.path) ?? [];
    if (id !== NEW_PLACE.id) return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
    const all = store.all();
    const average = averageStars(all);
    const place = {
      name: `places/${NEW_PLACE.id}`,
      id: NEW_PLACE.id,
      formattedAddress: '2 Marina Blvd, San Francisco, CA 94123, USA',
      // proto3 JSON: no rating and no count for a place nobody rated.
      ...(average !== null && { rating: oneDecimal(average), userRatingCount: all.length }),
      googleMapsUri: 'https://maps.google.com/?cid=1000000000000000001',
      displayName: { text: NEW_PLACE.name, languageCode: 'en' },
      ...(all.length > 0 && { reviews: order().slice(0, CAP).map(reviewJson) }),
    };
    return json(200, select(place, selection));
  }

  return {
    key: 'google-places',
    source: 'google-places',
    claims: (request) => NEW_PATH.test(request.path),
    handle,
    fault: (kind: SandboxFault, _request, faultContext: FaultContext) => googleFault(kind, 'places.googleapis.com', 'GetPlace requests', faultContext),
    ...storeMethods({
      key: 'google-places',
      store,
      random,
      order,
      listed: () => firstIds(order(), CAP),
      hasStars: true,
      hasEditTime: false,
      replies: false,
      create: (input) => ({ ...fromInput(random, input), externalId: `Ch${random.chars(32)}EAE` }),
    }),
  };
}

/** The legacy Places API. */
export function placesLegacyModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const store = placesStore(
    'google-places-legacy',
    random,
    generateFacts(random, { topic: 'venue', count: countOf(context, 28), spanDays: 730, anchor: context.anchor }),
  );
  const order = () => store.sorted('newest', newestFirst);
  const status = (value: string, message?: string) => json(200, { ...(message !== undefined && { error_message: message }), html_attributions: [], status: value });

  function reviewJson(review: PlacesReview) {
    return {
      author_name: review.author,
      author_url: contributorUrl(review),
      // Empty for a rating without text.
      language: review.text === null ? '' : review.language,
      original_language: review.text === null ? '' : review.language,
      profile_photo_url: review.photo.startsWith('//') ? `https:${review.photo}` : review.photo,
      rating: review.stars,
      relative_time_description: relativeDescription(review.createdAt, context.now()),
      // "May include simple HTML markup": entities such as &amp;.
      text: review.text === null ? '' : escapeHtml(review.text),
      time: Math.floor(review.createdAt.getTime() / 1000),
      translated: false,
    };
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const key = request.query.get('key');
    if (key === null || key === '') {
      return status(
        'REQUEST_DENIED',
        'You must use an API key to authenticate each request to Google Maps Platform APIs. For additional information, please refer to http://g.co/dev/maps-no-account',
      );
    }
    if (key !== PLACES_LEGACY_API_KEY) return status('REQUEST_DENIED', 'The provided API key is invalid. ');
    const placeId = request.query.get('place_id');
    if (placeId === null || placeId === '') return status('INVALID_REQUEST');
    if (placeId !== LEGACY_PLACE.id) return status('NOT_FOUND');
    const all = store.all();
    const average = averageStars(all);
    const result = {
      place_id: LEGACY_PLACE.id,
      name: LEGACY_PLACE.name,
      formatted_address: '3 Valencia St, San Francisco, CA 94103, USA',
      url: 'https://maps.google.com/?cid=2000000000000000002',
      ...(average !== null && { rating: oneDecimal(average), user_ratings_total: all.length }),
      ...(all.length > 0 && { reviews: order().slice(0, CAP).map(reviewJson) }),
    };
    const fields = request.query.get('fields');
    const selection = fields === null ? null : new Map(fields.split(',').map((f) => [f.trim(), null] as const));
    if (selection !== null && unknownFields(selection, LEGACY_FIELDS).length > 0) {
      return status('INVALID_REQUEST', `Error while parsing 'fields' parameter: Unsupported field name '${unknownFields(selection, LEGACY_FIELDS)[0]}'. `);
    }
    return json(200, { html_attributions: [], result: select(result, selection), status: 'OK' });
  }

  function fault(kind: SandboxFault): ModuleResponse {
    // The legacy API signals its own failures in a 200 body.
    return kind === 'rate-limit' ? status('OVER_QUERY_LIMIT', 'You have exceeded your rate-limit for this API.') : status('UNKNOWN_ERROR');
  }

  return {
    key: 'google-places-legacy',
    source: 'google-places',
    claims: (request) => request.path === LEGACY_PATH,
    handle,
    fault,
    ...storeMethods({
      key: 'google-places-legacy',
      store,
      random,
      order,
      listed: () => firstIds(order(), CAP),
      hasStars: true,
      hasEditTime: false,
      replies: false,
      create: (input) => {
        const review = fromInput(random, input);
        review.externalId = legacyId(review);
        return review;
      },
    }),
  };
}
