// What `reply` knows before sending anything: which of the config's adapters owns the review,
// whether it can answer at all, and whether the text keeps the source's rules. The same checks,
// in the same order, as the library's `reply()` makes before its first request.
import { type Adapter, checkReplyText, type Review, type ReplyRules } from 'reviewkit';

/** The outcome of {@link checkReply}. */
export interface ReplyCheck {
  /** `ready`: `reply()` would send it. Otherwise what `reply()` would answer without a request. */
  status: 'ready' | 'rejected' | 'unsupported';
  /** Why not, for `rejected` and `unsupported`. */
  reason?: string;
  /** The owning adapter's name, or null when no adapter owns the review. */
  adapter: string | null;
  /** The source's rules for reply text (empty when it declares none). */
  rules: ReplyRules;
  /** Why the text breaks the rules, or null when it keeps them (checked even when the source cannot answer). */
  textProblem: string | null;
}

/** The adapter that owns `review` (the one `reply()` would use), if any. */
export function owningAdapter(review: Review, adapters: readonly Adapter[]): Adapter | undefined {
  return adapters.find((adapter) => (adapter.owns ? adapter.owns(review) : adapter.name === review.source && adapter.subjectId === review.subject.id));
}

/** Whether `text` could be sent in reply to `review` with `adapters`, and why not. */
export function checkReply(review: Review, text: string, adapters: readonly Adapter[]): ReplyCheck {
  const adapter = owningAdapter(review, adapters);
  const rules = adapter?.replies?.rules ?? {};
  const textProblem = checkReplyText(text, rules);
  const base = { adapter: adapter?.name ?? null, rules, textProblem };
  const unsupported = whyUnsupported(review, adapter);
  if (unsupported !== null) return { status: 'unsupported', reason: unsupported, ...base };
  if (textProblem !== null) return { status: 'rejected', reason: `${adapter?.name}: ${textProblem}`, ...base };
  return { status: 'ready', ...base };
}

function whyUnsupported(review: Review, adapter: Adapter | undefined): string | null {
  if (!adapter) {
    return `no source of the config owns this review (source ${review.source}, subject ${review.subject.id}): add the source it was read with, with its credentials.`;
  }
  const replies = adapter.replies;
  if (!replies) return `${adapter.name}: this adapter cannot answer reviews.`;
  if (!replies.post) return `${adapter.name}: ${replies.unsupported ?? 'reviewkit cannot answer these reviews.'}`;
  return null;
}
