// What the reply tests share: reading a source from the sandbox, finding a review in it, and the
// writes the sandbox logged.
import { expect } from 'vitest';
import type { Sandbox, SandboxRequest, SandboxSource } from '../../sandbox/index.js';
import { aggregate, type Review } from '../../src/index.js';

/** Every review the source's adapter fetches now (one try per request: a failure is a failure). */
export async function fetchAll(sandbox: Sandbox, source: SandboxSource): Promise<Review[]> {
  const { reviews, sources } = await aggregate(sandbox.adapters([source]), { retry: { attempts: 1 } });
  expect(sources[0]?.status, `${source}: ${sources[0]?.error?.message ?? ''}`).toBe('ok');
  return reviews;
}

/** One review as the next fetch shows it. */
export async function fetchReview(sandbox: Sandbox, source: SandboxSource, externalId: string): Promise<Review> {
  const review = (await fetchAll(sandbox, source)).find((r) => r.externalId === externalId);
  if (review === undefined) throw new Error(`${source} shows no review ${externalId}`);
  return review;
}

/** Fetched reviews without any reply (public or held by moderation), and with a public one. */
export async function reviewsOf(sandbox: Sandbox, source: SandboxSource): Promise<{ unanswered: Review[]; answered: Review[] }> {
  const reviews = await fetchAll(sandbox, source);
  const isHeld = (review: Review) => review.extra.reply !== undefined || review.extra.response !== undefined;
  return { unanswered: reviews.filter((r) => r.replies.length === 0 && !isHeld(r)), answered: reviews.filter((r) => r.replies.length > 0) };
}

/** The first of a list, which the test needs to exist. */
export function first<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}

/** `METHOD path` of every request the sandbox logged since it was last cleared, but the reads of whole listings. */
export function writesAndLookups(sandbox: Sandbox): string[] {
  return sandbox.requests.filter((r: SandboxRequest) => !isListing(r)).map((r) => `${r.method} ${r.path}`);
}

function isListing(request: SandboxRequest): boolean {
  return request.method === 'GET' && /\/(reviews|customerReviews|business-units\/[^/]+)$/.test(request.path);
}
