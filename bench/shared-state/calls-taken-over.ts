/**
 * A killed after the last round: the time from the kill until B has read each of A's calls again
 * (B takes A's items over once their leases end).
 */
import type { NodeRedProcess } from '../../test/support/node-red-process';
import { percentile } from '../support/stats';
import { FOLLOW_LEASE_S, USER_B } from './parameters';
import type { ReadsByUser } from './reads-by-user';

export async function callsTakenOver(reads: ReadsByUser, a: NodeRedProcess, ofA: string[]) {
  const firstByB = new Map<string, number>();
  const aCalls = new Set(ofA);
  let allBack: () => void = () => undefined;
  const back = new Promise<void>((resolve) => (allBack = resolve));
  const stop = reads.listen((user, callId, at) => {
    if (user !== USER_B || !aCalls.has(callId) || firstByB.has(callId)) return;
    firstByB.set(callId, at);
    if (firstByB.size === aCalls.size) allBack();
  });
  const killedAt = performance.now();
  await a.kill();
  const timeout = setTimeout(allBack, FOLLOW_LEASE_S * 1000 * 6);
  await back;
  clearTimeout(timeout);
  stop();
  const backAfter = [...firstByB.values()].map((at) => at - killedAt);
  return {
    calls: aCalls.size,
    readAgain: firstByB.size,
    first: Math.min(...backAfter),
    p50: percentile(backAfter, 0.5),
    p90: percentile(backAfter, 0.9),
    max: Math.max(...backAfter),
  };
}

export type CallsTakenOver = Awaited<ReturnType<typeof callsTakenOver>>;
