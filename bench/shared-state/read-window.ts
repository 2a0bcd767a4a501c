import { setTimeout as sleep } from 'node:timers/promises';
import { INTERVAL_S } from './parameters';
import type { ReadsByUser } from './reads-by-user';

/** The reads of a window of time. */
export interface Window {
  /** reads by user */
  byUser: Map<string, number>;
  /** per call: reads, the users that read it, the last read, the shortest gap between two */
  perCall: Map<string, { reads: number; users: Set<string>; last: number; minGap: number }>;
  seconds: number;
}

/** Counts the reads of the next `ms`. */
export async function readWindow(reads: ReadsByUser, ms: number): Promise<Window> {
  const window: Window = { byUser: new Map(), perCall: new Map(), seconds: 0 };
  const start = performance.now();
  const stop = reads.listen((user, callId, at) => {
    window.byUser.set(user, (window.byUser.get(user) ?? 0) + 1);
    const call = window.perCall.get(callId);
    if (!call) {
      window.perCall.set(callId, { reads: 1, users: new Set([user]), last: at, minGap: Infinity });
      return;
    }
    call.reads += 1;
    call.users.add(user);
    call.minGap = Math.min(call.minGap, at - call.last);
    call.last = at;
  });
  await sleep(ms);
  stop();
  window.seconds = (performance.now() - start) / 1000;
  return window;
}

/** Calls read twice within half an interval: more than one read per call per interval. */
export function readTwice(window: Window): number {
  let count = 0;
  for (const call of window.perCall.values()) if (call.minGap < (INTERVAL_S * 1000) / 2) count += 1;
  return count;
}
