/**
 * Takeover after kill -9: an escalation owned by instance A (the one that got its alarm); A is
 * killed in step 1; measured from the kill until instance B reads the step's call (B's first read
 * of it: the escalation is B's and followed on), and until B logs "taken over".
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Simulator } from '../../src/sim';
import type { NodeRedProcess } from '../../test/support/node-red-process';
import { percentile } from '../support/stats';
import { connectedToRedis, newInstance, post, untilOutput } from '../support/instance';
import type { Bench } from './context';
import { ESCALATIONS_KEY, escalateFlow } from './flows';
import { TAKEOVER_LEASE_S, TAKEOVER_RUNS, USER_A, USER_B } from './parameters';

export async function escalationTakeover(bench: Bench) {
  const flows = escalateFlow(bench.sim.tenantUrl, bench.redisUrl);
  const a = await newInstance(bench.started, bench.snapshot, { flows, user: USER_A });
  const b = await newInstance(bench.started, bench.snapshot, { flows, user: USER_B });
  await Promise.all([a.start(), b.start()]);
  await Promise.all([connectedToRedis(a), connectedToRedis(b)]);

  const runs: Run[] = [];
  for (let run = 0; run < TAKEOVER_RUNS; run++) {
    if (run > 0) {
      const from = a.output.length;
      await a.start();
      await connectedToRedis(a, from);
    }
    runs.push(await killOwner(bench, a, b, `line-${run}`));
  }
  await Promise.all([a.kill(), b.kill()]);
  const ms = (values: number[]) => ({
    p50: Math.round(percentile(values, 0.5)),
    p99: Math.round(percentile(values, 0.99)),
    max: Math.round(Math.max(...values)),
  });
  return {
    runs: TAKEOVER_RUNS,
    leaseMs: TAKEOVER_LEASE_S * 1000,
    boundMs: Math.round(TAKEOVER_LEASE_S * 1000 * (4 / 3)),
    logged: ms(runs.map((run) => run.loggedTakeover)),
    firstRead: ms(runs.map((run) => run.firstRead)),
    extraCalls: runs.reduce((sum, run) => sum + run.extraCalls, 0),
  };
}

export type EscalationTakeover = Awaited<ReturnType<typeof escalationTakeover>>;

/** ms from the kill of A to B's first read and to its log line; calls made again meanwhile */
interface Run {
  firstRead: number;
  loggedTakeover: number;
  extraCalls: number;
}

/** An alarm for `machine` posted to A, A killed in step 1, B taking it over; B stops it then. */
async function killOwner(
  { sim, reads, redis }: Bench,
  a: NodeRedProcess,
  b: NodeRedProcess,
  machine: string,
): Promise<Run> {
  const created = nextCreatedCall(sim);
  await post(a, 'alarm', { machine });
  const callId = await created;
  // killed once Redis has step 1's call: what B takes over knows it
  await until('step 1 in Redis', async () =>
    Boolean((await redis.hget(ESCALATIONS_KEY, machine))?.includes(callId)),
  );
  // a little into A's beat, wherever it stands: the kill falls anywhere in it
  await sleep(Math.random() * ((TAKEOVER_LEASE_S * 1000) / 3));

  const createdBefore = sim.count('rtc/createCall');
  const logFrom = b.output.length;
  const readByB = reads.first((user, id) => user === USER_B && id === callId, 30_000);
  const logged = untilOutput(b, `escalation '${machine}' taken over`, logFrom);
  const killedAt = performance.now();
  await a.kill();
  const run = {
    firstRead: (await readByB) - killedAt,
    loggedTakeover: (await logged) - killedAt,
    extraCalls: sim.count('rtc/createCall') - createdBefore,
  };
  // B stops it (and Redis forgets it): the next run starts clean
  await post(b, 'alarm', { machine, stop: true });
  await until('the stop', async () => (await redis.hget(ESCALATIONS_KEY, machine)) === null);
  sim.calls.end(callId);
  return run;
}

/** Resolves with the id of the next call the simulator creates. */
function nextCreatedCall(sim: Simulator): Promise<string> {
  return new Promise<string>((resolve) => {
    const onEvent = (callId: string, event: { type: string }) => {
      if (event.type !== 'Created') return;
      sim.off('event', onEvent);
      resolve(callId);
    };
    sim.on('event', onEvent);
  });
}

/** Polls `check` every 10 ms until it holds; throws after `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(10);
  }
}
