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
import { round } from '../support/stats';
import { alone, type AloneRound } from './alone';
import { startBench } from './context';
import { pair, type PairRound } from './pair';
import { CALLS, EVENTS_PER_SECOND, FOLLOW_LEASE_S, INTERVAL_S, ROUNDS } from './parameters';
import { Started } from './started';
import { escalationTakeover, type EscalationTakeover } from './takeover';

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

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function summary(alone: AloneRound[], apart: PairRound[], shared: PairRound[]) {
  const intervals = (seconds: number) => seconds / INTERVAL_S;
  /** per round: [A, B, Redis] CPU %, RSS MB; reads of A, B; the window */
  const cpu = (i: number) => mean(shared.map((round) => round.cpuPercent[i]));
  const rss = (i: number) => mean(shared.map((round) => round.rssMb[i]));
  const instanceReads = (i: number) => mean(shared.map((round) => round.reads[i]));
  const pairSeconds = mean(shared.map((round) => round.seconds));
  const pairReads = instanceReads(0) + instanceReads(1);
  const aloneCpu = mean(alone.map((round) => round.cpuPercent));
  const aloneRss = mean(alone.map((round) => round.rssMb));
  const aloneReads = mean(alone.map((round) => round.reads));
  const aloneSeconds = mean(alone.map((round) => round.seconds));
  const apartCpu = (i: number) => mean(apart.map((round) => round.cpuPercent[i]));
  const apartRss = (i: number) => mean(apart.map((round) => round.rssMb[i]));
  const apartReads = mean(apart.map((round) => round.reads[0] + round.reads[1]));
  const apartSeconds = mean(apart.map((round) => round.seconds));
  const redis = {
    evalsha: mean(shared.map((round) => round.redis.evalsha)),
    calls: mean(shared.map((round) => round.redis.calls)),
    usec: mean(shared.map((round) => round.redis.usec)),
    netBytes: mean(shared.map((round) => round.redis.netBytes)),
  };
  const sum = (pick: (round: (typeof shared)[number]) => number) =>
    shared.reduce((total, round) => total + pick(round), 0);
  const takeover = shared[shared.length - 1].takeover!;
  return {
    calls: CALLS,
    rounds: ROUNDS,
    single: {
      readsPerSecond: round(aloneReads / aloneSeconds, 0),
      perCallPerInterval: round(aloneReads / CALLS / intervals(aloneSeconds), 3),
      cpuPercent: round(aloneCpu),
      rssMb: round(aloneRss),
      readTwice: alone.reduce((total, each) => total + each.readTwice, 0),
    },
    apart: {
      readsPerSecond: round(apartReads / apartSeconds, 0),
      perCallPerInterval: round(apartReads / CALLS / intervals(apartSeconds), 3),
      cpuPercent: [0, 1].map((i) => round(apartCpu(i))),
      rssMb: [0, 1].map((i) => round(apartRss(i))),
      readTwice: apart.reduce((total, each) => total + each.readTwice, 0),
    },
    instances: [0, 1].map((i) => ({
      readsPerSecond: round(instanceReads(i) / pairSeconds, 0),
      share: round((instanceReads(i) / pairReads) * 100),
      perCallPerInterval: round(instanceReads(i) / (CALLS / 2) / intervals(pairSeconds), 3),
      cpuPercent: round(cpu(i)),
      rssMb: round(rss(i)),
    })),
    pair: {
      readsPerSecond: round(pairReads / pairSeconds, 0),
      perCallPerInterval: round(pairReads / CALLS / intervals(pairSeconds), 3),
      cpuPercent: round(cpu(0) + cpu(1)),
      rssMb: round(rss(0) + rss(1)),
      unattributed: sum((round) => round.unattributed),
      neverRead: [...alone, ...apart, ...shared].reduce((total, each) => total + each.unread, 0),
      readByBoth: sum((round) => round.readByBoth),
      readByOther: sum((round) => round.readByOther),
      readTwice: sum((round) => round.readTwice),
      windowIntervals: round(intervals(pairSeconds), 2),
    },
    redis: {
      cpuPercent: round(cpu(2)),
      rssMb: round(rss(2)),
      evalshaPerSecond: round(redis.evalsha / pairSeconds),
      evalshaPerRead: round(redis.evalsha / pairReads, 4),
      commandsPerSecond: round(redis.calls / pairSeconds, 0),
      commandsPerRead: round(redis.calls / pairReads, 2),
      usecPerRead: round(redis.usec / pairReads, 2),
      netKbPerSecond: round(redis.netBytes / 1024 / pairSeconds),
      /** the commands Redis ran most (those inside the scripts too), per read, last round */
      top: shared[shared.length - 1].redis.top.map(([name, calls]) => [
        name,
        round(calls / (shared[shared.length - 1].reads[0] + shared[shared.length - 1].reads[1]), 3),
      ]),
    },
    cost: {
      cpuApart: round((apartCpu(0) + apartCpu(1)) / aloneCpu, 2),
      rssApart: round((apartRss(0) + apartRss(1)) / aloneRss, 2),
      cpu: round((cpu(0) + cpu(1)) / aloneCpu, 2),
      cpuByRound: shared.map((round, i) =>
        round2((round.cpuPercent[0] + round.cpuPercent[1]) / alone[i].cpuPercent),
      ),
      cpuWithRedis: round((cpu(0) + cpu(1) + cpu(2)) / aloneCpu, 2),
      rss: round((rss(0) + rss(1)) / aloneRss, 2),
      rssWithRedis: round((rss(0) + rss(1) + rss(2)) / aloneRss, 2),
      rssPerInstance: round((rss(0) + rss(1)) / 2 / aloneRss, 2),
    },
    takeover: {
      leaseS: FOLLOW_LEASE_S,
      calls: takeover.calls,
      readAgain: takeover.readAgain,
      firstS: round(takeover.first / 1000),
      p50S: round(takeover.p50 / 1000),
      p90S: round(takeover.p90 / 1000),
      maxS: round(takeover.max / 1000),
    },
  };
}

