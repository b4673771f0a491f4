/**
 * Runs an async reload at most once at a time: calls while it runs are folded into one more run
 * after it. The inbox reloads its queue on every queue nudge; when 500 conversations are handed
 * over in a burst, each agent's page would otherwise ask for the whole queue 500 times at once.
 *
 * @example
 * ```ts
 * const reload = oneAtATime(() => api.list().then(show));
 * for (const nudge of nudges) void reload(); // one request, then one more with the latest state
 * ```
 */
export function oneAtATime(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again: Promise<void> | undefined;
  const start = (): Promise<void> => {
    running = run().finally(() => {
      running = undefined;
    });
    return running;
  };
  return () => {
    if (!running) return start();
    // Whatever changed since the running call began is read by exactly one call after it.
    again ??= running.catch(() => undefined).then(() => {
      again = undefined;
      return start();
    });
    return again;
  };
}
