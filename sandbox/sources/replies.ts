/**
 * What the sandboxed reply APIs share: reading a JSON body, the sandbox's deterministic
 * moderation rules, and keeping replies that moderation has not let through out of the public
 * view (`Sandbox.reviews()`), as the source keeps them off its pages.
 */
import { SANDBOX_ZONE, wallTime } from '../dates.js';
import type { ModuleRequest, ReviewStore, SourceModule, StoredReview } from '../module.js';
import type { SandboxReview } from '../types.js';

/** A request body parsed as JSON, or `undefined` when it is not JSON. */
export function jsonBody(request: ModuleRequest): unknown {
  try {
    return JSON.parse(request.body) as unknown;
  } catch {
    return undefined;
  }
}

/** An object's own field, or `undefined` (for reading request bodies of any shape). */
export function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * The sandbox's moderation rule, the same on every source that moderates (Business Profile, App
 * Store Connect): a reply with a link is held for review, and stays held (until replaced).
 */
export const isHeldForReview = (text: string): boolean => /https?:\/\/|\bwww\./i.test(text);

/**
 * The sandbox's rejection rule for Business Profile: a reply that offers a promo, coupon or
 * discount code breaks the advertising and solicitation policy.
 */
export const isSolicitation = (text: string): boolean => /\b(promo|coupon|discount)\s+code\b/i.test(text);

/** The day a Pacific-time quota counts in (`2026-06-01`): Google's daily quotas end at midnight Pacific time. */
export function pacificDay(date: Date): string {
  const { year, month, day } = wallTime(date, SANDBOX_ZONE);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

type StoreView = Pick<SourceModule, 'reviews' | 'add' | 'edit' | 'setReply'>;

/**
 * The review-store methods with each review's reply left out of the view while `isPublic` says
 * it is not public (pending or rejected by moderation): the view is what the source's readers see.
 */
export function publicRepliesOnly<R extends StoredReview>(methods: StoreView, store: ReviewStore<R>, isPublic: (review: R) => boolean): StoreView {
  const shown = (view: SandboxReview): SandboxReview => {
    const review = store.get(view.externalId);
    return review !== undefined && !isPublic(review) ? { ...view, replies: [] } : view;
  };
  return {
    reviews: () => methods.reviews().map(shown),
    add: (input) => shown(methods.add(input)),
    edit: (externalId, edit) => shown(methods.edit(externalId, edit)),
    setReply: (externalId, reply) => shown(methods.setReply(externalId, reply)),
  };
}
