/**
 * Shared state (two Node-RED instances on one Redis), measured on real processes: two Node-RED
 * processes running the same flows, a real redis-server, and the simulator in this process.
 *
 * - Takeover after kill -9: an escalation owned by instance A (the one that got its alarm); A is
 *   killed in step 1; measured from the kill until instance B reads the step's call (B's first
 *   read of it: the escalation is B's and followed on), and until B logs "taken over".
 * - 10,000 followed calls at a 5 s interval, split over the two instances (call ids posted to
 *   them alternately), against one instance alone without Redis, and against a control of two
 *   instances without Redis (5,000 calls each: the cost of two processes, without Redis's):
 *   reads per instance, per call per interval, CPU and RSS of each process (from /proc), and
 *   Redis commands per read (INFO commandstats); then A is killed and the time until B reads
 *   A's 5,000 calls again.
 *
 * Which instance made a read is told by its xAssist user: A logs in as `connector`, B as
 * `tester`, and the simulator's read is counted for the user whose token it was given.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Simulator } from '../../src/sim';
import type { FlowNode } from '../../test/support/node-red';
import { freePort, NodeRedProcess, UserDir } from '../../test/support/node-red-process';
import { RedisServer } from '../../test/support/redis';
import { startCall, startSimulator } from '../../test/support/simulator';
import { buildFolder, builtFile, builtNode, PACKAGE_ROOT } from '../support/built';
import { processMeter } from '../support/process-usage';
import { percentile, round } from '../support/stats';

/** part 1: the lease, and how many kills */
const TAKEOVER_LEASE_S = 2;
const TAKEOVER_RUNS = Number(process.env.BENCH_TAKEOVER_RUNS ?? 10);
/** part 2: the calls, the read interval, the lease (the default), the measured window */
const CALLS = Number(process.env.BENCH_SHARED_CALLS ?? 10_000);
const INTERVAL_S = 5;
const FOLLOW_LEASE_S = 10;
const WINDOW_MS = 3 * INTERVAL_S * 1000;
/** alone, the control (two without Redis), then the pair, this many times: the mean is printed */
const ROUNDS = Number(process.env.BENCH_SHARED_ROUNDS ?? 2);
/** events added to random calls during the window: state changes, hence writes */
const EVENTS_PER_SECOND = 20;
/** the two instances' xAssist users: a read is told apart by the token it carries */
const USER_A = 'connector';
const USER_B = 'tester';
const credentialsOf = (userId: string) => ({
  server: { username: userId, password: `${userId}-password` },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 10 ms until it holds; throws after `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(10);
  }
}

// ---------------------------------------------------------------- processes, cleaned up always

/**
 * Everything started, stopped in reverse order however the bench ends: after an error, and on
 * Ctrl+C or a kill of the bench (then it exits).
 */
class Started {
  private readonly stops: Array<() => unknown> = [];
  private readonly onSignal = (signal: NodeJS.Signals) => {
    const exit = () => process.exit(signal === 'SIGINT' ? 130 : 143);
    setTimeout(exit, 20_000).unref();
    void this.stopAll().finally(exit);
  };

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  add(stop: () => unknown): void {
    this.stops.push(stop);
  }

  async stopAll(): Promise<void> {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    const stops = this.stops.splice(0).reverse();
    for (const stop of stops) {
      try {
        await stop();
      } catch (err) {
        console.error('bench cleanup:', err);
      }
    }
  }
}

/**
 * A copy of the built package (package.json and the build) that the Node-RED processes load: a
 * build started meanwhile elsewhere in the checkout (it empties the build folder first) cannot
 * break a Node-RED start in the middle of the bench. Its node_modules are the checkout's.
 */
function packageSnapshot(started: Started): string {
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'xassist-bench-package-'));
    started.add(() => rmSync(dir, { recursive: true, force: true }));
    copyFileSync(path.join(PACKAGE_ROOT, 'package.json'), path.join(dir, 'package.json'));
    cpSync(buildFolder(), buildFolder(dir), { recursive: true });
    symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    // whole: each node's module loads (a copy taken during a build would miss some)
    const modules = [
      ...['server', 'create-call', 'call-status', 'escalate'].map((name) => builtNode(name, dir)),
      builtFile('state/shared-state.js', dir),
    ];
    const probe = spawnSync(process.execPath, [
      '-e',
      `for (const file of ${JSON.stringify(modules)}) require(file);`,
    ]);
    if (probe.status === 0) return dir;
    if (attempt === 5) {
      const folder = path.relative(PACKAGE_ROOT, buildFolder());
      throw new Error(`no whole build in ${folder}/ (npm run build): ${probe.stderr}`);
    }
    execFileSync('sleep', ['2']);
  }
}

/**
 * A Node-RED process of its own user directory with the package snapshot installed, killed and
 * removed at the end. Killed at most once per start: NodeRedProcess.kill() of a process already
 * killed waits for an exit that never comes (a child killed by a signal keeps exitCode null).
 */
class Instance {
  readonly userDir = new UserDir(false);
  private readonly nodeRed = new NodeRedProcess(this.userDir);
  private running = false;

  constructor(started: Started, snapshot: string) {
    const scope = path.join(this.userDir.dir, 'node_modules', '@frontline-flows');
    mkdirSync(scope, { recursive: true });
    symlinkSync(snapshot, path.join(scope, 'node-red-xassist'), 'dir');
    writeFileSync(
      path.join(this.userDir.dir, 'package.json'),
      '{"name":"node-red-project","private":true}',
    );
    started.add(async () => {
      await this.kill();
      this.userDir.remove();
    });
  }

  get url(): string {
    return this.nodeRed.url;
  }

  get output(): string {
    return this.nodeRed.output;
  }

  get pid(): number {
    const pid = this.nodeRed.pid;
    if (!this.running || !pid) throw new Error('Node-RED is not running');
    return pid;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.nodeRed.start();
  }

  nextOutput(): Promise<void> {
    return this.nodeRed.nextOutput();
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.nodeRed.kill();
  }
}

// ---------------------------------------------------------------- the simulator's reads, by user

type ReadListener = (user: string, callId: string, at: number) => void;

/**
 * Every getCallLogById the simulator answers, with the user whose token it carried: the simulator
 * checks the token (tokens.userOf) and answers the read in one synchronous run, so the user last
 * looked up is the reader.
 */
class ReadsByUser {
  private lastUser = '?';
  private readonly listeners = new Set<ReadListener>();

  constructor(sim: Simulator) {
    const userOf = sim.tokens.userOf.bind(sim.tokens);
    sim.tokens.userOf = (token, now) => {
      const user = userOf(token, now);
      this.lastUser = user ?? '?';
      return user;
    };
    sim.on('read', (callId) => {
      const at = performance.now();
      for (const listener of this.listeners) listener(this.lastUser, callId, at);
    });
  }

  listen(listener: ReadListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the time of the first read for which `matches` holds; rejects after `ms`. */
  first(matches: (user: string, callId: string) => boolean, ms: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`no matching read within ${ms} ms`));
      }, ms);
      const stop = this.listen((user, callId, at) => {
        if (!matches(user, callId)) return;
        clearTimeout(timer);
        stop();
        resolve(at);
      });
    });
  }
}

// ---------------------------------------------------------------- Redis

/** INFO commandstats: calls and µs by command; INFO stats: network bytes. */
async function redisCounters(redis: Redis) {
  const commands = new Map<string, { calls: number; usec: number }>();
  for (const match of (await redis.info('commandstats')).matchAll(
    /^cmdstat_(\S+?):calls=(\d+),usec=(\d+)/gm,
  )) {
    commands.set(match[1], { calls: Number(match[2]), usec: Number(match[3]) });
  }
  const stats = await redis.info('stats');
  const bytes = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
  return {
    commands,
    netBytes: bytes('total_net_input_bytes') + bytes('total_net_output_bytes'),
  };
}

type RedisCounters = Awaited<ReturnType<typeof redisCounters>>;

/**
 * What Redis did between two counters, leaving out the INFO commands that read them: commands
 * (those the scripts run included), EVALSHA calls, µs in scripts, network bytes.
 */
function redisDelta(before: RedisCounters, after: RedisCounters) {
  let calls = 0;
  let usec = 0;
  const byName: Array<[string, number]> = [];
  for (const [name, now] of after.commands) {
    if (name === 'info') continue;
    const then = before.commands.get(name) ?? { calls: 0, usec: 0 };
    calls += now.calls - then.calls;
    // a script's time includes that of the commands it runs, which are counted too: the time is
    // the scripts' (the instances send nothing else)
    if (name === 'evalsha' || name === 'eval') usec += now.usec - then.usec;
    byName.push([name, now.calls - then.calls]);
  }
  const evalsha =
    (after.commands.get('evalsha')?.calls ?? 0) - (before.commands.get('evalsha')?.calls ?? 0);
  const top = byName
    .filter(([, count]) => count > 0)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 8);
  return { calls, usec, evalsha, netBytes: after.netBytes - before.netBytes, top };
}

// ---------------------------------------------------------------- flows

function serverNode(simUrl: string, redis?: { url: string; prefix: string; leaseS: number }) {
  return {
    id: 'server',
    type: 'xassist-server',
    url: simUrl,
    domain: 'ubimax',
    timeout: 5,
    ...(redis && { redisUrl: redis.url, redisPrefix: redis.prefix, redisLease: redis.leaseS }),
  };
}

/**
 * POST /alarm {machine} → escalate: expert3 (never answers), then expert2; 60 s each.
 * POST /alarm {machine, stop: true} stops it (as msg.stop).
 */
function escalateFlow(simUrl: string, redisUrl: string): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label: 'escalate' },
    serverNode(simUrl, { url: redisUrl, prefix: 'bench-takeover:', leaseS: TAKEOVER_LEASE_S }),
    {
      id: 'in',
      type: 'http in',
      z: 'tab',
      url: '/alarm',
      method: 'post',
      x: 100,
      y: 100,
      wires: [['stop', 'ok']],
    },
    {
      id: 'stop',
      type: 'change',
      z: 'tab',
      rules: [{ t: 'set', p: 'stop', pt: 'msg', to: 'payload.stop', tot: 'msg' }],
      x: 200,
      y: 100,
      wires: [['escalate']],
    },
    { id: 'ok', type: 'http response', z: 'tab', statusCode: '200', x: 300, y: 40, wires: [] },
    {
      id: 'escalate',
      type: 'xassist-escalate',
      z: 'tab',
      server: 'server',
      steps: [
        { v: 'expert3', vt: 'str', timeout: 60 },
        { v: 'expert2', vt: 'str', timeout: 60 },
      ],
      timeout: 60,
      rounds: 1,
      dedupKey: 'payload.machine',
      dedupKeyType: 'msg',
      pollInterval: INTERVAL_S,
      x: 300,
      y: 100,
      wires: [[], [], []],
    },
  ];
}

/** POST /follow {callIds: […]} → one message per call id → call-status, every 5 s. */
function followFlow(simUrl: string, redisUrl?: string): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label: 'follow' },
    serverNode(
      simUrl,
      redisUrl ? { url: redisUrl, prefix: 'bench-follow:', leaseS: FOLLOW_LEASE_S } : undefined,
    ),
    {
      id: 'in',
      type: 'http in',
      z: 'tab',
      url: '/follow',
      method: 'post',
      x: 100,
      y: 100,
      wires: [['split', 'ok']],
    },
    { id: 'ok', type: 'http response', z: 'tab', statusCode: '200', x: 300, y: 40, wires: [] },
    {
      id: 'split',
      type: 'function',
      z: 'tab',
      func: 'return [msg.payload.callIds.map((callId) => ({ callId }))];',
      outputs: 1,
      x: 250,
      y: 100,
      wires: [['follow']],
    },
    {
      id: 'follow',
      type: 'xassist-call-status',
      z: 'tab',
      server: 'server',
      pollInterval: INTERVAL_S,
      skipHistory: true,
      x: 400,
      y: 100,
      wires: [[], [], [], []],
    },
  ];
}

async function post(nodeRed: Instance, path: string, body: unknown): Promise<void> {
  const answer = await fetch(`${nodeRed.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  await answer.arrayBuffer();
  if (!answer.ok) throw new Error(`POST ${path}: ${answer.status}`);
}

async function untilOutput(nodeRed: Instance, text: string, from = 0): Promise<number> {
  while (!nodeRed.output.slice(from).includes(text)) await nodeRed.nextOutput();
  return performance.now();
}

const connected = (nodeRed: Instance, from: number) =>
  untilOutput(nodeRed, 'shared state: connected to Redis', from);

// ---------------------------------------------------------------- 1. takeover after kill -9

/** What every part uses: started all at once, stopped at the end. */
interface Bench {
  started: Started;
  /** the package the Node-RED processes load */
  snapshot: string;
  sim: Simulator;
  reads: ReadsByUser;
  /** this bench's own connection to the Redis the instances share */
  redis: Redis;
  redisUrl: string;
}

async function takeover({ started, snapshot, sim, reads, redis, redisUrl }: Bench) {
  const [a, b] = [new Instance(started, snapshot), new Instance(started, snapshot)];
  a.userDir.write(escalateFlow(sim.tenantUrl, redisUrl), credentialsOf(USER_A), await freePort());
  b.userDir.write(escalateFlow(sim.tenantUrl, redisUrl), credentialsOf(USER_B), await freePort());
  await Promise.all([a.start(), b.start()]);
  await Promise.all([connected(a, 0), connected(b, 0)]);

  const firstRead: number[] = [];
  const loggedTakeover: number[] = [];
  let extraCalls = 0;
  for (let run = 0; run < TAKEOVER_RUNS; run++) {
    if (run > 0) {
      const from = a.output.length;
      await a.start();
      await connected(a, from);
    }
    const machine = `line-${run}`;
    const created = new Promise<string>((resolve) => {
      const onEvent = (callId: string, event: { type: string }) => {
        if (event.type !== 'Created') return;
        sim.off('event', onEvent);
        resolve(callId);
      };
      sim.on('event', onEvent);
    });
    await post(a, 'alarm', { machine });
    const callId = await created;
    // killed once Redis has step 1's call: what B takes over knows it
    const itemKey = 'bench-takeover:{escalate}:escalations:items';
    await until('step 1 in Redis', async () =>
      Boolean((await redis.hget(itemKey, machine))?.includes(callId)),
    );
    // a little into A's beat, wherever it stands: the kill falls anywhere in it
    await sleep(Math.random() * ((TAKEOVER_LEASE_S * 1000) / 3));

    const createdBefore = sim.count('rtc/createCall');
    const logFrom = b.output.length;
    const readByB = reads.first((user, id) => user === USER_B && id === callId, 30_000);
    const logged = untilOutput(b, `escalation '${machine}' taken over`, logFrom);
    const killedAt = performance.now();
    await a.kill();
    firstRead.push((await readByB) - killedAt);
    loggedTakeover.push((await logged) - killedAt);
    extraCalls += sim.count('rtc/createCall') - createdBefore;
    // B stops it (and Redis forgets it): the next run starts clean
    await post(b, 'alarm', { machine, stop: true });
    await until('the stop', async () => (await redis.hget(itemKey, machine)) === null);
    sim.calls.end(callId);
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
    logged: ms(loggedTakeover),
    firstRead: ms(firstRead),
    extraCalls,
  };
}

// ---------------------------------------------------------------- 2-4. 10,000 followed calls

interface Window {
  /** reads by user */
  byUser: Map<string, number>;
  /** per call: reads, the users that read it, the last read, the shortest gap between two */
  perCall: Map<string, { reads: number; users: Set<string>; last: number; minGap: number }>;
  seconds: number;
}

/** Counts the reads of the next `ms`. */
async function readWindow(reads: ReadsByUser, ms: number): Promise<Window> {
  const window: Window = { byUser: new Map(), perCall: new Map(), seconds: 0 };
  const start = performance.now();
  const stop = reads.listen((user, callId, at) => {
    window.byUser.set(user, (window.byUser.get(user) ?? 0) + 1);
    const call = window.perCall.get(callId);
    if (!call) {
      window.perCall.set(callId, { reads: 1, users: new Set([user]), last: at, minGap: Infinity });
      return;
    }
    call.reads += 1;
    call.users.add(user);
    call.minGap = Math.min(call.minGap, at - call.last);
    call.last = at;
  });
  await sleep(ms);
  stop();
  window.seconds = (performance.now() - start) / 1000;
  return window;
}

/** Calls read twice within half an interval: more than one read per call per interval. */
function readTwice(window: Window): number {
  let count = 0;
  for (const call of window.perCall.values()) if (call.minGap < (INTERVAL_S * 1000) / 2) count += 1;
  return count;
}

/** An event added to a random call EVENTS_PER_SECOND (state changes: writes); returns a stop. */
function addEvents(sim: Simulator, callIds: string[]): () => void {
  const adder = setInterval(() => {
    sim.calls.addEvent(callIds[Math.floor(Math.random() * callIds.length)], 'Custom');
  }, 1000 / EVENTS_PER_SECOND);
  return () => clearInterval(adder);
}

/**
 * Posts the call ids in batches, and resolves once each has been read by the instance it was
 * posted to (or after a minute), with how many were not.
 */
async function followAll(
  reads: ReadsByUser,
  assignments: Array<{ nodeRed: Instance; user: string; callIds: string[] }>,
): Promise<number> {
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

/** One instance alone, without Redis, following every call. */
async function single({ started, snapshot, sim, reads }: Bench, callIds: string[]) {
  const s = new Instance(started, snapshot);
  s.userDir.write(followFlow(sim.tenantUrl), credentialsOf(USER_A), await freePort());
  await s.start();
  const unread = await followAll(reads, [{ nodeRed: s, user: USER_A, callIds }]);
  const stopEvents = addEvents(sim, callIds);
  // the first reads come at once; the grid of the interval takes over after one interval
  await sleep(INTERVAL_S * 1000 * 1.2);
  const meter = processMeter([s.pid]);
  const window = await readWindow(reads, WINDOW_MS);
  const measured = meter.end();
  stopEvents();
  await s.kill();
  const total = window.byUser.get(USER_A) ?? 0;
  return {
    reads: total,
    seconds: window.seconds,
    cpuPercent: measured.cpuPercent[0],
    rssMb: measured.rssMb[0],
    unread,
    readTwice: readTwice(window),
  };
}

/**
 * Two instances, the call ids posted to them alternately: on one Redis (`shared`), or each alone
 * without Redis (the cost of splitting the work in two, without Redis's). With `thenKill`, A is
 * killed after the window, and the time until B reads each of A's calls again measured.
 */
async function pair(
  { started, snapshot, sim, reads, redis, redisUrl }: Bench,
  callIds: string[],
  { shared, thenKill }: { shared: boolean; thenKill: boolean },
) {
  const redisPid = Number(/^process_id:(\d+)/m.exec(await redis.info('server'))?.[1]);
  await redis.flushall();
  const [a, b] = [new Instance(started, snapshot), new Instance(started, snapshot)];
  const flow = followFlow(sim.tenantUrl, shared ? redisUrl : undefined);
  a.userDir.write(flow, credentialsOf(USER_A), await freePort());
  b.userDir.write(flow, credentialsOf(USER_B), await freePort());
  await Promise.all([a.start(), b.start()]);
  if (shared) await Promise.all([connected(a, 0), connected(b, 0)]);
  const ofA = callIds.filter((_, i) => i % 2 === 0);
  const ofB = callIds.filter((_, i) => i % 2 === 1);
  const unread = await followAll(reads, [
    { nodeRed: a, user: USER_A, callIds: ofA },
    { nodeRed: b, user: USER_B, callIds: ofB },
  ]);
  const stopEvents = addEvents(sim, callIds);
  await sleep(INTERVAL_S * 1000 * 1.2);

  const pids = [a.pid, b.pid, redisPid];
  const redisBefore = await redisCounters(redis);
  const meter = processMeter(pids);
  const window = await readWindow(reads, WINDOW_MS);
  const { cpuPercent, rssMb } = meter.end();
  const redisAfter = await redisCounters(redis);
  stopEvents();
  let readByBoth = 0;
  let readByOther = 0;
  const owner = new Map<string, string>();
  for (const id of ofA) owner.set(id, USER_A);
  for (const id of ofB) owner.set(id, USER_B);
  for (const [callId, call] of window.perCall) {
    if (call.users.size > 1) readByBoth += 1;
    if (![...call.users].every((user) => user === owner.get(callId))) readByOther += 1;
  }
  const measured = {
    reads: [window.byUser.get(USER_A) ?? 0, window.byUser.get(USER_B) ?? 0],
    unattributed: window.byUser.get('?') ?? 0,
    unread,
    seconds: window.seconds,
    cpuPercent,
    rssMb,
    readByBoth,
    readByOther,
    readTwice: readTwice(window),
    redis: redisDelta(redisBefore, redisAfter),
  };
  if (!shared || !thenKill) {
    await Promise.all([a.kill(), b.kill()]);
    return { ...measured, takeover: undefined };
  }

  // A dies: how long until B reads each of A's calls again
  const firstByB = new Map<string, number>();
  const aCalls = new Set(ofA);
  let allBack: () => void = () => undefined;
  const back = new Promise<void>((resolve) => (allBack = resolve));
  const stop = reads.listen((user, callId, at) => {
    if (user !== USER_B || !aCalls.has(callId) || firstByB.has(callId)) return;
    firstByB.set(callId, at);
    if (firstByB.size === aCalls.size) allBack();
  });
  const killedAt = performance.now();
  await a.kill();
  const timeout = setTimeout(allBack, FOLLOW_LEASE_S * 1000 * 6);
  await back;
  clearTimeout(timeout);
  stop();
  await b.kill();
  const backAfter = [...firstByB.values()].map((at) => at - killedAt);
  return {
    ...measured,
    takeover: {
      calls: aCalls.size,
      readAgain: firstByB.size,
      first: Math.min(...backAfter),
      p50: percentile(backAfter, 0.5),
      p90: percentile(backAfter, 0.9),
      max: Math.max(...backAfter),
    },
  };
}

// ---------------------------------------------------------------- all of it

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

export async function benchSharedState() {
  const started = new Started();
  try {
    const redisServer = new RedisServer();
    started.add(() => redisServer.stop());
    await redisServer.start();
    const redis = new Redis(redisServer.url, { lazyConnect: true });
    started.add(() => redis.disconnect());
    await redis.connect();
    const sim = await startSimulator();
    started.add(() => sim.close());
    const bench: Bench = {
      started,
      snapshot: packageSnapshot(started),
      sim,
      reads: new ReadsByUser(sim),
      redis,
      redisUrl: redisServer.url,
    };

    const takeoverResult = await takeover(bench);

    const callIds = Array.from({ length: CALLS }, () => startCall(sim, ['expert1']).callId);
    // alone and shared interleaved, so that the machine's noise falls on both alike
    const alone: Array<Awaited<ReturnType<typeof single>>> = [];
    const apart: Array<Awaited<ReturnType<typeof pair>>> = [];
    const shared: Array<Awaited<ReturnType<typeof pair>>> = [];
    for (let round = 0; round < ROUNDS; round++) {
      alone.push(await single(bench, callIds));
      apart.push(await pair(bench, callIds, { shared: false, thenKill: false }));
      const thenKill = round === ROUNDS - 1;
      shared.push(await pair(bench, callIds, { shared: true, thenKill }));
    }
    return { takeover: takeoverResult, follow: summary(alone, apart, shared) };
  } finally {
    await started.stopAll();
  }
}

function summary(
  alone: Array<Awaited<ReturnType<typeof single>>>,
  apart: Array<Awaited<ReturnType<typeof pair>>>,
  shared: Array<Awaited<ReturnType<typeof pair>>>,
) {
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

export type SharedStateResult = Awaited<ReturnType<typeof benchSharedState>>;

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

if (require.main === module) {
  benchSharedState()
    .then((result) => {
      console.log(sharedStateLines(result).join('\n'));
      console.log(JSON.stringify(result));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
