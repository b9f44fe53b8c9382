/**
 * What every sandboxed source module provides, and the review store each keeps. A module knows
 * one API: its routes, auth check, paging, error bodies and the way a review is written in its
 * format. The server (`server.ts`) knows none of that: it routes, delays, injects faults and logs.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ReviewkitError } from '../src/errors.js';
import type { Random } from './random.js';
import type { SandboxFault, SandboxReview, SandboxSource } from './types.js';

/** A request as a module sees it. */
export interface ModuleRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The request body as text (empty for GET). */
  body: string;
  /** Wall-clock milliseconds at arrival: only for headers naming a real instant (rate-limit resets), never for data. */
  receivedAt: number;
}

/** A module's answer: an object body is sent as JSON, a string as given (with its `content-type`). */
export interface ModuleResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** What a module gets from the sandbox. */
export interface ModuleContext {
  /** This module's own seeded stream (generation, then ids of added reviews). */
  random: Random;
  /** The instant the generated data is relative to. */
  anchor: Date;
  /** The sandbox clock: the anchor, moved on by every change made without a date. */
  now(): Date;
  /** How many reviews to generate (the module's default when undefined). */
  count: number | undefined;
  /** Replies a day the source's reply API accepts before its quota answer (the module's default when absent). */
  replyQuota?: number;
}

/** What an injected failure may use. */
export interface FaultContext {
  /** Seeded stream of this one failure (which variant, which code). */
  random: Random;
  /** The wait a rate-limit answer asks for, in seconds. */
  retryAfterSeconds: number;
  /** Wall-clock milliseconds, only for headers that name a real instant (X's `x-rate-limit-reset`). */
  wallClockMs: number;
}

/** A new review with every field decided (by the caller or the seeded defaults). */
export interface ResolvedNewReview {
  stars: number;
  text: string;
  title: string | null;
  createdAt: Date;
  authorName: string;
  language: string;
  recommendation: 'positive' | 'negative' | null;
}

/** An edit with its time decided. */
export interface ResolvedEdit {
  text?: string;
  stars?: number;
  title?: string;
  updatedAt: Date;
}

/** One sandboxed endpoint. */
export interface SourceModule {
  readonly key: SandboxSource;
  /** `Review.source` of the adapter reading it. */
  readonly source: string;
  /** Whether the path belongs to this API. */
  claims(request: ModuleRequest): boolean;
  /**
   * Methods the API answers on its paths (default `GET`; others get a 405). Write endpoints add
   * theirs, for every path or (a function) for the path of the request.
   */
  readonly methods?: readonly string[] | ((request: ModuleRequest) => readonly string[]);
  /** The API's real answer (auth check, validation, paging). */
  handle(request: ModuleRequest): ModuleResponse;
  /** A failure in the API's own format. */
  fault(kind: SandboxFault, request: ModuleRequest, context: FaultContext): ModuleResponse;
  /** Every review held, in the API's own order. */
  reviews(): SandboxReview[];
  add(input: ResolvedNewReview): SandboxReview;
  edit(externalId: string, edit: ResolvedEdit): SandboxReview;
  setReply(externalId: string, reply: { text: string; createdAt: Date } | null): SandboxReview;
}

/** An owner reply as stored. */
export interface StoredReply {
  id: string;
  text: string;
  createdAt: Date;
  author: string | null;
}

/** The fields every stored review has; modules extend it with their own. */
export interface StoredReview {
  externalId: string;
  author: string | null;
  stars: number | null;
  recommendation: 'positive' | 'negative' | null;
  title: string | null;
  text: string | null;
  language: string;
  createdAt: Date;
  updatedAt: Date | null;
  replies: StoredReply[];
  helpfulVotes: number | null;
}

/**
 * A source's reviews with their replies: the one state a module keeps, so writes (replies, edits,
 * new reviews) are a change to the store, and every answer is read from it.
 */
export class ReviewStore<R extends StoredReview> {
  readonly #items: R[] = [];
  readonly #byId = new Map<string, R>();
  readonly #sorted = new Map<string, { version: number; items: R[] }>();
  #version = 0;