const round2 = (value: number) => round(value, 2);

export interface SharedStateResult {
  takeover: EscalationTakeover;
  follow: ReturnType<typeof summary>;
}

/** The section's tables, as `npm run bench` prints them. */
export function sharedStateLines(r: SharedStateResult): string[] {
  const lines: string[] = [];
  const table = (header: string[], rows: unknown[][]) => {
    lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
    for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
    lines.push('');
  };
  const t = r.takeover;
  lines.push(
    `Shared state, takeover after kill -9: an escalation owned by A, A killed in step 1;`,
    `ms from the kill to B's first read of the step's call (and to B's "taken over" log line);`,
    `lease ${t.leaseMs / 1000} s, ${t.runs} runs; expected <= lease + lease/3 = ${t.boundMs} ms`,
  );
  table(
    [
      'runs',
      'lease ms',
      'bound ms',
      'first read p50',
      'p99',
      'max',
      'taken over (log) p50',
      'p99',
      'calls made again',
    ],
    [
      [
        t.runs,
        t.leaseMs,
        t.boundMs,
        t.firstRead.p50,
        t.firstRead.p99,
        t.firstRead.max,
        t.logged.p50,
        t.logged.p99,
        t.extraCalls,
      ],
    ],
  );
  const f = r.follow;
  lines.push(
    `Shared state, ${f.calls} followed calls at a ${INTERVAL_S} s interval: one instance without Redis`,
    `vs two on one Redis (lease ${FOLLOW_LEASE_S} s), call ids posted to them alternately; windows of`,
    `${f.pair.windowIntervals} intervals, ${EVENTS_PER_SECOND} events/s added; mean of ${f.rounds} interleaved rounds;`,
    'reads counted by the simulator per xAssist user (A and B log in as different users);',
    'CPU (utime + stime) and RSS (median of 1 s samples) from /proc',
  );
  table(
    ['process', 'reads/s', 'share %', 'reads per call per interval', 'CPU % of a core', 'RSS MB'],
    [
      [
        'alone (no Redis)',
        f.single.readsPerSecond,
        100,
        f.single.perCallPerInterval,
        f.single.cpuPercent,
        f.single.rssMb,
      ],
      ...f.instances.map((each, i) => [
        `pair: ${i ? 'B' : 'A'}`,
        each.readsPerSecond,
        each.share,
        each.perCallPerInterval,
        each.cpuPercent,
        each.rssMb,
      ]),
      [
        'pair: A + B',
        f.pair.readsPerSecond,
        100,
        f.pair.perCallPerInterval,
        f.pair.cpuPercent,
        f.pair.rssMb,
      ],
      ['pair: redis-server', '–', '–', '–', f.redis.cpuPercent, f.redis.rssMb],
      [
        'control: 2 alone, no Redis',
        f.apart.readsPerSecond,
        100,
        f.apart.perCallPerInterval,
        `${round(f.apart.cpuPercent[0] + f.apart.cpuPercent[1])} (${f.apart.cpuPercent.join(' + ')})`,
        `${round(f.apart.rssMb[0] + f.apart.rssMb[1])} (${f.apart.rssMb.join(' + ')})`,
      ],
    ],
  );
  lines.push(
    `Checks over all windows: calls read by both instances ${f.pair.readByBoth}; read by the one that`,
    `does not own them ${f.pair.readByOther}; read twice within half an interval ${f.pair.readTwice}`,
    `(alone: ${f.single.readTwice}, control: ${f.apart.readTwice}); reads of no known user`,
    `${f.pair.unattributed}; calls never read by the instance they were posted to ${f.pair.neverRead}`,
    '',
    'Shared state, Redis per xAssist read over the same windows (INFO commandstats: the commands',
    'count those the Lua scripts run, the µs are those in EVAL/EVALSHA; INFO stats for the bytes)',
  );
  table(
    [
      'EVALSHA/s',
      'EVALSHA per read',
      'commands/s',
      'commands per read',
      'Redis µs (scripts) per read',
      'Redis net KB/s',
    ],
    [
      [
        f.redis.evalshaPerSecond,
        f.redis.evalshaPerRead,
        f.redis.commandsPerSecond,
        f.redis.commandsPerRead,
        f.redis.usecPerRead,
        f.redis.netKbPerSecond,
      ],
    ],
  );
  lines.push(
    `Redis commands per read by name (last round): ${f.redis.top.map(([name, perRead]) => `${name} ${perRead}`).join(', ')}`,
    '',
    'Shared state, cost of the pair against one instance alone (ratios)',
  );
  table(
    [
      'CPU A+B (each round)',
      'CPU A+B+Redis',
      'CPU 2 alone (control)',
      'RSS A+B',
      'RSS A+B+Redis',
      'RSS 2 alone (control)',
      'RSS per instance',
    ],
    [
      [
        `${f.cost.cpu} (${f.cost.cpuByRound.join(', ')})`,
        f.cost.cpuWithRedis,
        f.cost.cpuApart,
        f.cost.rss,
        f.cost.rssWithRedis,
        f.cost.rssApart,
        f.cost.rssPerInstance,
      ],
    ],
  );
  const k = f.takeover;
  lines.push(
    `Shared state, A killed after the last round: s from the kill until B has read each of A's`,
    `${k.calls} calls again (lease ${k.leaseS} s; an item's lease + a beat would be ${round((k.leaseS * 4) / 3)} s)`,
  );
  table(
    ['calls', 'read again by B', 'first s', 'p50 s', 'p90 s', 'max s'],
    [[k.calls, k.readAgain, k.firstS, k.p50S, k.p90S, k.maxS]],
  );
  return lines;
}
