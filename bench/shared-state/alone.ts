/** One instance alone, without Redis, following every call: what the pair is held against. */
import { newInstance, pidOf } from '../support/instance';
import type { Bench } from './context';
import { followFlow } from './flows';
import { measureFollowing } from './following';
import { USER_A } from './parameters';
import { readTwice } from './read-window';

export async function alone(bench: Bench, callIds: string[]) {
  const flows = followFlow(bench.sim.tenantUrl);
  const s = await newInstance(bench.started, bench.snapshot, { flows, user: USER_A });
  await s.start();
  const { unread, window, usage } = await measureFollowing(
    bench,
    [{ nodeRed: s, user: USER_A, callIds }],
    [pidOf(s)],
  );
  await s.kill();
  return {
    reads: window.byUser.get(USER_A) ?? 0,
    seconds: window.seconds,
    cpuPercent: usage.cpuPercent[0],
    rssMb: usage.rssMb[0],
    unread,
    readTwice: readTwice(window),
  };
}

export type AloneRound = Awaited<ReturnType<typeof alone>>;
