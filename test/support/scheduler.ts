import type fc from 'fast-check';

/**
 * Releases every scheduled task, also those scheduled a few promise hops after another was
 * released (waitAll alone can return before they are).
 */
export async function releaseAll(s: fc.Scheduler): Promise<void> {
  do {
    await s.waitAll();
    await new Promise((resolve) => setImmediate(resolve));
  } while (s.count() > 0);
}
