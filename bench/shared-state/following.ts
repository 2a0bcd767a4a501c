/** What the followed-calls scenarios share: posting the calls, adding events, one measured window. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Simulator } from '../../src/sim';
import type { NodeRedProcess } from '../../test/support/node-red-process';
import { processMeter } from '../support/process-usage';
import { post } from '../support/instance';
import type { Bench } from './context';
import { EVENTS_PER_SECOND, INTERVAL_S, WINDOW_MS } from './parameters';
import { readWindow } from './read-window';
import type { ReadsByUser } from './reads-by-user';
import { redisCounters, redisDelta } from './redis-counters';

/** The calls an instance is to follow, and the xAssist user it reads them as. */
export interface Assignment {
  nodeRed: NodeRedProcess;
  user: string;
  callIds: string[];
}

/**
 * Posts each instance its calls; once each was read, adds events to them and waits for the
 * interval's grid (the first reads come at once, the grid takes over after one interval); then
 * measures one window: the reads, CPU and RSS of `pids` (from /proc), what Redis did, and how
 * many calls were never read by the instance they were posted to.
 */
export async function measureFollowing(
  { sim, reads, redis }: Bench,
  assignments: Assignment[],
  pids: number[],
) {
  const unread = await followAll(reads, assignments);
  const stopEvents = addEvents(
    sim,
    assignments.flatMap(({ callIds }) => callIds),
  );
  await sleep(INTERVAL_S * 1000 * 1.2);
  const redisBefore = await redisCounters(redis);
  const meter = processMeter(pids);
  const window = await readWindow(reads, WINDOW_MS);
  const usage = meter.end();
  const redisAfter = await redisCounters(redis);
  stopEvents();
  return { unread, window, usage, redis: redisDelta(redisBefore, redisAfter) };
}

/**
 * Posts the call ids in batches, and resolves once each has been read by the instance it was
 * posted to (or after a minute), with how many were not.
 */
async function followAll(reads: ReadsByUser, assignments: Assignment[]): Promise<number> {
  const unread = new Map<string, string>();
  for (const { user, callIds } of assignments) for (const id of callIds) unread.set(id, user);
  let done: () => void = () => undefined;
  const allRead = new Promise<void>((resolve) => (done = resolve));
  const stop = reads.listen((user, callId) => {
    if (unread.get(callId) === user) unread.delete(callId);
    if (unread.size === 0) done();
  });
  await Promise.all(
    assignments.map(async ({ nodeRed, callIds }) => {
      for (let i = 0; i < callIds.length; i += 500)
        await post(nodeRed, 'follow', { callIds: callIds.slice(i, i + 500) });
    }),
  );
  const timeout = setTimeout(done, 60_000);
  await allRead;
  clearTimeout(timeout);
  stop();
  return unread.size;
}

/** An event added to a random call EVENTS_PER_SECOND (state changes: writes); returns a stop. */
function addEvents(sim: Simulator, callIds: string[]): () => void {
  const adder = setInterval(() => {
    sim.calls.addEvent(callIds[Math.floor(Math.random() * callIds.length)], 'Custom');
  }, 1000 / EVENTS_PER_SECOND);
  return () => clearInterval(adder);
}