  constructor(
    readonly key: SandboxSource,
    items: readonly R[] = [],
  ) {
    for (const item of items) this.add(item);
  }

  /** Every review, in the order added. */
  all(): readonly R[] {
    return this.#items;
  }

  get size(): number {
    return this.#items.length;
  }

  get(externalId: string): R | undefined {
    return this.#byId.get(externalId);
  }

  /** The review, or a `CONFIG` error naming the source and the id. */
  require(externalId: string): R {
    const review = this.#byId.get(externalId);
    if (review === undefined) {
      throw new ReviewkitError({ code: 'CONFIG', source: 'sandbox', message: `sandbox: ${this.key} holds no review ${JSON.stringify(externalId)}.` });
    }
    return review;
  }

  add(review: R): void {
    if (this.#byId.has(review.externalId)) throw new RangeError(`sandbox: duplicate ${this.key} review id ${review.externalId}`);
    this.#items.push(review);
    this.#byId.set(review.externalId, review);
    this.changed();
  }

  /** Marks the store changed after a review was edited in place (sorted views are rebuilt). */
  changed(): void {
    this.#version++;
  }

  /** The reviews sorted by `compare`, cached under `name` until the store changes. */
  sorted(name: string, compare: (a: R, b: R) => number): readonly R[] {
    const cached = this.#sorted.get(name);
    if (cached && cached.version === this.#version) return cached.items;
    const items = [...this.#items].sort(compare);
    this.#sorted.set(name, { version: this.#version, items });
    return items;
  }
}

/** Newest `createdAt` first, ties by id (a stable, seed-independent order). */
export function newestFirst<R extends StoredReview>(a: R, b: R): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0);
}

/** The time a review last changed: its edit, else its creation. */
export const lastChange = (review: StoredReview): Date => review.updatedAt ?? review.createdAt;

/** A stored review as the public {@link SandboxReview}. */
export function viewOf(key: SandboxSource, review: StoredReview, isListed: boolean): SandboxReview {
  return {
    source: key,
    externalId: review.externalId,
    author: review.author,
    stars: review.stars,
    recommendation: review.recommendation,
    title: review.title,
    text: review.text,
    language: review.language,
    createdAt: new Date(review.createdAt),
    updatedAt: review.updatedAt && new Date(review.updatedAt),
    replies: review.replies.map((reply) => ({ text: reply.text, createdAt: new Date(reply.createdAt), author: reply.author })),
    helpfulVotes: review.helpfulVotes,
    isListed,
  };
}

/** A `CONFIG` error for a change a source cannot show. */
export function unsupported(key: SandboxSource, what: string): ReviewkitError {
  return new ReviewkitError({ code: 'CONFIG', source: 'sandbox', message: `sandbox: ${key} ${what}.` });
}

/** The bearer token of a request, if it sent one. */
export function bearerOf(request: ModuleRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return match?.[1];
}

/** A header's value as one string. */
export function headerOf(request: ModuleRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A JSON answer. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): ModuleResponse => ({
  status,
  body,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
});

/** An HTML answer. */
export const html = (status: number, body: string, headers: Record<string, string> = {}): ModuleResponse => ({
  status,
  body,
  headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
});

/** A whole number from a query parameter, or undefined when absent; NaN when not a whole number. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  return /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
}

/** Opaque page tokens that carry an offset: `prefix` + base64url of `label:offset`. */
export function offsetToken(prefix: string, label: string, offset: number): string {
  return prefix + Buffer.from(`${label}:${offset}`).toString('base64url');
}

/** The offset in a token from {@link offsetToken}, or null when it is not one. */
export function readOffsetToken(prefix: string, label: string, token: string): number | null {
  if (!token.startsWith(prefix)) return null;
  const text = Buffer.from(token.slice(prefix.length), 'base64url').toString('utf8');
  const match = new RegExp(`^${label}:(\\d+)$`).exec(text);
  return match ? Number(match[1]) : null;
}
