import { serverDate } from '../xassist/dates';

/**
 * A date as every message gives it: an ISO text in UTC (`2026-12-01T08:00:00.000Z`), whatever
 * form it came in (an ISO text, epoch milliseconds, a text of them, a Date), or null when it is
 * none. One form, so that a flow written against one server works against another.
 */
export function isoDate(value: unknown): string | null {
  const ms = serverDate(value);
  return ms === undefined ? null : new Date(ms).toISOString();
}
