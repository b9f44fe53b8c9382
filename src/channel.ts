/**
 * A bounded async queue: producers wait while it is full, so a slow consumer of
 * `streamReviews` holds the sources back instead of buffering everything.
 */
export interface Channel<T> extends AsyncIterable<T> {
  push(value: T): Promise<void>;
  close(): void;
  fail(error: unknown): void;
}

export function createChannel<T>(highWaterMark: number): Channel<T> {
  const buffer: T[] = [];
  let closed = false;
  let failure: { error: unknown } | null = null;
  let wakeConsumer: (() => void) | null = null;
  const waitingProducers: Array<() => void> = [];

  const notify = () => {
    wakeConsumer?.();
    wakeConsumer = null;
  };

  return {
    async push(value) {
      while (buffer.length >= highWaterMark && !closed) {
        await new Promise<void>((resolve) => waitingProducers.push(resolve));
      }
      if (closed) return;
      buffer.push(value);
      notify();
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
        if (buffer.length > 0) {
          const value = buffer.shift() as T;
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
