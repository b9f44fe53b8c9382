// What the reply tests share: a review as its adapter fetches it from the sandbox, the requests a
// step sent, and every credential the sandbox hands out (none may show in a result, error or log).
import { expect } from 'vitest';
import { aggregate, type Review } from '../../src/index.js';
import { SANDBOX_SOURCES, type Sandbox, type SandboxReview, type SandboxSource } from '../../testing/index.js';

/** Everything the source's adapter fetches now (one try per request: the sandbox is not failing). */
export async function fetchAll(sandbox: Sandbox, source: SandboxSource): Promise<Review[]> {
  const { reviews, sources } = await aggregate(sandbox.adapters([source]), { retry: { attempts: 1 } });
  expect(sources[0]?.status, source).toBe('ok');
  return reviews;
}

/** One review as the source's adapter fetches it now. */
export async function fetched(sandbox: Sandbox, source: SandboxSource, externalId: string): Promise<Review> {
  const review = (await fetchAll(sandbox, source)).find((r) => r.externalId === externalId);
  if (review === undefined) throw new Error(`${source} does not list ${externalId}`);
  return review;
}

/** One review as the sandbox holds it. */
export function held(sandbox: Sandbox, source: SandboxSource, externalId: string): SandboxReview {
  const review = sandbox.reviews(source).find((r) => r.externalId === externalId);
  if (review === undefined) throw new Error(`${source} holds no ${externalId}`);
  return review;
}

/** The requests logged since the last `clearRequests()`, as `[method, path, status, fault]`. */
export const logged = (sandbox: Sandbox): [string, string, number, string | null][] =>
  sandbox.requests.map((r) => [r.method, r.path, r.status, r.fault]);

/** Every credential in the options of the sandbox's adapters. */
export function credentials(sandbox: Sandbox, extra: readonly string[] = []): string[] {
  const values: string[] = [...extra];
  for (const source of SANDBOX_SOURCES) {
    for (const [name, value] of Object.entries(sandbox.adapterOptions(source))) {
      if (typeof value === 'string' && /token|key|secret/i.test(name)) values.push(value);
    }
  }
  return values;
}

/** A settled promise's value or its error, for checks on either. */
export const settle = <T>(promise: Promise<T>): Promise<T | unknown> => promise.catch((error: unknown) => error);
