/**
 * `npm run bench`: every benchmark, measured side by side in one run, printed as one table;
 * `npm run bench -- <name> …` runs only those named (the names in SECTIONS), in the table's order.
 */
import { benchCreateCall } from './create-call';
import { benchAlarmLatency } from './latency';
import { benchEscalate } from './escalate';
import { benchFollowScale } from './follow-scale';
import { benchLoadCost } from './load-cost';
import { benchRefreshStorm } from './refresh-storm';
import { benchDelivery } from './delivery';
import { benchHistory } from './history';
import { benchSharedState, sharedStateLines } from './shared-state';
import { tableLines } from './support/table';

async function createCallLines(): Promise<string[]> {
  const create = await benchCreateCall();
  return [
    'Create call: 400 messages, 8 in flight, median of 5 interleaved runs',
    ...tableLines(
      ['path', 'calls/s', '% of axios loop', 'p50 ms', 'p99 ms'],
      create.map((r) => [r.name, r.perSecond, r.ofLimit, r.p50, r.p99]),
    ),
  ];
}

async function latencyLines(): Promise<string[]> {
  const latency = await benchAlarmLatency();
  const { ratio } = latency;
  return [
    `Alarm latency: ${latency.rows[0].alarms} alarms per row, one a second taking turns; ms from node.receive() to the`,
    "simulator's receipt of createCall (the last request, after retries), and to the output (simulator in its own process);",
    `${latency.retried.alarms} alarms of the 429 row answered 429 first: output p50 ${latency.retried.outputP50} ms; ` +
      `clocks ${latency.clock.offsetMs} ms apart (IPC round trip ${latency.clock.rttMs} ms); ` +
      `${latency.simulator.connections} connections, requests ${JSON.stringify(latency.simulator.requests)}; ${latency.seconds} s in all`,
    ...tableLines(
      ['path', 'alarms', 'createCall requests', 'to request p50', 'p99', 'to output p50', 'p99'],
      [
        ...latency.rows.map((r) => [
          r.name,
          r.alarms,
          r.requests,
          r.requestP50,
          r.requestP99,
          r.outputP50,
          r.outputP99,
        ]),
        [
          'package / bare',
          '',
          '',
          ratio.requestP50,
          ratio.requestP99,
          ratio.outputP50,
          ratio.outputP99,
        ],
      ],
    ),
  ];
}

async function refreshStormLines(): Promise<string[]> {
  const storm = await benchRefreshStorm();
  return [
    'Token refresh storm: concurrent requests on an expired token, median of 5',
    ...tableLines(
      ['requests', 'renewals (refresh or login)', 'all done in ms'],
      [[storm.concurrent, storm.renewals, storm.ms]],
    ),
  ];
}

async function followScaleLines(): Promise<string[]> {
  const scales = [];
  for (const scale of [1, 100, 1_000, 10_000]) scales.push(await benchFollowScale(scale));
  return [
    'Following calls, 5 s interval, 32 reads in flight at most (simulator in its own process)',
    ...tableLines(
      [
        'calls',
        'reads/s',
        'reads per call per interval',
        'busiest 100 ms',
        'even 100 ms',
        'max in flight',
        'KB per call',
        'CPU % of a core',
        'events',
        'latency p50 ms',
        'latency p99 ms',
      ],
      scales.map((r) => [
        r.calls,
        r.readsPerSecond,
        r.perCallPerInterval,
        r.busiest100ms,
        r.even100ms,
        r.maxInFlight,
        r.kbPerCall,
        r.cpuPercent,
        r.events,
        r.latencyP50,
        r.latencyP99,
      ]),
    ),
  ];
}

async function escalateLines(): Promise<string[]> {
  const handovers = [];
  for (const concurrent of [1, 100]) handovers.push(await benchEscalate(concurrent));
  return [
    "Escalation hand-over: ms from a step's deadline to the next call made (createCall answered),",
    'escalate node vs a bare timer + createCall; 3 steps of 1 s, 5 s read interval, interleaved runs (10 for 1 at once, 3 for 100)',
    ...tableLines(
      [
        'escalations at once',
        'hand-overs',
        'p50 ms',
        'p99 ms',
        'max ms',
        'timer p50 ms',
        'timer p99 ms',
        'added p50 ms',
      ],
      handovers.map((r) => [
        r.concurrent,
        r.handovers,
        r.p50,
        r.p99,
        r.max,
        r.timerP50,
        r.timerP99,
        r.extraP50,
      ]),
    ),
  ];
}

async function loadCostLines(): Promise<string[]> {
  const load = await benchLoadCost();
  return [
    'Node-RED start-up with and without this package, median of 5 (empty flows)',
    ...tableLines(
      ['', 'ms to "Started flows"', 'RSS MB'],
      [
        ['without', load.without.ms, load.without.rssMb],
        ['with', load.with.ms, load.with.rssMb],
        [
          'added',
          load.with.ms - load.without.ms,
          Math.round((load.with.rssMb - load.without.rssMb) * 10) / 10,
        ],
      ],
    ),
  ];
}

async function deliveryLines(): Promise<string[]> {
  const delivery = await benchDelivery(10);
  return [
    "Delivery across kill -9: a followed call's events every 50 ms, its follower killed at a random",
    'moment, the other instance taking it over (lease 1 s); events never sent, and sent by both',
    ...tableLines(
      ['kills', 'events', 'lost', 'sent twice'],
      [[delivery.rounds, delivery.events, delivery.lost, delivery.sentTwice]],
    ),
  ];
}

async function historyLines(): Promise<string[]> {
  const history = await benchHistory(10_000);
  return [
    'Call history: 10,000 seeded calls read newest first, then their figures and summary (simulator in its own process)',
    ...tableLines(
      ['page size', 'pages', 'read ms', 'figures ms', 'heap MB', 'RSS MB'],
      history.map((r) => [r.pageSize, r.pages, r.readMs, r.figuresMs, r.heapMb, r.rssMb]),
    ),
  ];
}

/** Each benchmark by the name that selects it, in the order they run and print. */
const SECTIONS: Array<[name: string, lines: () => Promise<string[]>]> = [
  ['create-call', createCallLines],
  ['latency', latencyLines],
  ['refresh-storm', refreshStormLines],
  ['follow-scale', followScaleLines],
  ['escalate', escalateLines],
  ['load-cost', loadCostLines],
  // two Node-RED processes and a redis-server (about 4 minutes)
  ['shared-state', async () => sharedStateLines(await benchSharedState())],
  ['delivery', deliveryLines],
  ['history', historyLines],
];

/** The sections named (all of them when none is), checked before any runs. */
function sectionsNamed(names: string[]): Array<() => Promise<string[]>> {
  const unknown = names.filter((name) => !SECTIONS.some(([known]) => known === name));
  if (unknown.length > 0) {
    const known = SECTIONS.map(([name]) => name).join(', ');
    throw new Error(`no benchmark named ${unknown.join(', ')}; the names are ${known}`);
  }
  return SECTIONS.filter(([name]) => names.length === 0 || names.includes(name)).map(
    ([, lines]) => lines,
  );
}

async function main(names: string[]): Promise<void> {
  const sections = sectionsNamed(names);
  const lines: string[] = [`Benchmarks, ${new Date().toISOString()}, Node ${process.version}`, ''];
  for (const section of sections) lines.push(...(await section()));
  console.log(lines.join('\n'));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
