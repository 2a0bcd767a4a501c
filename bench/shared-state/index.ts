/**
 * Shared state (two Node-RED instances on one Redis), measured on real processes: two Node-RED
 * processes running the same flows, a real redis-server, and the simulator in this process.
 *
 * - Takeover after kill -9 (takeover.ts): an escalation owned by instance A (the one that got its
 *   alarm); A is killed in step 1; measured from the kill until instance B reads the step's call,
 *   and until B logs "taken over".
 * - 10,000 followed calls at a 5 s interval, split over the two instances (pair.ts: call ids
 *   posted to them alternately), against one instance alone without Redis (alone.ts), and against
 *   a control of two instances without Redis (5,000 calls each: the cost of two processes, without
 *   Redis's): reads per instance, per call per interval, CPU and RSS of each process (from /proc),
 *   and Redis commands per read (INFO commandstats); then A is killed and the time until B reads
 *   A's 5,000 calls again (calls-taken-over.ts).
 *
 * Which instance made a read is told by its xAssist user: A logs in as `connector`, B as
 * `tester`, and the simulator's read is counted for the user whose token it was given
 * (reads-by-user.ts).
 */
import { startCall } from '../../test/support/simulator';
import { Started } from '../support/started';
import { alone, type AloneRound } from './alone';
import { startBench } from './context';
import { pair, type PairRound } from './pair';
import { CALLS, ROUNDS } from './parameters';
import type { SharedStateResult } from './report';
import { summary } from './summary';
import { escalationTakeover } from './takeover';

export { sharedStateLines, type SharedStateResult } from './report';

export async function benchSharedState(): Promise<SharedStateResult> {
  const started = new Started();
  try {
    const bench = await startBench(started);
    const takeover = await escalationTakeover(bench);

    const callIds = Array.from({ length: CALLS }, () => startCall(bench.sim, ['expert1']).callId);
    // alone and shared interleaved, so that the machine's noise falls on both alike
    const aloneRounds: AloneRound[] = [];
    const apart: PairRound[] = [];
    const shared: PairRound[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      aloneRounds.push(await alone(bench, callIds));
      apart.push(await pair(bench, callIds, { shared: false, thenKill: false }));
      const thenKill = round === ROUNDS - 1;
      shared.push(await pair(bench, callIds, { shared: true, thenKill }));
    }
    return { takeover, follow: summary(aloneRounds, apart, shared) };
  } finally {
    await started.stopAll();
  }
}
