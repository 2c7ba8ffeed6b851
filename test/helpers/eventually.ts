/**
 * Retries an assertion until it passes or `timeoutMs` runs out (then throws its last error).
 * Frames arrive asynchronously; a fixed sleep is either slow or flaky on a loaded machine. The limit
 * only catches what never happens: it is generous, since a condition that holds returns at once.
 */
export async function eventually(assertion: () => void, timeoutMs = 30_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
