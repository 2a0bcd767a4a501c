import type { Migration } from '../../node-red/migrations';

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
