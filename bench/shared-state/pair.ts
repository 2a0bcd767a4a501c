/**
 * Two instances, the call ids posted to them alternately: on one Redis (`shared`), or each alone
 * without Redis (the control: the cost of splitting the work in two, without Redis's). With
 * `thenKill`, A is killed after the window, and the time until B reads each of A's calls again
 * measured.
 */
import { connectedToRedis, newInstance, pidOf } from '../support/instance';
import { callsTakenOver } from './calls-taken-over';
import type { Bench } from './context';
import { followFlow } from './flows';
import { measureFollowing } from './following';
import { USER_A, USER_B } from './parameters';
import { readTwice, type Window } from './read-window';
import { redisPid } from './redis-counters';

export async function pair(
  bench: Bench,
  callIds: string[],
  { shared, thenKill }: { shared: boolean; thenKill: boolean },
) {
  const { started, snapshot, sim, reads, redis, redisUrl } = bench;
  const redisServerPid = await redisPid(redis);
  await redis.flushall();
  const flows = followFlow(sim.tenantUrl, shared ? redisUrl : undefined);
  const a = await newInstance(started, snapshot, { flows, user: USER_A });
  const b = await newInstance(started, snapshot, { flows, user: USER_B });
  await Promise.all([a.start(), b.start()]);
  if (shared) await Promise.all([connectedToRedis(a), connectedToRedis(b)]);
  const ofA = callIds.filter((_, i) => i % 2 === 0);
  const ofB = callIds.filter((_, i) => i % 2 === 1);
  const measured = await measureFollowing(
    bench,
    [
      { nodeRed: a, user: USER_A, callIds: ofA },
      { nodeRed: b, user: USER_B, callIds: ofB },
    ],
    [pidOf(a), pidOf(b), redisServerPid],
  );
  const takeover = shared && thenKill ? await callsTakenOver(reads, a, ofA) : undefined;
  await Promise.all([a.kill(), b.kill()]);
  const { window, usage } = measured;
  return {
    reads: [window.byUser.get(USER_A) ?? 0, window.byUser.get(USER_B) ?? 0],
    unattributed: window.byUser.get('?') ?? 0,
    unread: measured.unread,
    seconds: window.seconds,
    cpuPercent: usage.cpuPercent,
    rssMb: usage.rssMb,
    ...readsAcross(window, ofA, ofB),
    readTwice: readTwice(window),
    redis: measured.redis,
    takeover,
  };
}

export type PairRound = Awaited<ReturnType<typeof pair>>;

/** Calls of the window read by both instances, and those read by the one they were not posted to. */
function readsAcross(window: Window, ofA: string[], ofB: string[]) {
  let readByBoth = 0;
  let readByOther = 0;
  const owner = new Map<string, string>();
  for (const id of ofA) owner.set(id, USER_A);
  for (const id of ofB) owner.set(id, USER_B);
  for (const [callId, call] of window.perCall) {
    if (call.users.size > 1) readByBoth += 1;
    if (![...call.users].every((user) => user === owner.get(callId))) readByOther += 1;
  }
  return { readByBoth, readByOther };
}
