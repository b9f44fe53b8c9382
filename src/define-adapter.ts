import { z } from 'zod';
import { ReviewkitError } from './errors.js';
import {
  createHttpClient,
  type ErrorDetector,
  type HttpClient,
  type HttpOverrides,
  type RequestOptions,
  type RetryInfo,
  type RetryOptions,
} from './http.js';
import { createReview, type Review, type ReviewInput, ReviewSchema } from './review.js';

/** Options every adapter accepts besides its own. */
export interface CommonAdapterOptions {
  /** API origin replacing the real one (proxies, sandboxes, fixture servers): `http://127.0.0.1:8080`. */
  baseUrl?: string;
  /** axios overrides: `proxy`, `httpAgent`, `httpsAgent`, extra `headers`, `maxContentLength`. */
  http?: HttpOverrides;
  /** Resume paging from a `SourceReport.cursor` of an earlier run. */
  cursor?: string;
  /** Most requests per second to this source (overrides the adapter's default). */
  requestsPerSecond?: number;
}

const commonShape = {
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  http: z.custom<HttpOverrides>((v) => typeof v === 'object' && v !== null, 'must be an object').optional(),
  cursor: z.string().min(1).optional(),
  requestsPerSecond: z.number().positive().optional(),
};

/** The source's own aggregate figures (its displayed average and review count). */
export interface SourceSummary {
  average: number | null;
  count: number | null;
}

/** One page an adapter's `pages` generator yields. */
export interface AdapterPage<Item> {
  /** The raw review items of this page, in the source's order. */
  items: readonly Item[];
  /** Cursor that fetches this very page again (null for the first page). */
  cursor?: string | null;
  /** Cursor of the next page; null or absent on the last page. */
  nextCursor?: string | null;
  /** Total the source says it has (it may exceed what it lets you read). */
  reportedTotal?: number | null;
  /** True when the source caps what it returns below `reportedTotal` (Yelp excerpts, Google's 5). */
  isPlatformLimited?: boolean;
  /** Aggregate figures, when the page carries them. */
  summary?: SourceSummary | null;
}

/** What an adapter's `pages` and `summary` get. */
export interface AdapterContext<Options, Page> {
  /** The validated options (defaults applied). */
  options: Options;
  /** HTTP client on the source's origin: retries, rate limits, timeouts, error mapping, redaction. */
  http: HttpClient;
  /** GET a page and validate it with the adapter's `page` schema. */
  fetchPage(path: string, options?: Omit<RequestOptions, 'schema'>): Promise<Page>;
  /** Aborts when the caller aborts or the run stops early. */
  signal: AbortSignal;
  /** Only reviews at or after this instant are wanted (sources that can filter server-side may use it). */
  since: Date | null;
  /** Where to resume: the `cursor` option, or null to start at the beginning. */
  cursor: string | null;
  /** The run's clock reading; use it instead of `new Date()`. */
  now: Date;
}

/** What `normalize` gets besides the raw item. */
export interface NormalizeContext<Options> {
  options: Options;
  now: Date;
}

/** An adapter definition: what a source-specific module provides. */
export interface AdapterDefinition<Shape extends z.ZodRawShape, PageSchema extends z.ZodType, Item> {
  /** Kebab-case source name; becomes `Review.source` and the id prefix. Never change it. */
  name: string;
  /** zod object schema of the adapter's own options. */
  options: z.ZodObject<Shape>;
  /** Real API origin (or a function of the options, for sources split across origins); the `baseUrl` option replaces it. */
  baseUrl: string | ((options: z.output<z.ZodObject<Shape>>) => string);
  /** The reviewed business/place/page/app id, for reports. */
  subjectId: (options: z.output<z.ZodObject<Shape>>) => string;
  /** Option values to scrub from every error and log (API keys, tokens). */
  secrets?: (options: z.output<z.ZodObject<Shape>>) => readonly string[];
  /** `newest-first` lets the engine stop paging once reviews are older than `since`. Default `unordered`. */
  order?: 'newest-first' | 'unordered';
  /** Default request rate for this source, per second. */
  requestsPerSecond?: number;
  /** Maps the source's error bodies (and errors sent with HTTP 200) to error codes. */
  detectError?: ErrorDetector;
  /** zod schema of one raw page, loose: declare what you read. */
  page: PageSchema;
  /** Yields pages from `ctx.cursor` to the end. Must stop after the last page. */
  pages: (ctx: AdapterContext<z.output<z.ZodObject<Shape>>, z.output<PageSchema>>) => AsyncIterable<AdapterPage<Item>>;
  /** Pure and synchronous: one raw item to a review. */
  normalize: (item: Item, ctx: NormalizeContext<z.output<z.ZodObject<Shape>>>) => ReviewInput;
  /** Fetches the source's aggregate figures when pages don't carry them. */
  summary?: (ctx: AdapterContext<z.output<z.ZodObject<Shape>>, z.output<PageSchema>>) => Promise<SourceSummary | null>;
}

/** Run-time settings the engine passes to an adapter. */
export interface RunSettings {
  signal: AbortSignal;
  since: Date | null;
  now: Date;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  onRetry?: (info: RetryInfo) => void;
}

/** A page of validated reviews, as the engine receives it. */
export interface ReviewPage {
  reviews: Review[];
  cursor: string | null;
  nextCursor: string | null;
  reportedTotal: number | null;
  isPlatformLimited: boolean;
  summary: SourceSummary | null;
}

/** A configured source, ready for `aggregate`. Holds its credentials privately. */
export interface Adapter {
  readonly name: string;
  readonly subjectId: string;
  readonly order: 'newest-first' | 'unordered';
  /** Fetches pages of validated reviews (used by the engine; call it directly for low-level control). */
  pages(settings: RunSettings): AsyncGenerator<ReviewPage, void, undefined>;
  /** The source's aggregate figures, or null when it has none. */
  summary(settings: RunSettings): Promise<SourceSummary | null>;
}

