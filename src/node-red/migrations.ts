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

/**
 * xassist-create-call. Version 0 (0.1 previews, and flows written by hand) gave `invitees` as
 * text ("expert1, expert2@example.com") or a list of texts; version 1 keeps a typedInput per
 * invitee.
 */
export const CREATE_CALL_MIGRATIONS: readonly Migration[] = [
  (config) => {
    const invitees = config.invitees;
    const names =
      typeof invitees === 'string'
        ? invitees.split(',')
        : Array.isArray(invitees)
          ? invitees.filter((entry): entry is string => typeof entry === 'string')
          : undefined;
    if (!names) return config;
    const kept = Array.isArray(invitees)
      ? invitees.filter((entry) => typeof entry !== 'string')
      : [];
    const converted = names
      .map((name) => name.trim())
      .filter(Boolean)
      .map((v) => ({ v, vt: 'str' }));
    return { ...config, invitees: [...converted, ...kept] };
  },
];
