import { serverDate } from './dates';
import type { CallLog } from './types';

/**
 * Calls newest first, by database id, else by start: a copy. A server need not honour the
 * order asked for (Spring pages have none unless told), so pages are sorted here as well.
 */
export function newestFirst(calls: CallLog[]): CallLog[] {
  const rank = (call: CallLog) =>
    typeof call.id === 'number' ? call.id : (serverDate(call.callStart) ?? -Infinity);
  return [...calls].sort((a, b) => rank(b) - rank(a));
}
