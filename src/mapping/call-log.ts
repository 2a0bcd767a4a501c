import type { CallLog } from '../xassist/types';

/** Field names that servers spell two ways: each pair is given both spellings. */
const SPELLINGS: Array<[string, string]> = [
  ['anonymousJoinAllow', 'anonymousJoinAllowed'],
  ['title', 'callTitle'],
];

/** A CallLog with both spellings of known fields set; every other field kept as it came. */
export function normaliseCallLog(log: CallLog): CallLog {
  const normalised: Record<string, unknown> = { ...log };
  for (const [one, other] of SPELLINGS) {
    const value = normalised[one] ?? normalised[other];
    if (value !== undefined) {
      normalised[one] = value;
      normalised[other] = value;
    }
  }
  return normalised as CallLog;
}
