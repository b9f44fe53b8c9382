import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ReviewkitError, redact } from './errors.js';
import {
  createHttpClient,
  type ErrorDetector,
  type HttpClient,
  type HttpOverrides,
  type RequestOptions,
  type RetryInfo,
  type RetryOptions,
} from './http.js';
import { defaultItemId, type ItemPipeline, normalizeItems, type SkippedItem } from './items.js';
import type { AdapterReplies, ReplyCapability, ReplySettings } from './reply-types.js';
import type { Review, ReviewInput } from './review.js';

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
export interface AdapterPage<Item, Shared = undefined> {
  /**
   * The review items of this page, in the source's order: raw values when the adapter declares
   * an `item` schema (each is validated on its own), else values its page schema validated.
   */
  items: readonly Item[];
  /**
   * What every item of this page shares and `normalize` needs (the business it belongs to, a
   * lookup of authors): `normalize` receives it as `ctx.shared`.
   */
  shared?: Shared;
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
  /**
   * Problems the source reported next to good data (an author it could not return, say): not
   * failures, but worth the user's eye. Collected into `SourceReport.warnings`.
   */
  warnings?: readonly SourceWarning[];
  /** A remark on coverage for the user ("the page carries no schema.org reviews"); the last one given is reported. */
  note?: string;
}

