/** The section's tables, as `npm run bench` prints them. */
import { round } from '../support/stats';
import { tableLines } from '../support/table';
import { EVENTS_PER_SECOND, FOLLOW_LEASE_S, INTERVAL_S } from './parameters';
import type { FollowSummary } from './summary';
import type { EscalationTakeover } from './takeover';

export interface SharedStateResult {
  takeover: EscalationTakeover;
  follow: FollowSummary;
}

export function sharedStateLines(r: SharedStateResult): string[] {
  return [
    ...takeoverLines(r.takeover),
    ...processLines(r.follow),
    ...checkLines(r.follow),
    ...redisLines(r.follow),
    ...costLines(r.follow),
    ...callsTakenOverLines(r.follow.takeover),
  ];
}

function takeoverLines(t: EscalationTakeover): string[] {
  return [
    `Shared state, takeover after kill -9: an escalation owned by A, A killed in step 1;`,
    `ms from the kill to B's first read of the step's call (and to B's "taken over" log line);`,
    `lease ${t.leaseMs / 1000} s, ${t.runs} runs; expected <= lease + lease/3 = ${t.boundMs} ms`,
    ...tableLines(
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
    ),
  ];
}

/** Reads, CPU and RSS of each process: alone, the pair, its Redis, the control. */
function processLines(f: FollowSummary): string[] {
  return [
    `Shared state, ${f.calls} followed calls at a ${INTERVAL_S} s interval: one instance without Redis`,
    `vs two on one Redis (lease ${FOLLOW_LEASE_S} s), call ids posted to them alternately; windows of`,
    `${f.pair.windowIntervals} intervals, ${EVENTS_PER_SECOND} events/s added; mean of ${f.rounds} interleaved rounds;`,
    'reads counted by the simulator per xAssist user (A and B log in as different users);',
    'CPU (utime + stime) and RSS (median of 1 s samples) from /proc',
    ...tableLines(
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
    ),
  ];
}

/** Each call read by its instance only, once an interval. */
function checkLines(f: FollowSummary): string[] {
  return [
    `Checks over all windows: calls read by both instances ${f.pair.readByBoth}; read by the one that`,
    `does not own them ${f.pair.readByOther}; read twice within half an interval ${f.pair.readTwice}`,
    `(alone: ${f.single.readTwice}, control: ${f.apart.readTwice}); reads of no known user`,
    `${f.pair.unattributed}; calls never read by the instance they were posted to ${f.pair.neverRead}`,
    '',
  ];
}

/** What Redis did per xAssist read. */
function redisLines(f: FollowSummary): string[] {
  return [
    'Shared state, Redis per xAssist read over the same windows (INFO commandstats: the commands',
    'count those the Lua scripts run, the µs are those in EVAL/EVALSHA; INFO stats for the bytes)',
    ...tableLines(
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
    ),
    `Redis commands per read by name (last round): ${f.redis.top.map(([name, perRead]) => `${name} ${perRead}`).join(', ')}`,
    '',
  ];
}

/** The pair's and the control's CPU and RSS against one instance alone's. */
function costLines(f: FollowSummary): string[] {
  return [
    'Shared state, cost of the pair against one instance alone (ratios)',
    ...tableLines(
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
    ),
  ];
}

/** A killed after the last round: B reading A's calls again. */
function callsTakenOverLines(k: FollowSummary['takeover']): string[] {
  return [
    `Shared state, A killed after the last round: s from the kill until B has read each of A's`,
    `${k.calls} calls again (lease ${k.leaseS} s; an item's lease + a beat would be ${round((k.leaseS * 4) / 3)} s)`,
    ...tableLines(
      ['calls', 'read again by B', 'first s', 'p50 s', 'p90 s', 'max s'],
      [[k.calls, k.readAgain, k.firstS, k.p50S, k.p90S, k.maxS]],
    ),
  ];
}
