/**
 * A bounded async queue: producers wait while it is full, so a slow consumer of
 * `streamReviews` holds the sources back instead of buffering everything.
 */
export interface Channel<T> extends AsyncIterable<T> {
  /** Queues `value`; returns a promise to await only when the queue is full (else undefined, no allocation). */
  push(value: T): Promise<void> | undefined;
  close(): void;
  fail(error: unknown): void;
}

export function createChannel<T>(highWaterMark: number): Channel<T> {
  const buffer: T[] = [];
  let head = 0;
  let closed = false;
  let failure: { error: unknown } | null = null;
  let wakeConsumer: (() => void) | null = null;
  const waitingProducers: Array<() => void> = [];
  const size = () => buffer.length - head;

  const notify = () => {
    wakeConsumer?.();
    wakeConsumer = null;
  };
  const waitForRoom = async (value: T): Promise<void> => {
    while (size() >= highWaterMark && !closed) {
      await new Promise<void>((resolve) => waitingProducers.push(resolve));
    }
    if (closed) return;
    buffer.push(value);
    notify();
  };

  return {
    push(value) {
      if (closed) return undefined;
      if (size() >= highWaterMark) return waitForRoom(value);
      buffer.push(value);
      notify();
      return undefined;
    },
    close() {
      closed = true;
      notify();
      for (const resume of waitingProducers.splice(0)) resume();
    },
    fail(error) {
      failure = { error };
      this.close();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (size() > 0) {
          const value = buffer[head] as T;
          buffer[head++] = undefined as T;
          // Compact now and then instead of shift()ing on every value.
          if (head >= 1024 && head * 2 >= buffer.length) {
            buffer.splice(0, head);
            head = 0;
          }
          waitingProducers.shift()?.();
          yield value;
          continue;
        }
        if (failure) throw failure.error;
        if (closed) return;
        await new Promise<void>((resolve) => {
          wakeConsumer = resolve;
        });
      }
    },
  };
}
