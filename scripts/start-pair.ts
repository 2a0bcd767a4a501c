/**
 * `npm run start:pair`: shared state (high availability) to watch: the simulator, a redis-server
 * on loopback and two Node-RED instances with the same example flows, their server node pointed
 * at that Redis. Kill one and the other takes its escalations and followed calls over.
 * `npm run start:pair -- --quiet` (or XASSIST_QUIET=1): the example alarms fire only when clicked.
 * Environment: XASSIST_SIM_PORT (8090), NODE_RED_PORT (1880; the second instance on the next
 * port), XASSIST_REDIS_PORT (6390, not 6379: a system Redis may be there), XASSIST_USER_DIR
 * (.node-red; the instances use it with -a and -b), XASSIST_QUIET (unset).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import {
  ALARM_REPEAT_S,
  demoFlows,
  ESCALATION_REPEAT_S,
  NODE_RED_PORT,
  prepareUserDir,
  PROJECT,
  QUIET_ENV,
  quietMode,
  SIM_PORT,
  spawnNodeRed,
  startSimulator,
  USER_DIR,
  type FlowNode,
} from './start';

const REDIS_PORT = Number(process.env.XASSIST_REDIS_PORT ?? 6390);
/** short, so that a killed instance's escalations move within seconds (the node's default: 10) */
const LEASE_S = 5;

interface Instance {
  name: 'A' | 'B';
  port: number;
  userDir: string;
  child: ChildProcess & { stdout: Readable };
  started: boolean;
  exited: boolean;
}

/** The demo flows, every server node sharing its state in `redisUrl`. */
function pairFlows(simulatorUrl: string, redisUrl: string, quiet: boolean): FlowNode[] {
  return demoFlows(simulatorUrl, { quiet }).map((node) =>
    node.type === 'xassist-server' ? { ...node, redisUrl, redisLease: LEASE_S } : node,
  );
}

function checkRedisServer(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if ((probe.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    console.error(
      'npm run start:pair: redis-server is not on PATH; install it: sudo apt-get install redis-server',
    );
    process.exit(1);
  }
}

/** Each line of `from` onto `to`, after `prefix`: the instances' logs stay apart. */
function prefixLines(
  from: Readable,
  to: Writable,
  prefix: string,
  onLine?: (line: string) => void,
): void {
  let rest = '';
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      to.write(`${prefix}${line}\n`);
      onLine?.(line);
    }
  });
  from.on('end', () => {
    if (rest) to.write(`${prefix}${rest}\n`);
  });
}

/**
 * redis-server without persistence. Its own process group: Ctrl+C reaches it only through this
 * script, after both Node-REDs have handed their items back.
 */
function spawnRedis(): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
}

/** Resolved once Redis accepts connections; rejected with its output if it ends first. */
function redisReady(redis: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Ready to accept connections')) return;
      redis.stdout?.removeListener('data', collect);
      redis.stderr?.removeListener('data', collect);
      redis.removeListener('exit', failed);
      resolve();
    };
    const failed = () =>
      reject(
        new Error(
          `cannot start redis-server on port ${REDIS_PORT}; set XASSIST_REDIS_PORT\n${output.trim()}`,
        ),
      );
    redis.stdout?.on('data', collect);
    redis.stderr?.on('data', collect);
    redis.once('exit', failed);
  });
}

/** not ended yet */
const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

