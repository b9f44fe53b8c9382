// Shared by the tests that promise a quiet process: what `process.on('warning')` saw while a
// piece of work ran (warnings are emitted on the next tick, so one more tick is awaited).

/** Runs `work` and returns its result with the messages of every process warning emitted meanwhile. */
export async function withProcessWarnings<T>(work: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    const result = await work();
    await new Promise((resolve) => setImmediate(resolve));
    return { result, warnings };
  } finally {
    process.off('warning', onWarning);
  }
}
