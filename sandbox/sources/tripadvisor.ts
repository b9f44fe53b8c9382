/**
 * Tripadvisor Content API (apis.md §6; the adapter and its fixtures):
 * `GET /api/v1/location/{id}/details` and `/api/v1/location/{id}/reviews` with `key=`, `language`,
 * `limit` and `offset`; only the 5 most recent reviews are ever served; numeric ids; owner
 * responses; restaurant subratings keyed "0", "1", …; `num_reviews` and `rating` as strings. It
 * runs behind Amazon API Gateway: gateway errors are `{"message"}` bodies with `x-amzn-ErrorType`,
 * the Content API's own are `{"error":{"message","type","code"}}`.
 */
import type { TripadvisorOptions } from '../../adapters/tripadvisor.js';
import { generateFacts, type Person } from '../data.js';
import { isoSeconds } from '../dates.js';
import {
  type FaultContext,
  intParam,
  json,
  type ModuleContext,
  type ModuleRequest,
  type ModuleResponse,
  newestFirst,
  ReviewStore,
  type SourceModule,
  type StoredReview,
} from '../module.js';
import type { Random } from '../random.js';
import type { SandboxFault } from '../types.js';
import { addedFields, averageStars, countOf, firstIds, starCounts, storeMethods, toHalf } from './common.js';

/** The sandbox's Content API key. */
export const TRIPADVISOR_API_KEY = 'SANDBOX5ECRE7KEY0C0FFEE1234567890';
const LOCATION = { id: '23456789', name: 'Sandbox Bistro' };
/** Options of the adapter reading this sandboxed API (add `baseUrl`). */
export const TRIPADVISOR_OPTIONS = { apiKey: TRIPADVISOR_API_KEY, locationId: LOCATION.id } satisfies TripadvisorOptions;
/** The most reviews the Content API serves per location. */
const CAP = 5;
const PATH = /^\/api\/v1\/location\/([^/]+)\/(details|reviews)$/;
const TRIP_TYPES = ['Couples', 'Family', 'Friends', 'Business', 'Solo'] as const;
const SUBRATINGS = [
  ['RATE_FOOD', 'Food'],
  ['RATE_SERVICE', 'Service'],
  ['RATE_VALUE', 'Value'],
  ['RATE_ATMOSPHERE', 'Atmosphere'],
] as const;
const OWNER = 'Owner at Sandbox Bistro';

interface TripadvisorReview extends StoredReview {
  username: string;
  tripType: (typeof TRIP_TYPES)[number];
  subratings: number[];
}

function username(random: Random, p: Person): string {
  return `${p.first.normalize('NFD').replace(/[^A-Za-z]/g, '')}${p.last.charAt(0).normalize('NFD').replace(/[^A-Za-z]/g, '')}${random.int(1, 9999)}`;
}

const subratingsFor = (random: Random, stars: number): number[] => SUBRATINGS.map(() => Math.min(5, Math.max(1, stars + random.int(-1, 1))));

/** An API Gateway error: `{"message"}` and its error type header. */
const gateway = (status: number, text: string, type: string): ModuleResponse => json(status, { message: text }, { 'x-amzn-errortype': type });
/** The Content API's own error model. */
const contentError = (status: number, text: string, type: string): ModuleResponse => json(status, { error: { message: text, type, code: status } });