/** The factory `defineAdapter` returns: call it with options to get an {@link Adapter}. */
export type AdapterFactory<Shape extends z.ZodRawShape, PageSchema extends z.ZodType = z.ZodType, Item = unknown> = ((
  options: z.input<z.ZodObject<Shape>> & CommonAdapterOptions,
) => Adapter) & {
  /** The source name (`Review.source`). */
  readonly adapterName: string;
  /** The definition it was made from: schemas and `normalize`, for tests and benchmarks. */
  readonly definition: AdapterDefinition<Shape, PageSchema, Item>;
};

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Defines an adapter for a review source and returns its factory.
 *
 * Types flow from the schemas: `ctx.options` is the parsed options type, `fetchPage` returns
 * the parsed page type, `normalize` receives the item type `pages` yields. The factory
 * validates options (a bad one throws `ReviewkitError` `CONFIG` naming it); every page is
 * validated against `page`, every review against `ReviewSchema`.
 */
export function defineAdapter<Shape extends z.ZodRawShape, PageSchema extends z.ZodType, Item>(
  definition: AdapterDefinition<Shape, PageSchema, Item>,
): AdapterFactory<Shape, PageSchema, Item> {
  if (!NAME.test(definition.name)) {
    throw new ReviewkitError({ code: 'CONFIG', message: `Adapter name ${JSON.stringify(definition.name)} must be kebab-case.` });
  }
  const source = definition.name;
  const schema = z.strictObject({ ...definition.options.shape, ...commonShape });

  const factory = (rawOptions: z.input<z.ZodObject<Shape>> & CommonAdapterOptions): Adapter => {
    const parsed = schema.safeParse(rawOptions);
    if (!parsed.success) throw configError(source, parsed.error, rawOptions);
    const all = parsed.data as z.output<z.ZodObject<Shape>> & CommonAdapterOptions;
    const options = all as z.output<z.ZodObject<Shape>>;
    const secrets = definition.secrets?.(options) ?? [];
    const subjectId = definition.subjectId(options);

    const contextFor = (settings: RunSettings): AdapterContext<z.output<z.ZodObject<Shape>>, z.output<PageSchema>> => {
      const http = createHttpClient({
        source,
        baseUrl: all.baseUrl ?? (typeof definition.baseUrl === 'function' ? definition.baseUrl(options) : definition.baseUrl),
        secrets,
        signal: settings.signal,
        ...(definition.detectError && { detectError: definition.detectError }),
        ...(settings.timeoutMs !== undefined && { timeoutMs: settings.timeoutMs }),
        ...(settings.retry && { retry: settings.retry }),
        ...(settings.onRetry && { onRetry: settings.onRetry }),
        ...(all.http && { overrides: all.http }),
        ...((all.requestsPerSecond ?? definition.requestsPerSecond) !== undefined && {
          requestsPerSecond: all.requestsPerSecond ?? definition.requestsPerSecond,
        }),
      });
      return {
        options,
        http,
        fetchPage: (path, opts = {}) => http.get(path, { ...opts, schema: definition.page }),
        signal: settings.signal,
        since: settings.since,
        cursor: all.cursor ?? null,
        now: settings.now,
      };
    };

    return {
      name: source,
      subjectId,
      order: definition.order ?? 'unordered',
      async *pages(settings) {
        const ctx = contextFor(settings);
        const normalizeCtx = { options, now: settings.now };
        for await (const page of definition.pages(ctx)) {
          yield {
            reviews: page.items.map((item, index) => toReview(source, definition.normalize, item, index, normalizeCtx)),
            cursor: page.cursor ?? null,
            nextCursor: page.nextCursor ?? null,
            reportedTotal: page.reportedTotal ?? null,
            isPlatformLimited: page.isPlatformLimited ?? false,
            summary: page.summary ?? null,
          };
        }
      },
      async summary(settings) {
        return definition.summary ? definition.summary(contextFor(settings)) : null;
      },
    };
  };
  return Object.assign(factory, { adapterName: source, definition });
}

function toReview<Item, Options>(
  source: string,
  normalize: (item: Item, ctx: NormalizeContext<Options>) => ReviewInput,
  item: Item,
  index: number,
  ctx: NormalizeContext<Options>,
): Review {
  let review: Review;
  try {
    review = createReview(source, normalize(item, ctx));
  } catch (error) {
    if (ReviewkitError.is(error)) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new ReviewkitError({ code: 'BAD_RESPONSE', source, message: `${source}: could not normalize review #${index} of a page: ${why}` });
  }
  const checked = ReviewSchema.safeParse(review);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new ReviewkitError({
      code: 'BAD_RESPONSE',
      source,
      message: `${source}: review ${JSON.stringify(review.externalId)} is invalid at ${where}: ${issue?.message ?? 'invalid'}`,
    });
  }
  return checked.data;
}

function configError(source: string, error: z.ZodError, given: unknown): ReviewkitError {
  const issue = error.issues[0];
  const option = issue?.path.length ? issue.path.join('.') : (issue && 'keys' in issue ? String(issue.keys) : 'options');
  const top = issue?.path[0];
  const isMissing = typeof given !== 'object' || given === null || (typeof top === 'string' && (given as Record<string, unknown>)[top] === undefined);
  const what =
    issue?.code === 'unrecognized_keys'
      ? 'is not a known option'
      : isMissing && issue?.code === 'invalid_type'
        ? 'is required'
        : `is invalid: ${issue?.message ?? 'invalid value'}`;
  return new ReviewkitError({ code: 'CONFIG', source, message: `${source}: option \`${option}\` ${what}.` });
}