async function main(): Promise<void> {
  const quiet = quietMode(process.argv.slice(2), process.env);
  checkRedisServer();
  const { simulator, url: simulatorUrl } = await startSimulator(SIM_PORT);
  const redis = spawnRedis();
  const redisUrl = `redis://127.0.0.1:${REDIS_PORT}`;
  const instances: Instance[] = [];
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = code;
    const alive = instances.filter((instance) => !instance.exited);
    if (alive.length === 0) void finish();
    for (const instance of alive) instance.child.kill('SIGINT');
  };
  // Redis last: a Node-RED that stops hands its items back there
  const finish = async () => {
    if (running(redis)) {
      const ended = new Promise((resolve) => redis.once('exit', resolve));
      redis.kill('SIGTERM');
      await ended;
    }
    await simulator.close();
    process.exit();
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  process.on('SIGHUP', () => stop(0));
  // in their own process groups, the children are ended here whatever ends this script (but
  // a kill -9 of it)
  process.once('exit', () => {
    for (const child of [...instances.map((instance) => instance.child), redis]) {
      if (running(child)) child.kill('SIGTERM');
    }
  });

  // stopped meanwhile: finish() ends Redis, and this script
  await redisReady(redis).catch((err: unknown) => {
    if (!stopping) throw err;
  });
  if (stopping) return;
  const flows = pairFlows(simulatorUrl, redisUrl, quiet);
  const escalate = flows.find((node) => node.type === 'xassist-escalate');

  for (const [i, name] of (['A', 'B'] as const).entries()) {
    const port = NODE_RED_PORT + i;
    const userDir = `${USER_DIR}-${name.toLowerCase()}`;
    // written afresh each time: both instances must run the same flows, on this Redis
    prepareUserDir(userDir, port, () => flows, { replaceFlows: true });
    const child = spawnNodeRed(userDir, { stderr: 'pipe', detached: true });
    instances.push({ name, port, userDir, child, started: false, exited: false });
  }

  const announce = () => {
    const [a, b] = instances;
    const line = (instance: Instance) =>
      `http://127.0.0.1:${instance.port}/   (pid ${instance.child.pid}, ${path.relative(PROJECT, instance.userDir) || instance.userDir})`;
    const owners = escalate
      ? `\n  Which instance owns the escalation (host/pid/…):\n    redis-cli -p ${REDIS_PORT} hgetall 'xassist:{${escalate.id}}:escalations:owner'`
      : '';
    console.log(`
  Two Node-RED instances with the same flows, sharing their state in Redis:
  Node-RED A:        ${line(a)}
  Node-RED B:        ${line(b)}
  Redis:             ${redisUrl}   (lease ${LEASE_S} s; redis-cli -p ${REDIS_PORT} keys '*')
  xAssist simulator: ${simulatorUrl}   (user connector / connector-password)
  ${alarms(quiet)}
  Kill one (kill -9 <pid>, the pid is printed above) to see the other take its escalations over:
  its log says 'taken over'.${quiet ? " Quiet: click 'Fire an alarm' on the tab 'Escalate: call experts…' first." : ''}${owners}
  Ctrl+C stops all.
`);
  };

  for (const instance of instances) {
    const { name, child } = instance;
    const prefix = `${name} | `;
    // started: listening (a port in use ends it after its flows have started) and flows started
    const awaited = new Set(['Server now running at', 'Started flows']);
    prefixLines(child.stdout, process.stdout, prefix, (line) => {
      if (instance.started) return;
      for (const text of awaited) if (line.includes(text)) awaited.delete(text);
      if (awaited.size > 0) return;
      instance.started = true;
      if (instances.every((one) => one.started)) announce();
    });
    if (child.stderr) prefixLines(child.stderr, process.stderr, prefix);
    child.once('exit', (code, signal) => {
      instance.exited = true;
      const others = instances.filter((one) => !one.exited);
      if (others.length === 0) {
        if (!stopping) process.exitCode = code ?? 1;
        void finish();
        return;
      }
      if (stopping) return;
      if (!instance.started) {
        console.error(`npm run start:pair: Node-RED ${name} did not start; stopping`);
        stop(1);
        return;
      }
      const [other] = others;
      console.log(`
  Node-RED ${name} (pid ${child.pid}) ended (${signal ?? `exit code ${code}`}). ${other.name} takes its escalations
  and followed calls over: at its next beat if ${name} stopped and handed them back, else once
  their leases end (within ${LEASE_S} s and a beat): ${other.name}'s log says 'taken over' for each escalation.
  Ctrl+C stops the rest.
`);
    });
  }

  redis.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
    if (stopping) return;
    console.error(
      `npm run start:pair: redis-server ended (${signal ?? `exit code ${code}`}); stopping`,
    );
    stop(1);
  });
}

/** The banner's word on the alarms, and how to start the other way. */
function alarms(quiet: boolean): string {
  return quiet
    ? `Quiet: the example alarms fire only when you click an inject node's button, in either editor.
  Without --quiet (and ${QUIET_ENV} unset or 0) both fire them by themselves, every ${ALARM_REPEAT_S} s.`
    : `Both fire the example alarms 3 s after start, then every ${ALARM_REPEAT_S} s (the escalations every ${ESCALATION_REPEAT_S} s);
  each example's dedup key makes one call or escalation per alarm between the two, owned by one
  of them (the other's create-call node says 'repeat: same call').
  To start quiet, the alarms firing only when clicked: npm run start:pair -- --quiet (or ${QUIET_ENV}=1).`;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`npm run start:pair: ${(err as Error).message}`);
    process.exit(1);
  });
}
