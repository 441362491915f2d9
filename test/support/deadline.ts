/** Deadlines for waits in tests: a broken server fails the test instead of hanging it. */

/**
 * Waits for `promise`, failing with `no <what> within <ms> ms` after `ms`.
 * The timer is cleared whichever way the race ends, so it never outlives the wait.
 *
 * @param promise what to wait for
 * @param ms how long to wait before failing
 * @param what what is awaited, for the failure message
 * @returns what `promise` resolves with
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
