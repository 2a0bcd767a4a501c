import fc from 'fast-check';

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

/**
 * Checks `property` in 1000 runs, each with fast-check's scheduler `s` and 1 to 25 commands
 * drawn from `commands`, which the property schedules in an order `s` picks.
 */
export async function everyInterleaving<Command>(
  commands: fc.Arbitrary<Command>,
  property: (s: fc.Scheduler, commands: Command[]) => Promise<void>,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), fc.array(commands, { minLength: 1, maxLength: 25 }), property),
    { numRuns: 1000 },
  );
}
