/**
 * Saved flows carry each node's settings as they were when it was last deployed. Every node
 * type keeps a `version` in its settings and a list of steps, each turning the settings of one
 * version into the next, so that a flow saved by an earlier release keeps working.
 */
export type Migration = (config: Record<string, unknown>) => Record<string, unknown>;

/** Applies the steps from the config's version (0 when it has none) up to the latest. */
export function migrate<T extends object>(config: T, steps: readonly Migration[]): T {
  let migrated = { ...config } as Record<string, unknown>;
  const from = typeof migrated.version === 'number' ? migrated.version : 0;
  for (let version = from; version < steps.length; version++) {
    migrated = { ...steps[version](migrated), version: version + 1 };
  }
  return migrated as T;
}
