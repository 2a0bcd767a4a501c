/**
 * Alarm latency as a user feels it: one alarm a second, taking turns, into the package's
 * xassist-create-call node in Node-RED's runtime and into a bare node that only posts the same
 * body with axios, against one simulator in a process of its own that notes when each
 * createCall request arrives. Measured per alarm: from node.receive() to the simulator's receipt
 * of the createCall request (alarm → request), and to the node's output message (alarm →
 * output). A third turn is the package's node again with every 5th of its alarms answered 429
 * with Retry-After: 0 (the retry path's cost).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Node } from 'node-red';
import axios from 'axios';
import { helper, loadFlow, serverNode, createCallNode } from '../test/support/node-red';
import { CONNECTOR } from '../test/support/simulator';
import { bareAxiosNode } from './create-call';
import { builtFile } from './support/built';
import { percentile, round } from './support/stats';

/** the createCall body of bench/create-call.ts; its title carries the alarm's number */
const BODY = {
  callType: 'SFU',
  invitedContacts: [
    {
      userId: 'tester',
      userDbId: 8,
      email: 'test@test.com',
      domain: 'ubimax',
      displayName: 'Tester',
      phoneNumber: null,
    },
  ],
  invitedTeams: [],
  joinAnonymousAllowed: false,
  plannedDateTime: null,
  callReason: 'STANDARD',
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require('@node-red/nodes/core/common/25-catch.js');

const PACE_MS = 1_000;
const WARM_UP = 5;
const FAULT_EVERY = 5;
/** an alarm not answered by then fails the bench */
const ALARM_TIMEOUT_MS = 10_000;

/** Wall-clock ms, sub-ms resolution, comparable across processes on this machine. */
const now = () => performance.timeOrigin + performance.now();

/**
 * The simulator's process: the built simulator, noting the arrival of every createCall request
 * (its `request` event: the headers are in, before the body is read) and answering over IPC.
 */
const SIMULATOR_PROCESS = `
const { Simulator } = require(${JSON.stringify(builtFile('sim/index.js'))});
const now = () => performance.timeOrigin + performance.now();
const simulator = new Simulator();
let received = [];
simulator.on('request', (name) => { if (name === 'rtc/createCall') received.push(now()); });
process.on('message', (ask) => {
  if (ask === 'clock') return process.send({ clock: now() });
  if (ask === 'stats') {
    return process.send({ stats: { connections: simulator.connections, requests: simulator.counts } });
  }
  if (ask === 'received') { process.send({ received }); received = []; }
});
process.on('disconnect', () => simulator.close().then(() => process.exit(0)));
simulator.listen().then((url) => process.send({ url }));
`;

interface SimulatorProcess {
  child: ChildProcess;
  url: string;
  /** asks the simulator's process, and resolves with its answer */
  ask: <T>(question: 'clock' | 'received' | 'stats') => Promise<T>;
}

async function startReportingSimulator(): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, ['-e', SIMULATOR_PROCESS], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [{ url }] = (await once(child, 'message')) as [{ url: string }];
  const ask = async <T>(question: 'clock' | 'received' | 'stats') => {
    const answer = once(child, 'message');
    child.send(question);
    return ((await answer) as [Record<string, T>])[0][question];
  };
  return { child, url, ask };
}

/**
 * The simulator's clock minus ours, from the IPC round trip that took least of 50: both read
 * the same system clocks, so it should be well under the round trip.
 */
async function clockOffset(sim: SimulatorProcess): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: NaN, rttMs: Infinity };
  for (let i = 0; i < 50; i++) {
    const sent = now();
    const theirs = await sim.ask<number>('clock');
    const back = now();
    if (back - sent < best.rttMs)
      best = { offsetMs: theirs - (sent + back) / 2, rttMs: back - sent };
  }
  return best;
}

interface Alarm {
  toRequest: number;
  toOutput: number;
  /** createCall requests the simulator received for it */
  requests: number;
}