/** The Tripadvisor module. */
export function tripadvisorModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const facts = generateFacts(random, { topic: 'venue', count: countOf(context, 32), spanDays: 730, anchor: context.anchor, titleRate: 1, replyRate: 0.5 });
  const store = new ReviewStore<TripadvisorReview>(
    'tripadvisor',
    facts.map((f) => {
      const name = username(random, f.person);
      return {
      externalId: random.digits(9),
      username: name,
      tripType: random.pick(TRIP_TYPES),
      subratings: subratingsFor(random, f.stars),
      // Tripadvisor shows the username as the author.
      author: name,
      stars: f.stars,
      recommendation: null,
      title: f.title,
      text: f.text,
      language: f.language,
      createdAt: f.createdAt,
      updatedAt: null,
      replies: f.reply ? [{ id: random.digits(9), text: f.reply.text, createdAt: f.reply.createdAt, author: OWNER }] : [],
      helpfulVotes: f.helpfulVotes,
    };
    }),
  );
  const order = () => store.sorted('newest', newestFirst);

  function reviewJson(review: TripadvisorReview) {
    const reply = review.replies[0];
    const url = `https://www.tripadvisor.com/ShowUserReviews-g60713-d${LOCATION.id}-r${review.externalId}-Sandbox_Bistro-San_Francisco_California.html#review${review.externalId}`;
    const avatar = `https://media-cdn.tripadvisor.com/media/photo-l/1a/f6/${review.externalId.slice(0, 2)}/${review.externalId.slice(2, 4)}/default-avatar-2020-${review.externalId.slice(-2)}.jpg`;
    return {
      id: Number(review.externalId),
      lang: review.language,
      location_id: Number(LOCATION.id),
      published_date: isoSeconds(review.createdAt),
      rating: review.stars,
      helpful_votes: review.helpfulVotes ?? 0,
      rating_image_url: `https://www.tripadvisor.com/img/cdsi/img2/ratings/traveler/s${review.stars}.0-66827-5.svg`,
      url,
      trip_type: review.tripType,
      travel_date: review.createdAt.toISOString().slice(0, 7),
      text: review.text,
      title: review.title,
      ...(reply && {
        owner_response: { id: Number(reply.id), lang: review.language, text: reply.text, title: 'Owner response', author: reply.author, published_date: isoSeconds(reply.createdAt) },
      }),
      is_machine_translated: false,
      user: {
        username: review.username,
        user_location: { id: '60713', name: 'San Francisco, California' },
        avatar: { thumbnail: avatar.replace('photo-l', 'photo-t'), small: avatar, large: avatar.replace('photo-l', 'photo-f'), original: avatar.replace('photo-l', 'photo-o') },
      },
      subratings: Object.fromEntries(
        SUBRATINGS.map(([name, localized], index) => [
          String(index),
          {
            name,
            localized_name: localized,
            rating_image_url: `https://www.tripadvisor.com/img/cdsi/img2/ratings/traveler/ss${review.subratings[index]}.0-66827-5.svg`,
            value: review.subratings[index],
          },
        ]),
      ),
    };
  }

  function detailsJson() {
    const all = store.all();
    const average = averageStars(all);
    const counts = starCounts(all);
    return {
      location_id: LOCATION.id,
      name: LOCATION.name,
      web_url: `https://www.tripadvisor.com/Restaurant_Review-g60713-d${LOCATION.id}-Reviews-Sandbox_Bistro-San_Francisco_California.html`,
      address_obj: { street1: '1 Sandbox Way', street2: '', city: 'San Francisco', state: 'California', country: 'United States', postalcode: '94109', address_string: '1 Sandbox Way, San Francisco, CA 94109' },
      ...(average !== null && { rating: toHalf(average).toFixed(1) }),
      num_reviews: String(all.length),
      review_rating_count: Object.fromEntries(counts.map((count, index) => [String(index + 1), String(count)])),
      photo_count: '128',
      cuisine: [{ name: 'american', localized_name: 'American' }],
    };
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const key = request.query.get('key');
    if (key === null || key === '') return gateway(401, 'Unauthorized', 'UnauthorizedException');
    if (key !== TRIPADVISOR_API_KEY) return contentError(401, 'Invalid API key', 'UnauthorizedException');
    const language = request.query.get('language') ?? 'en';
    if (!/^[a-z]{2}(_[A-Z]{2})?$/.test(language)) return contentError(400, 'Invalid value for parameter language', 'ValidationException');
    const [, id, what] = PATH.exec(request.path) ?? [];
    if (id !== LOCATION.id) return contentError(404, 'Location not found', 'NotFoundException');
    if (what === 'details') return json(200, detailsJson());
    const limit = intParam(request.query, 'limit') ?? CAP;
    const offset = intParam(request.query, 'offset') ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) return contentError(400, 'Invalid value for parameter limit or offset', 'ValidationException');
    // However large `limit` and `offset`, only the most recent five exist for the API.
    const data = order().slice(0, CAP).slice(offset, offset + Math.min(limit, CAP)).map(reviewJson);
    return json(200, { data });
  }

  function fault(kind: SandboxFault, _request: ModuleRequest, { random: draw }: FaultContext): ModuleResponse {
    if (kind === 'rate-limit') return gateway(429, 'Too Many Requests', 'TooManyRequestsException');
    return draw.chance(0.5) ? gateway(500, 'Internal server error', 'InternalServerErrorException') : gateway(503, 'Service Unavailable', 'ServiceUnavailableException');
  }

  return {
    key: 'tripadvisor',
    source: 'tripadvisor',
    claims: (request) => PATH.test(request.path),
    handle,
    fault,
    ...storeMethods({
      key: 'tripadvisor',
      store,
      random,
      order,
      listed: () => firstIds(order(), CAP),
      hasStars: true,
      hasEditTime: false,
      replies: { author: OWNER },
      afterEdit: (review, edit) => {
        if (edit.stars !== undefined) review.subratings = subratingsFor(random, edit.stars);
      },
      create: (input) => ({
        externalId: random.digits(9),
        username: input.authorName,
        tripType: random.pick(TRIP_TYPES),
        subratings: subratingsFor(random, input.stars),
        ...addedFields(input, { helpfulVotes: 0 }),
      }),
    }),
  };
}
