import { checkQuery, closedError } from './records.js';
import { reviewsOf, StoreState } from './state.js';
import type { ReviewStore } from './types.js';

/**
 * A {@link ReviewStore} in memory: for tests and short-lived scripts (nothing survives the
 * process). Reviews are kept as private JSON copies, so mutating a review you passed in or got
 * back never changes what is stored.
 *
 * @example
 * const store = memoryStore();
 * const first = await sync(adapters, { store });
 */
export function memoryStore(): ReviewStore {
  const state = new StoreState('memoryStore');
  let isClosed = false;
  const open = (): StoreState => {
    if (isClosed) throw closedError('memoryStore');
    return state;
  };
  return {
    async get(id) {
      return open().get(id);
    },
    list(query) {
      const checked = checkQuery(query);
      return {
        [Symbol.asyncIterator]: () => reviewsOf(open().select(checked), 'memoryStore'),
      };
    },
    async count(query) {
      return open().count(query);
    },
    async upsert(reviews, options = {}) {
      const { change, result } = open().planUpsert(reviews, options, new Date());
      state.apply(change);
      return result;
    },
    async resumePoint(key) {
      const point = open().resume.get(key);
      return point && { ...point };
    },
    async setResumePoint(key, value) {
      state.apply(open().planResume(key, value));
    },
    async needsReply({ createdBefore }) {
      return open().needsReply(createdBefore);
    },
    async markNeedsReply(ids, options = {}) {
      const { change, marked } = open().planMarks(ids, options.notify ?? [], new Date());
      state.apply(change);
      return marked;
    },
    async pendingDeliveries(sinks) {
      return open().pending(sinks);
    },
    async settleDelivery(id, outcome) {
      state.apply(open().planSettle(id, outcome));
    },
    async close() {
      isClosed = true;
    },
  };
}