/** A problem a source reported beside good data. Never holds a secret or a raw payload. */
export interface SourceWarning {
  /** The source's own code for it, when it has one. */
  code?: string;
  /** What happened, in a sentence. */
  message: string;
  /** The review (source id) it concerns, when it concerns one. */
  itemId?: string | null;
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
  /**
   * Awaits independent requests started together (a details request and the first page, say),
   * so a source pays one round trip for both. Resolves to their results in order; when some
   * fail, rejects with the error of the first failing one in the list, whichever failed first.
   */
  all<const T extends readonly unknown[]>(requests: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T>;
}

/** What `normalize` gets besides the item. */
export interface NormalizeContext<Options, Shared = undefined> {
  options: Options;
  now: Date;
  /** The `shared` value of the page the item came from. */
  shared: Shared;
}

type OptionsOf<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>>;

/** What every adapter definition provides, whichever way it validates its items. */
export interface AdapterDefinitionBase<Shape extends z.ZodRawShape, PageSchema extends z.ZodType> {
  /** Kebab-case source name; becomes `Review.source` and the id prefix. Never change it. */
  name: string;
  /** zod object schema of the adapter's own options; refinements across options (`.refine`, `.superRefine`) are kept. */
  options: z.ZodObject<Shape>;
  /** Real API origin (or a function of the options, for sources split across origins); the `baseUrl` option replaces it. */
  baseUrl: string | ((options: OptionsOf<Shape>) => string);
  /** The reviewed business/place/page/app id, for reports. */
  subjectId: (options: OptionsOf<Shape>) => string;
  /** Option values to scrub from every error and log (API keys, tokens). */
  secrets?: (options: OptionsOf<Shape>) => readonly string[];
  /**
   * `newest-first` lets the engine stop paging once reviews are older than `since` (a function
   * of the options when a sort option decides it). Default `unordered`.
   */
  order?: 'newest-first' | 'unordered' | ((options: OptionsOf<Shape>) => 'newest-first' | 'unordered');
  /** Default request rate for this source, per second. */
  requestsPerSecond?: number;
  /** Maps the source's error bodies (and errors sent with HTTP 200) to error codes. */
  detectError?: ErrorDetector;
  /**
   * zod schema of one raw page, loose: declare what you read. With an `item` schema, declare the
   * items array as `z.array(z.unknown())`: the page schema then guards only the envelope (the
   * fields paging needs), and a bad review cannot fail the page.
   */
  page: PageSchema;
  /** Fetches the source's aggregate figures when pages don't carry them. */
  summary?: (ctx: AdapterContext<OptionsOf<Shape>, z.output<PageSchema>>) => Promise<SourceSummary | null>;
  /**
   * Whether a review (from any run, or read back from a file or a store) belongs to this adapter's
   * subject: `reply()` uses it to find the adapter that can answer. Default: the same source and
   * `review.subject.id === subjectId(options)`.
   */
  owns?: (review: Review, options: OptionsOf<Shape>) => boolean;
  /** Answering reviews through the source's API (see `reply()`). */
  reply?: ReplyCapability<OptionsOf<Shape>>;
}

/**
 * An adapter definition that validates each review item on its own (the recommended shape):
 * `pages` yields raw items, each is parsed with `item`, and an item that fails (or whose
 * `normalize` fails) is skipped and listed in `SourceReport.skipped` while the rest of the page
 * is kept.
 */
export interface ItemAdapterDefinition<Shape extends z.ZodRawShape, PageSchema extends z.ZodType, ItemSchema extends z.ZodType, Shared = undefined>
  extends AdapterDefinitionBase<Shape, PageSchema> {
  /** zod schema of one raw review item, loose: declare what you read. */
  item: ItemSchema;
  /** Reads the source's review id off a raw item (for skip reports). Default: its `id` field. */
  itemId?: (raw: unknown) => string | null;
  /** Yields pages of raw items from `ctx.cursor` to the end. Must stop after the last page. */
  pages: (ctx: AdapterContext<OptionsOf<Shape>, z.output<PageSchema>>) => AsyncIterable<AdapterPage<unknown, Shared>>;
  /** Pure and synchronous: one validated item to a review. */
  normalize: (item: z.output<ItemSchema>, ctx: NormalizeContext<OptionsOf<Shape>, Shared>) => ReviewInput;
}

/**
 * An adapter definition whose page schema validates the items itself (no `item` schema): a bad
 * raw review fails its page; a throwing `normalize` or an invalid returned review is still
 * skipped item by item.
 */
export interface AdapterDefinition<Shape extends z.ZodRawShape, PageSchema extends z.ZodType, Item, Shared = undefined>
  extends AdapterDefinitionBase<Shape, PageSchema> {
  item?: undefined;
  /** Yields pages of items from `ctx.cursor` to the end. Must stop after the last page. */
  pages: (ctx: AdapterContext<OptionsOf<Shape>, z.output<PageSchema>>) => AsyncIterable<AdapterPage<Item, Shared>>;
  /** Pure and synchronous: one item to a review. */
  normalize: (item: Item, ctx: NormalizeContext<OptionsOf<Shape>, Shared>) => ReviewInput;
}

/**
 * Either kind of adapter definition, with its item types erased: what generic code (a wrapper,
 * a test harness) holds when it takes any definition.
 */
export interface AnyAdapterDefinition<Shape extends z.ZodRawShape = z.ZodRawShape, PageSchema extends z.ZodType = z.ZodType>
  extends AdapterDefinitionBase<Shape, PageSchema> {
  item?: z.ZodType | undefined;
  itemId?: ((raw: unknown) => string | null) | undefined;
  pages: (ctx: AdapterContext<OptionsOf<Shape>, z.output<PageSchema>>) => AsyncIterable<AdapterPage<unknown, unknown>>;
  normalize: (item: never, ctx: NormalizeContext<OptionsOf<Shape>, never>) => ReviewInput;
}

/** Run-time settings the engine passes to an adapter. */
export interface RunSettings {
  signal: AbortSignal;
  since: Date | null;
  now: Date;
  /**
   * Where this run starts, overriding the adapter's `cursor` option (`null`: from the beginning).
   * `sync` uses it to continue an interrupted run with an adapter made before the interruption.
   * Adapters made with `defineAdapter` honour it; a hand-made adapter that ignores it simply
   * starts from the beginning, which `sync` tolerates (it only re-reads stored pages).
   */
  cursor?: string | null;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  onRetry?: (info: RetryInfo) => void;
}

/** A page of validated reviews, as the engine receives it. */
export interface ReviewPage {
  reviews: Review[];
  /** Items of this page that were left out, and why. */
  skipped: SkippedItem[];
  /** Problems the source reported beside this page's data. */
  warnings: readonly SourceWarning[];
  /** The adapter's remark on coverage, if any. */
  note: string | null;
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
  /**
   * Equal for two adapters made with equal options (same source, same data): the engine runs
   * such a duplicate once. Secret-free (a digest). Optional for hand-made adapters.
   */
  readonly key?: string;
  /**
   * Names the stream of reviews this adapter reads, stable across runs and processes: a digest of
   * its options without credentials (the values `secrets` lists), `cursor`, `http`,
   * `requestsPerSecond` and function options. A renewed access token or a resumed cursor keeps
   * it, so stores key resume points by it (`sync`). Optional for hand-made adapters: `sync` then
   * uses `` `${name}:${subjectId}` ``.
   */
  readonly resumeKey?: string;
  readonly order: 'newest-first' | 'unordered';
  /** Fetches pages of validated reviews (used by the engine; call it directly for low-level control). */
  pages(settings: RunSettings): AsyncGenerator<ReviewPage, void, undefined>;
  /** The source's aggregate figures, or null when it has none. */
  summary(settings: RunSettings): Promise<SourceSummary | null>;
  /** Whether `review` belongs to this adapter's subject (`reply()` finds its adapter with it). Optional for hand-made adapters. */
  owns?(review: Review): boolean;
  /** Answering reviews; absent when the adapter says nothing about replies. */
  readonly replies?: AdapterReplies;
}

/** The factory `defineAdapter` returns: call it with options to get an {@link Adapter}. */
export type AdapterFactory<Shape extends z.ZodRawShape, Definition = AnyAdapterDefinition<Shape>> = ((
  options: z.input<z.ZodObject<Shape>> & CommonAdapterOptions,
) => Adapter) & {
  /** The source name (`Review.source`). */
  readonly adapterName: string;
  /** The definition it was made from: schemas and `normalize`, for tests and benchmarks. */
  readonly definition: Definition;
};

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Defines an adapter for a review source and returns its factory.
 *
 * Types flow from the schemas: `ctx.options` is the parsed options type, `fetchPage` returns
 * the parsed page type, `normalize` receives the parsed `item` type (or, without an `item`
 * schema, the item type `pages` yields) and `ctx.shared` the page's `shared` value. The factory
 * validates options (a bad one throws `ReviewkitError` `CONFIG` naming it); every page is
 * validated against `page`, every item against `item`, every returned review against
 * `ReviewSchema`. An item that fails is skipped and reported; the rest of its page is kept.
 */
export function defineAdapter<Shape extends z.ZodRawShape, PageSchema extends z.ZodType, ItemSchema extends z.ZodType, Shared = undefined>(
  definition: ItemAdapterDefinition<Shape, PageSchema, ItemSchema, Shared>,
): AdapterFactory<Shape, ItemAdapterDefinition<Shape, PageSchema, ItemSchema, Shared>>;
export function defineAdapter<Shape extends z.ZodRawShape, PageSchema extends z.ZodType, Item, Shared = undefined>(
  definition: AdapterDefinition<Shape, PageSchema, Item, Shared>,
): AdapterFactory<Shape, AdapterDefinition<Shape, PageSchema, Item, Shared>>;
export function defineAdapter<Shape extends z.ZodRawShape, PageSchema extends z.ZodType>(
  definition: AnyAdapterDefinition<Shape, PageSchema>,
): AdapterFactory<Shape, AnyAdapterDefinition<Shape, PageSchema>>;
export function defineAdapter<Shape extends z.ZodRawShape, PageSchema extends z.ZodType>(
  definition: AnyAdapterDefinition<Shape, PageSchema>,
): AdapterFactory<Shape, AnyAdapterDefinition<Shape, PageSchema>> {
  if (!NAME.test(definition.name)) {
    throw new ReviewkitError({ code: 'CONFIG', message: `Adapter name ${JSON.stringify(definition.name)} must be kebab-case.` });
  }
  const source = definition.name;
  // safeExtend keeps the options schema's own refinements (rules spanning two options).
  const schema = (definition.options as z.ZodObject<z.ZodRawShape>).safeExtend(commonShape).strict();
  // The two definition kinds differ only in where items are validated; past this point both are one pipeline.
  const normalize = definition.normalize as (item: unknown, ctx: NormalizeContext<OptionsOf<Shape>, unknown>) => ReviewInput;
  const itemSchema = definition.item;
  const itemId = (itemSchema && definition.itemId) || defaultItemId;

  const factory = (rawOptions: z.input<z.ZodObject<Shape>> & CommonAdapterOptions): Adapter => {
    const parsed = schema.safeParse(rawOptions);
    if (!parsed.success) throw configError(source, parsed.error, rawOptions);
    const all = parsed.data as OptionsOf<Shape> & CommonAdapterOptions;
    const options = all as OptionsOf<Shape>;
    const secrets = definition.secrets?.(options) ?? [];
    const subjectId = definition.subjectId(options);
    const pipeline: ItemPipeline<unknown, NormalizeContext<OptionsOf<Shape>, unknown>> = { source, secrets, item: itemSchema, itemId, normalize };

    const contextFor = (settings: RunSettings): AdapterContext<OptionsOf<Shape>, z.output<PageSchema>> => {
      const http = createHttpClient({
        source,
        baseUrl: all.baseUrl ?? (typeof definition.baseUrl === 'function' ? definition.baseUrl(options) : definition.baseUrl),
        isBaseUrlOverridden: all.baseUrl !== undefined,
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
        cursor: settings.cursor !== undefined ? settings.cursor : (all.cursor ?? null),
        now: settings.now,
        all: allInOrder as AdapterContext<OptionsOf<Shape>, z.output<PageSchema>>['all'],
      };
    };

    return {
      name: source,
      subjectId,
      key: adapterKey(source, all),
      resumeKey: resumeKeyOf(source, all, secrets),
      order: (typeof definition.order === 'function' ? definition.order(options) : definition.order) ?? 'unordered',
      async *pages(settings) {
        const ctx = contextFor(settings);
        let pageNumber = 0;
        for await (const page of definition.pages(ctx) as AsyncIterable<AdapterPage<unknown, unknown>>) {
          pageNumber++;
          const normalizeCtx = { options, now: settings.now, shared: page.shared };
          const { reviews, skipped } = normalizeItems(pipeline, page.items, pageNumber, normalizeCtx);
          yield {
            reviews,
            skipped,
            warnings: (page.warnings ?? []).map((warning) => redactWarning(warning, secrets)),
            note: page.note === undefined ? null : redact(page.note, secrets),
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
      owns: (review) => (definition.owns ? definition.owns(review, options) : review.source === source && review.subject.id === subjectId),
      ...(definition.reply && { replies: repliesOf(definition.reply, options, (settings: ReplySettings) => contextFor({ ...settings, since: null })) }),
    };
  };
  return Object.assign(factory, { adapterName: source, definition });
}

function redactWarning(warning: SourceWarning, secrets: readonly string[]): SourceWarning {
  return {
    ...(warning.code !== undefined && { code: redact(warning.code, secrets) }),
    message: redact(warning.message, secrets),
    ...(warning.itemId !== undefined && { itemId: warning.itemId === null ? null : redact(warning.itemId, secrets) }),
  };
}

function repliesOf<Options>(
  capability: ReplyCapability<Options>,
  options: Options,
  contextFor: (settings: ReplySettings) => { options: Options; http: HttpClient; signal: AbortSignal; now: Date },
): AdapterReplies {
  const unsupported = typeof capability.unsupported === 'function' ? capability.unsupported(options) : (capability.unsupported ?? null);
  const { post, delete: remove } = capability;
  const replyContext = (settings: ReplySettings) => {
    const { http, signal, now } = contextFor(settings);
    return { options, http, signal, now };
  };
  return {
    unsupported: unsupported ?? (post ? null : 'this adapter has no way to post replies'),
    rules: capability.rules ?? {},
    ...(post && unsupported === null && { post: (review: Review, text: string, settings: ReplySettings) => post(replyContext(settings), review, text) }),
    ...(remove && unsupported === null && { delete: (review: Review, settings: ReplySettings) => remove(replyContext(settings), review) }),
  };
}

async function allInOrder(requests: readonly Promise<unknown>[]): Promise<unknown[]> {
  const settled = await Promise.allSettled(requests);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value);
}

// Functions have no stable text: each one gets a number, so different functions mean different adapters.
const functionIds = new WeakMap<object, number>();
let functionCount = 0;

/** A digest of the validated options: equal options, equal data. `http` overrides do not change the data. */
function adapterKey(source: string, options: Record<string, unknown>): string {
  const { http: _http, ...rest } = options;
  const stable = JSON.stringify(rest, (_key, value: unknown) => {
    if (typeof value === 'function') {
      if (!functionIds.has(value)) functionIds.set(value, ++functionCount);
      return `function#${functionIds.get(value)}`;
    }
    return value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value;
  });
  return `${source}:${createHash('sha256').update(stable).digest('base64url').slice(0, 22)}`;
}

/** Options that change which reviews come back, never credentials: see {@link Adapter.resumeKey}. */
function resumeKeyOf(source: string, options: Record<string, unknown>, secrets: readonly string[]): string {
  const { http: _http, cursor: _cursor, requestsPerSecond: _rps, ...rest } = options;
  const secretValues = new Set(secrets);
  const stable = JSON.stringify(rest, (_key, value: unknown) => {
    if (typeof value === 'function' || (typeof value === 'string' && secretValues.has(value))) return undefined;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value;
  });
  return `${source}:${createHash('sha256').update(stable).digest('base64url').slice(0, 22)}`;
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
        : isMissing && issue?.code === 'custom'
          ? `is required: ${issue.message}`
          : `is invalid: ${issue?.message ?? 'invalid value'}`;
  return new ReviewkitError({ code: 'CONFIG', source, message: `${source}: option \`${option}\` ${what}.` });
}
