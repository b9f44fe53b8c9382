/**
 * The last `capacity` ids seen, for dedupe in constant memory: membership is a Set lookup, and
 * the oldest id leaves once the window is full.
 */
export interface RecentIds {
  /** Adds `id`; false when it is already in the window. */
  add(id: string): boolean;
}

/** A bounded window of recent ids. */
export function recentIds(capacity: number): RecentIds {
  const members = new Set<string>();
  const ring: string[] = new Array<string>(capacity);
  let next = 0;
  return {
    add(id) {
      if (members.has(id)) return false;
      if (members.size >= capacity) members.delete(ring[next] as string);
      ring[next] = id;
      next = (next + 1) % capacity;
      members.add(id);
      return true;
    },
  };
}

/** Every id seen: exact dedupe for runs that hold every review anyway. */
export function allIds(): RecentIds {
  const members = new Set<string>();
  return {
    add(id) {
      if (members.has(id)) return false;
      members.add(id);
      return true;
    },
  };
}
