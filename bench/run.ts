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
import { benchAssets } from './assets';
import { benchSharedState, sharedStateLines } from './shared-state';
import { columnLines, tableLines } from './support/table';

async function createCallLines(): Promise<string[]> {
  const create = await benchCreateCall();
  return [
    'Create call: 400 messages, 8 in flight, median of 5 interleaved runs',
    ...columnLines(
      [
        ['path', 'name'],
        ['calls/s', 'perSecond'],
        ['% of axios loop', 'ofLimit'],
        ['p50 ms', 'p50'],
        ['p99 ms', 'p99'],
      ],
      create,
    ),
  ];
}

async function latencyLines(): Promise<string[]> {
  const latency = await benchAlarmLatency();
  const ratio = { name: 'package / bare', alarms: '', requests: '', ...latency.ratio };
  return [
    `Alarm latency: ${latency.rows[0].alarms} alarms per row, one a second taking turns; ms from node.receive() to the`,
    "simulator's receipt of createCall (the last request, after retries), and to the output (simulator in its own process);",
    `${latency.retried.alarms} alarms of the 429 row answered 429 first: output p50 ${latency.retried.outputP50} ms; ` +
      `clocks ${latency.clock.offsetMs} ms apart (IPC round trip ${latency.clock.rttMs} ms); ` +
      `${latency.simulator.connections} connections, requests ${JSON.stringify(latency.simulator.requests)}; ${latency.seconds} s in all`,
    ...columnLines(
      [
        ['path', 'name'],
        ['alarms', 'alarms'],
        ['createCall requests', 'requests'],
        ['to request p50', 'requestP50'],
        ['p99', 'requestP99'],
        ['to output p50', 'outputP50'],
        ['p99', 'outputP99'],
      ],
      [...latency.rows, ratio],
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
    ...columnLines(
      [
        ['calls', 'calls'],
        ['reads/s', 'readsPerSecond'],
        ['reads per call per interval', 'perCallPerInterval'],
        ['busiest 100 ms', 'busiest100ms'],
        ['even 100 ms', 'even100ms'],
        ['max in flight', 'maxInFlight'],
        ['KB per call', 'kbPerCall'],
        ['CPU % of a core', 'cpuPercent'],
        ['events', 'events'],
        ['latency p50 ms', 'latencyP50'],
        ['latency p99 ms', 'latencyP99'],
      ],
      scales,
    ),
  ];
}

async function escalateLines(): Promise<string[]> {
  const handovers = [];
  for (const concurrent of [1, 100]) handovers.push(await benchEscalate(concurrent));
  return [
    "Escalation hand-over: ms from a step's deadline to the next call made (createCall answered),",
    'escalate node vs a bare timer + createCall; 3 steps of 1 s, 5 s read interval, interleaved runs (10 for 1 at once, 3 for 100)',
    ...columnLines(
      [
        ['escalations at once', 'concurrent'],
        ['hand-overs', 'handovers'],
        ['p50 ms', 'p50'],
        ['p99 ms', 'p99'],
        ['max ms', 'max'],
        ['timer p50 ms', 'timerP50'],
        ['timer p99 ms', 'timerP99'],
        ['added p50 ms', 'extraP50'],
      ],
      handovers,
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
    ...columnLines(
      [
        ['page size', 'pageSize'],
        ['pages', 'pages'],
        ['read ms', 'readMs'],
        ['figures ms', 'figuresMs'],
        ['heap MB', 'heapMb'],
        ['RSS MB', 'rssMb'],
      ],
      history,
    ),
  ];
}

/** Each benchmark by the name that selects it, in the order they run and print. */
async function assetsLines(): Promise<string[]> {
  const { rows, ratio } = await benchAssets();
  return [
    'Call assets: 100 assets of 2 MB (ORIGINAL, checksums checked), 2 at a time, median of 3 interleaved runs;',
    'each Buffer dropped once counted; peak growth of heap, Buffers and RSS during the run (simulator in its own process)',
    ...columnLines(
      [
        ['path', 'name'],
        ['assets', 'assets'],
        ['s', 'seconds'],
        ['MB/s', 'mbPerSecond'],
        ['peak heap MB', 'peakHeapMb'],
        ['peak Buffers MB', 'peakBuffersMb'],
        ['peak RSS MB', 'peakRssMb'],
      ],
      [...rows, { name: 'package / bare', assets: '', ...ratio }],
    ),
    '',
  ];
}

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
  ['assets', assetsLines],
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
