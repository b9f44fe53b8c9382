// The config file of `reviewkit fetch` (and of the commands that fetch later: sync, watch, reply):
// JSON, validated with zod, with secrets read from the environment. Every error names the file,
// the source (by index and adapter name) and the field, and never the value.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Adapter, type AggregateOptions, ReviewkitError } from 'reviewkit';
import { z } from 'zod';
import { ADAPTER_NAMES, ADAPTERS, type AdapterName } from './adapters.js';
import { CliError } from './errors.js';
import { parseStoreSpec, type StoreLocation } from './store.js';

const positiveInt = z.number().int().positive();

const SourceSchema = z
  .object({
    adapter: z.enum(ADAPTER_NAMES, {
      error: (issue) =>
        issue.input === undefined ? 'is required' : `is not a known adapter; use one of ${ADAPTER_NAMES.join(', ')}`,
    }),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/** The shape of a config file (`reviewkit fetch --help` documents it). */
export const ConfigFileSchema = z
  .object({
    /** Ignored: lets editors attach a JSON schema. */
    $schema: z.string().optional(),
    sources: z.array(SourceSchema).min(1, 'is empty: list at least one source'),
    concurrency: positiveInt.optional(),
    timeoutMs: positiveInt.optional(),
    retry: z
      .object({ attempts: positiveInt.optional(), baseDelayMs: z.number().int().nonnegative().optional(), maxDelayMs: z.number().int().nonnegative().optional() })
      .strict()
      .optional(),
    maxPerSource: z.number().int().nonnegative().optional(),
    maxPages: positiveInt.optional(),
    /** Where `sync`, `watch` and `reply` keep reviews: a folder, or `sqlite:PATH`; relative to the config file. */
    store: z.string().min(1).optional(),
  })
  .strict();

/** One source of a loaded config, ready to run. */
export interface ConfiguredSource {
  /** Position in the file's `sources` array (0-based, as `sources[0]` in messages). */
  index: number;
  /** The `adapter` name as the file gives it (`app-store-connect`, say). */
  adapterName: AdapterName;
  adapter: Adapter;
}

/** A config file, validated, with every adapter built. */
export interface LoadedConfig {
  /** Path of the file, as given to {@link loadConfig}. */
  path: string;
  sources: ConfiguredSource[];
  /** The run options the file sets (concurrency, timeoutMs, retry, maxPerSource, maxPages). */
  run: Pick<AggregateOptions, 'concurrency' | 'timeoutMs' | 'retry' | 'maxPerSource' | 'maxPages'>;
  /** Every credential the file holds or points to: removed from anything the CLI prints. */
  secrets: string[];
  /** The file's `store`, resolved against the file's folder. */
  store?: StoreLocation;
}

/**
 * Reads, validates and builds the config file at `file` (named `shownAs` in messages: the path
 * as the user typed it). Option values may be `{ "env": "NAME" }` (read from
 * the environment; a missing or empty variable is an error naming it) or `{ "file": "path" }`
 * (a file's text, relative to the config file, without its final line break), at any depth.
 *
 * @throws CliError naming the file, the source and the field (never a value).
 */
export async function loadConfig(file: string, env: Readonly<Record<string, string | undefined>>, shownAs = file): Promise<LoadedConfig> {
  // A byte-order mark (as some Windows editors write) is not JSON; drop it.
  const text = readConfigText(file, shownAs).replace(/^\uFEFF/, '');
  return buildConfig(parseJson(text, shownAs), file, env, shownAs);
}

/**
 * Validates and builds a config already parsed from JSON, as {@link loadConfig} does for a file
 * (`file` is where relative paths start from; `shownAs` names it in messages).
 *
 * @throws CliError naming the config, the source and the field (never a value).
 */
export async function buildConfig(json: unknown, file: string, env: Readonly<Record<string, string | undefined>>, shownAs = file): Promise<LoadedConfig> {
  const path = shownAs;
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) throw new CliError(`${path}: ${describeIssue(parsed.error, json)}`);
  const { sources: entries, concurrency, timeoutMs, retry, maxPerSource, maxPages, store } = parsed.data;
  const run = definedFields({ concurrency, timeoutMs, retry: retry && definedFields(retry), maxPerSource, maxPages });
  const secrets = new Set<string>();
  const sources: ConfiguredSource[] = [];
  for (const [index, entry] of entries.entries()) {
    const where = `${path}: sources[${index}] (${entry.adapter})`;
    const options = resolveReferences(entry.options, 'options', { env, baseDir: dirname(file), where }) as Record<string, unknown>;
    for (const secret of secretsIn(options)) secrets.add(secret);
    const factory = await ADAPTERS[entry.adapter].load();
    let adapter: Adapter;
    try {
      adapter = factory(options);
    } catch (error) {
      if (ReviewkitError.is(error) && error.code === 'CONFIG') throw new CliError(`${where}: ${withoutSourcePrefix(error)}`);
      throw error;
    }
    sources.push({ index, adapterName: entry.adapter, adapter });
  }
  return {
    path: file,
    sources,
    run,
    secrets: [...secrets],
    ...(store !== undefined && { store: parseStoreSpec(store, dirname(file), `${path}: store`) }),
  };
}

/** The object without its `undefined` fields: what an optional option means under exactOptionalPropertyTypes. */
function definedFields<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function readConfigText(file: string, path: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CliError(`no config file at ${path}. Create one (see \`reviewkit fetch --help\` for its shape) or pass --config PATH.`);
    }
    if (code === 'EISDIR') throw new CliError(`${path} is a directory; --config takes a JSON file.`);
    throw new CliError(`cannot read the config file ${path} (${code ?? 'error'}).`);
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path} is not valid JSON${describeJsonError(error, text)}.`);
  }
}

/**
 * ` at line 3, column 25: Expected ',' or '}' after property value` from a `JSON.parse` error.
 * V8's message may quote the text around the error, which could be a secret: only the position
 * and the reason are kept.
 */
export function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const where = position ? ` at ${lineAndColumn(text, Number(position[1]))}` : '';
  const reason = message.replace(/ (in JSON )?at position \d+.*$/s, '').replace(/^(Unexpected token '.*?'),.*$/s, '$1');
  return `${where}: ${reason}`;
}

/** `line 3, column 7` of a character offset (both 1-based). */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** The 1-based lines of ascending character offsets, in one pass over the text. */
export function linesAt(text: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let at = 0;
  for (const offset of offsets) {
    for (; at < offset && at < text.length; at++) if (text.charCodeAt(at) === 10) line++;
    lines.push(line);
  }
  return lines;
}

/** The first zod issue as `sources[1] (yelp): retry.attempts: …`: where, then what. */
function describeIssue(error: z.ZodError, json: unknown): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid config';
  const path = issue.path;
  let where = '';
  let rest = path;
  if (path[0] === 'sources' && typeof path[1] === 'number') {
    const adapter = (json as { sources?: { adapter?: unknown }[] }).sources?.[path[1]]?.adapter;
    where = `sources[${path[1]}]${typeof adapter === 'string' && (ADAPTER_NAMES as readonly string[]).includes(adapter) ? ` (${adapter})` : ''}`;
    rest = path.slice(2);
  }
  let field = rest.map(String).join('.');
  let message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'unrecognized_keys') {
    field = [field, ...issue.keys].filter(Boolean).join('.');
    message = 'is not a config field';
  } else if (issue.code === 'invalid_type' && valueAt(json, path) === undefined) {
    message = 'is required';
  } else if (path.length === 0 && issue.code === 'invalid_type') {
    return 'must be a JSON object like { "sources": [ … ] }';
  }
  // "sources[1] (yelp): adapter is required", "retry.attempts: Too small: expected number to be >0"
  const subject = [where, field].filter(Boolean).join(': ');
  if (subject === '') return message;
  return message.startsWith('is ') ? `${subject} ${message}` : `${subject}: ${message}`;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

interface ResolveContext {
  env: Readonly<Record<string, string | undefined>>;
  baseDir: string;
  where: string;
}

/** Replaces `{ "env": "NAME" }` and `{ "file": "path" }` at any depth with the value they name. */
function resolveReferences(value: unknown, field: string, ctx: ResolveContext): unknown {
  if (Array.isArray(value)) return value.map((item, i) => resolveReferences(item, `${field}[${i}]`, ctx));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  const record = value as Record<string, unknown>;
  if (keys.length === 1 && keys[0] === 'env') return readEnv(record.env, field, ctx);
  if (keys.length === 1 && keys[0] === 'file') return readReferencedFile(record.file, field, ctx);
  return Object.fromEntries(keys.map((key) => [key, resolveReferences(record[key], `${field}.${key}`, ctx)]));
}

function readEnv(name: unknown, field: string, ctx: ResolveContext): string {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new CliError(`${ctx.where}: ${field}: "env" must name an environment variable, like { "env": "YELP_API_KEY" }.`);
  }
  const value = ctx.env[name];
  if (value === undefined || value === '') {
    throw new CliError(`${ctx.where}: ${field}: the environment variable ${name} is not set.`);
  }
  return value;
}

function readReferencedFile(file: unknown, field: string, ctx: ResolveContext): string {
  if (typeof file !== 'string' || file === '') {
    throw new CliError(`${ctx.where}: ${field}: "file" must be a path, like { "file": "AuthKey_ABC123DEFG.p8" }.`);
  }
  const path = resolve(ctx.baseDir, file);
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(`${ctx.where}: ${field}: cannot read ${path} (${code === 'ENOENT' ? 'no such file' : code}).`);
  }
}

/**
 * Option names that hold credentials in the built-in adapters (`apiKey`, `accessToken`, `token`,
 * `bearerToken`, `privateKey`) and in `http.headers` (`Authorization`, `Cookie`, `X-Api-Key`).
 */
const SECRET_KEY = /(key|token|secret|password|authorization|cookie)$/i;

/** Every string held under a credential-like key, at any depth. */
export function secretsIn(value: unknown, isSecret = false): string[] {
  if (typeof value === 'string') return isSecret ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => secretsIn(item, isSecret));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => secretsIn(item, isSecret || SECRET_KEY.test(key)));
}

/** A factory's CONFIG message without its leading `yelp: `: the CLI names the source itself. */
function withoutSourcePrefix(error: ReviewkitError): string {
  const prefix = `${error.source}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}
