/**
 * `work`, unless the event loop runs dry while it is pending: then nothing is left that could
 * settle it (a stream ended without its reader being told), and it rejects with `error()`. Node
 * would otherwise exit 13 without a word, as for an unsettled top-level await.
 */
export function failOnStall<T>(work: Promise<T>, error: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stalled = (): void => {
      process.off('beforeExit', stalled);
      reject(error());
    };
    process.on('beforeExit', stalled);
    work.then(
      (value) => {
        process.off('beforeExit', stalled);
        resolve(value);
      },
      (err: unknown) => {
        process.off('beforeExit', stalled);
        reject(err);
      },
    );
  });
}
