import type { CallLog } from '../xassist/types';
import { isoDate } from './message-dates';

/** Field names that servers spell two ways: each pair is given both spellings. */
const SPELLINGS: Array<[string, string]> = [
  ['anonymousJoinAllow', 'anonymousJoinAllowed'],
  ['title', 'callTitle'],
];

/** A call log's own dates: ISO texts or epoch milliseconds, as the server writes them. */
const DATES = ['callStart', 'callEnd', 'plannedDateTime'] as const;

/**
 * A CallLog with both spellings of known fields set, and beside each date the server gave
 * (`callStart`, …) the same instant as ISO text (`callStartIso`, null when it is no date);
 * every other field kept as it came. A flow reads the ISO forms and works the same against a
 * server that sends epoch numbers; a flow that reads the server's own values sees them unchanged.
 */
export function normaliseCallLog(log: CallLog): CallLog {
  const normalised: Record<string, unknown> = { ...log };
  for (const [one, other] of SPELLINGS) {
    const value = normalised[one] ?? normalised[other];
    if (value !== undefined) {
      normalised[one] = value;
      normalised[other] = value;
    }
  }
  for (const field of DATES) {
    if (normalised[field] !== undefined) normalised[`${field}Iso`] = isoDate(normalised[field]);
  }
  return normalised as CallLog;
}