interface Sent {
  sentAt: number;
  outputAt: number;
  /** createCall requests the package's node says it sent (msg.attempts) */
  attempts?: number;
}

/** the alarms on their way, by number: their output (or a Catch node's message) settles them */
const onTheirWay = new Map<
  number,
  { resolve: (output: { at: number; attempts?: number }) => void; reject: (err: Error) => void }
>();

/** Sends an alarm into `entry` and resolves when `exit` has its output. */
function alarmSender(entry: string, exit: string): (i: number) => Promise<Sent> {
  (helper.getNode(exit) as Node).on('input', (msg: unknown) => {
    const at = now();
    const { _alarm: i, attempts } = msg as { _alarm: number; attempts?: number };
    onTheirWay.get(i)?.resolve({ at, attempts });
  });
  const node = helper.getNode(entry) as Node;
  return (i) => {
    const payload = { ...BODY, callTitle: `Alarm ${i}` };
    let sentAt = NaN;
    const output = new Promise<{ at: number; attempts?: number }>((resolve, reject) => {
      onTheirWay.set(i, { resolve, reject });
      sentAt = now();
      node.receive({ payload, _alarm: i } as never);
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`alarm ${i} not answered`)), ALARM_TIMEOUT_MS);
    });
    return Promise.race([output, timeout])
      .then(({ at, attempts }) => ({ sentAt, outputAt: at, attempts }))
      .finally(() => {
        clearTimeout(timer);
        onTheirWay.delete(i);
      });
  };
}

interface Contestant {
  name: string;
  send: (i: number) => Promise<Sent>;
  /** before this contestant's `turn`th alarm (between alarms, not timed) */
  before?: (turn: number) => Promise<void>;
  alarms: Alarm[];
}

/** One alarm: from receive to the arrival of its createCall (the last, after retries), and to its output. */
async function alarm(sim: SimulatorProcess, contestant: Contestant, i: number): Promise<Alarm> {
  const { sentAt, outputAt, attempts = 1 } = await contestant.send(i);
  const received = await sim.ask<number[]>('received');
  if (received.length !== attempts) {
    throw new Error(
      `${contestant.name}: alarm ${i} sent ${attempts} createCall requests, ${received.length} arrived`,
    );
  }
  return {
    toRequest: received[received.length - 1] - sentAt,
    toOutput: outputAt - sentAt,
    requests: received.length,
  };
}

/** BENCH_LATENCY_ALARMS, alarms per row (default 40: the three rows take 2 minutes). */
function alarmsFromEnv(): number {
  const text = process.env.BENCH_LATENCY_ALARMS;
  if (text === undefined || text === '') return 40;
  const alarms = Number(text);
  if (!Number.isInteger(alarms) || alarms < 1) {
    throw new Error('BENCH_LATENCY_ALARMS must be a whole number of alarms, 1 or more');
  }
  return alarms;
}

export async function benchAlarmLatency(alarms = alarmsFromEnv()) {
  const started = now();
  const sim = await startReportingSimulator();
  const control = axios.create({ baseURL: new URL('/_sim/', sim.url).toString() });
  const login = await axios.post(`${sim.url}login`, { ...CONNECTOR, agreedToTos: true });
  const clock = await clockOffset(sim);

  await loadFlow(
    [serverNode, createCallNode, catchNode, bareAxiosNode(sim.url, login.data.token)],
    [
      { id: 'flow', type: 'tab', label: 'bench' },
      { id: 'server', type: 'xassist-server', url: sim.url, domain: 'ubimax' },
      {
        id: 'node',
        type: 'xassist-create-call',
        z: 'flow',
        server: 'server',
        wires: [['node-out']],
      },
      { id: 'node-out', type: 'helper', z: 'flow' },
      { id: 'bare', type: 'bench-bare-axios', z: 'flow', wires: [['bare-out']] },
      { id: 'bare-out', type: 'helper', z: 'flow' },
      { id: 'catch-all', type: 'catch', z: 'flow', scope: null, wires: [['catch']] },
      { id: 'catch', type: 'helper', z: 'flow' },
    ],
    { server: { ...CONNECTOR } },
  );
  (helper.getNode('catch') as Node).on('input', (msg: unknown) => {
    const { _alarm: i, error } = msg as { _alarm: number; error?: { message?: string } };
    onTheirWay.get(i)?.reject(new Error(`alarm ${i} failed: ${error?.message}`));
  });
  const toNode = alarmSender('node', 'node-out');
  const toBare = alarmSender('bare', 'bare-out');
  const contestants: Contestant[] = [
    { name: 'xassist-create-call', send: toNode, alarms: [] },
    { name: 'bare node (axios post)', send: toBare, alarms: [] },
    {
      name: `xassist-create-call, every ${FAULT_EVERY}th createCall answered 429 (Retry-After: 0)`,
      send: toNode,
      // one 429 for the next createCall, which is this alarm's
      before: async (turn) => {
        if (turn % FAULT_EVERY === FAULT_EVERY - 1) {
          await control.post('faults', {
            endpoint: 'rtc/createCall',
            type: 'status',
            status: 429,
            retryAfter: 0,
          });
        }
      },
      alarms: [],
    },
  ];

  let next = 0;
  // warm up both paths (the package's login, sockets, JIT); not paced, not kept
  for (let turn = 0; turn < WARM_UP; turn++) {
    for (const contestant of contestants.slice(0, 2)) await alarm(sim, contestant, next++);
  }
  // one alarm a second, taking turns; nothing else in flight while an alarm is
  let tick = now();
  for (let turn = 0; turn < alarms; turn++) {
    for (const contestant of contestants) {
      await contestant.before?.(turn);
      tick += PACE_MS;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, tick - now())));
      contestant.alarms.push(await alarm(sim, contestant, next++));
    }
  }

  // every connection the simulator accepted, and every API request it received
  const stats = await sim.ask<{ connections: number; requests: Record<string, number> }>('stats');
  await helper.unload();
  sim.child.disconnect();
  await once(sim.child, 'exit');

  const rows = contestants.map(({ name, alarms: measured }) => {
    const toRequest = measured.map((a) => a.toRequest);
    const toOutput = measured.map((a) => a.toOutput);
    return {
      name,
      alarms: measured.length,
      requests: measured.reduce((sum, a) => sum + a.requests, 0),
      requestP50: round(percentile(toRequest, 0.5), 2),
      requestP99: round(percentile(toRequest, 0.99), 2),
      outputP50: round(percentile(toOutput, 0.5), 2),
      outputP99: round(percentile(toOutput, 0.99), 2),
    };
  });
  const [pkg, bare] = rows;
  const retried = contestants[2].alarms.filter((a) => a.requests > 1);
  return {
    rows,
    ratio: {
      requestP50: round(pkg.requestP50 / bare.requestP50, 2),
      requestP99: round(pkg.requestP99 / bare.requestP99, 2),
      outputP50: round(pkg.outputP50 / bare.outputP50, 2),
      outputP99: round(pkg.outputP99 / bare.outputP99, 2),
    },
    /** the alarms of the 429 turn that were answered 429 first */
    retried: {
      alarms: retried.length,
      outputP50: retried.length
        ? round(
            percentile(
              retried.map((a) => a.toOutput),
              0.5,
            ),
            1,
          )
        : NaN,
    },
    /** the simulator's: connections accepted (control API's included) and requests by endpoint */
    simulator: stats,
    clock: { offsetMs: round(clock.offsetMs, 3), rttMs: round(clock.rttMs, 3) },
    seconds: round((now() - started) / 1000, 0),
  };
}

if (require.main === module) {
  benchAlarmLatency().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
