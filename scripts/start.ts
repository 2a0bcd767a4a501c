/**
 * `npm start`: the simulator and a Node-RED with this package and the example flows, so that a
 * fresh clone shows calls being created and their events arriving, without an account.
 * `npm start -- --quiet` (or XASSIST_QUIET=1): the example alarms fire only when clicked.
 * Environment: XASSIST_SIM_PORT (8090), NODE_RED_PORT (1880), XASSIST_USER_DIR (.node-red),
 * XASSIST_QUIET (unset).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { Simulator } from '../src/sim';

export type FlowNode = { id: string; type: string; [property: string]: unknown };

export const PROJECT = path.resolve(__dirname, '..');
export const SIM_PORT = Number(process.env.XASSIST_SIM_PORT ?? 8090);
export const NODE_RED_PORT = Number(process.env.NODE_RED_PORT ?? 1880);
/** `npm run start:pair` puts its two user directories beside it, with -a and -b */
export const USER_DIR = path.resolve(
  process.env.XASSIST_USER_DIR ?? path.join(PROJECT, '.node-red'),
);
const DEMO_CREDENTIALS = { username: 'connector', password: 'connector-password' };
/**
 * How often the alarms fire by themselves, after the first 3 s after start. Not 30 s: a divisor
 * of the simulator's 60 s calls would fire just as the call it repeats ends, and whether that
 * alarm calls anew or repeats the ending call would be a race.
 */
export const ALARM_REPEAT_S = 40;
/**
 * An escalation runs until its joined call ends: in the simulator 15 s unanswered, then the next
 * expert's call, which lasts 60 s. Fired again sooner, the escalate node would drop the alarm
 * (same dedup key) and the escalation example would run two side by side; every 90 s each alarm
 * starts once the last one's calls have ended.
 */
export const ESCALATION_REPEAT_S = 90;

/** FlowFuse Dashboard 2.0: the andon board example's nodes (`ui-…`), a devDependency */
export const DASHBOARD = '@flowfuse/node-red-dashboard';

/** whether the project's node_modules has the dashboard, to link into Node-RED's */
export function dashboardInstalled(): boolean {
  return existsSync(path.join(PROJECT, 'node_modules', DASHBOARD, 'package.json'));
}

/** the environment variable of `--quiet`: XASSIST_QUIET=1 starts quiet, as `--quiet` does */
export const QUIET_ENV = 'XASSIST_QUIET';

/**
 * Whether to start quiet, from the script's arguments (`npm start -- --quiet`) and environment
 * (XASSIST_QUIET=1; 0 or unset: not). Throws for an option or a value it does not know.
 */
export function quietMode(args: string[], env: NodeJS.ProcessEnv): boolean {
  let quiet: boolean | undefined;
  try {
    ({ quiet } = parseArgs({ args, options: { quiet: { type: 'boolean' } } }).values);
  } catch {
    throw new Error(`'${args.join(' ')}': the one option is --quiet (or ${QUIET_ENV}=1)`);
  }
  if (quiet) return true;
  const value = (env[QUIET_ENV] ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no'].includes(value)) return false;
  if (['1', 'true', 'yes'].includes(value)) return true;
  throw new Error(`${QUIET_ENV} is '${env[QUIET_ENV]}': give 1 (quiet) or 0`);
}

/**
 * The example flows as one deployment: one server node for all, the alarms fired by themselves.
 * `dashboard`: with the examples that need FlowFuse Dashboard 2.0 (the andon board); without it,
 * Node-RED would wait for their node types and start no flow at all. `quiet`: the inject nodes
 * as the examples ship them, the alarms fired only by a click.
 */
export function demoFlows(
  simulatorUrl: string,
  { dashboard = false, quiet = false }: { dashboard?: boolean; quiet?: boolean } = {},
): FlowNode[] {
  const examples = uniqueById(
    readExamples().filter((example) => dashboard || !usesDashboard(example)),
  );
  const escalating = escalatingTabs(examples);
  const alarms = alarmIds(examples);
  return examples.map((node) => {
    if (node.type === 'xassist-server') return { ...node, url: simulatorUrl };
    // the demo shows something without a click; a cancel stays a button to click; an inject
    // that repeats by itself (the board's refresh) stays as it is, quiet or not
    if (!quiet && alarms.has(node.id)) {
      const repeatS = escalating.has(String(node.z)) ? ESCALATION_REPEAT_S : ALARM_REPEAT_S;
      return { ...node, once: true, onceDelay: 3, repeat: String(repeatS) };
    }
    return node;
  });
}

/**
 * How the example alarms in `flows` fire: by themselves, only when clicked, or `undefined` when
 * `flows` has none of them (flows of the user's own).
 */
export function alarmsIn(flows: FlowNode[]): 'firing' | 'quiet' | undefined {
  const alarms = alarmIds(readExamples().flat());
  const found = flows.filter((node) => node.type === 'inject' && alarms.has(node.id));
  if (found.length === 0) return undefined;
  return found.some((node) => node.once === true || Boolean(node.repeat)) ? 'firing' : 'quiet';
}

/** the nodes that make calls */
const CALL_MAKERS = new Set(['xassist-create-call', 'xassist-escalate']);

/**
 * The ids of the examples' injects that fire an alarm: those whose messages reach a node that
 * makes calls; not a cancel, not one that repeats by itself. The duty schedule's buttons (ask,
 * replace, reset) call no one: fired together every few seconds, which schedule is in force
 * would be a race.
 */
function alarmIds(nodes: FlowNode[]): Set<string> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const next = (node: FlowNode) =>
    ((node.wires ?? []) as string[][]).flat().flatMap((id) => byId.get(id) ?? []);
  const makesCalls = (inject: FlowNode) => {
    const seen = new Set<string>();
    const queue = next(inject);
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (CALL_MAKERS.has(node.type)) return true;
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      queue.push(...next(node));
    }
    return false;
  };
  return new Set(
    nodes
      .filter(
        (node) => node.type === 'inject' && !sendsStop(node) && !node.repeat && makesCalls(node),
      )
      .map((node) => node.id),
  );
}

/** each example file's nodes, in file order */
function readExamples(): FlowNode[][] {
  return readdirSync(path.join(PROJECT, 'examples'))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map(
      (file) =>
        JSON.parse(readFileSync(path.join(PROJECT, 'examples', file), 'utf8')) as FlowNode[],
    );
}

function usesDashboard(example: FlowNode[]): boolean {
  return example.some((node) => node.type.startsWith('ui-'));
}

/** The examples share their server config node: it is deployed once. */
function uniqueById(examples: FlowNode[][]): FlowNode[] {
  const seen = new Set<string>();
  return examples.flat().filter((node) => {
    if (seen.has(node.id)) return false;
    seen.add(node.id);
    return true;
  });
}

/** the tabs that escalate: with an escalate node, or a call-status node with a join timeout */
function escalatingTabs(nodes: FlowNode[]): Set<string> {
  const escalates = (node: FlowNode) =>
    node.type === 'xassist-escalate' ||
    (node.type === 'xassist-call-status' && Number(node.joinTimeout) > 0);
  return new Set(nodes.filter(escalates).map((node) => String(node.z)));
}

function sendsStop(inject: FlowNode): boolean {
  const props = Array.isArray(inject.props) ? (inject.props as Array<{ p?: string }>) : [];
  return props.some((prop) => prop.p === 'stop');
}

export function demoCredentials(flows: FlowNode[]): Record<string, typeof DEMO_CREDENTIALS> {
  return Object.fromEntries(
    flows
      .filter((node) => node.type === 'xassist-server')
      .map((server) => [server.id, DEMO_CREDENTIALS]),
  );
}

/**
 * A Node-RED user directory with this package linked in (and FlowFuse Dashboard 2.0, when it is
 * installed), a settings.js for `port` and, unless it has flows already (what the user changed in
 * the editor is kept; delete flows.json to get the examples back) or `replaceFlows` is set,
 * `flows()` with the demo credentials. Returns whether it wrote `flows()`.
 */
export function prepareUserDir(
  userDir: string,
  port: number,
  flows: () => FlowNode[],
  { replaceFlows = false }: { replaceFlows?: boolean } = {},
): boolean {
  const scope = path.join(userDir, 'node_modules', '@frontline-flows');
  mkdirSync(scope, { recursive: true });
  const link = path.join(scope, 'node-red-xassist');
  if (!existsSync(link)) symlinkSync(PROJECT, link, 'dir');
  // Node-RED finds nodes in <userDir>/node_modules; the dashboard's own dependencies resolve from
  // where the link points, the project's node_modules
  if (dashboardInstalled()) linkDashboard(userDir);
  writeFileSync(path.join(userDir, 'package.json'), '{"name":"xassist-demo","private":true}\n');
  writeFileSync(
    path.join(userDir, 'settings.js'),
    `module.exports = ${JSON.stringify(
      {
        uiPort: port,
        uiHost: '127.0.0.1',
        flowFile: 'flows.json',
        // a demo directory with the simulator's public demo password only; and so `npm run
        // start:pair`'s two instances read the same credentials
        credentialSecret: false,
        contextStorage: { default: { module: 'localfilesystem' } },
        telemetry: { enabled: false },
        editorTheme: { tours: false },
      },
      null,
      2,
    )};\n`,
  );
  const flowFile = path.join(userDir, 'flows.json');
  if (!replaceFlows && existsSync(flowFile)) return false;
  const deployed = flows();
  writeFileSync(flowFile, JSON.stringify(deployed, null, 2));
  writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(demoCredentials(deployed)));
  return true;
}

/** Links the project's FlowFuse Dashboard 2.0 into `userDir`'s node_modules. */
export function linkDashboard(userDir: string): void {
  const link = path.join(userDir, 'node_modules', DASHBOARD);
  mkdirSync(path.dirname(link), { recursive: true });
  if (!existsSync(link)) symlinkSync(path.join(PROJECT, 'node_modules', DASHBOARD), link, 'dir');
}

/** calls seeded over the last 24 h, so that a call history shows a day on first start */
export const HISTORY_CALLS = 150;

/**
 * The simulator as the demo plays it: a day of ended calls, then experts join new calls after
 * 5 s, the first of them shares a snapshot 2 s later, and the calls end after 60 s.
 */
export async function startSimulator(port: number): Promise<{ simulator: Simulator; url: string }> {
  const simulator = new Simulator({
    port,
    autoplay: { joinAfterMs: 5_000, shareAfterMs: 2_000, endAfterMs: 60_000 },
    history: { calls: HISTORY_CALLS, spanMs: 24 * 3600_000, endAt: Date.now() },
  });
  const url = await simulator.listen().catch((err: Error) => {
    throw new Error(
      `cannot start the simulator on port ${port} (${err.message}); set XASSIST_SIM_PORT`,
    );
  });
  return { simulator, url };
}

/** Node-RED on a user directory made by prepareUserDir; its output is piped. */
export function spawnNodeRed(
  userDir: string,
  options: { stderr: 'inherit' | 'pipe'; detached?: boolean },
): ChildProcess & { stdout: Readable } {
  const child = spawn(
    process.execPath,
    [
      require.resolve('node-red/red.js'),
      '--userDir',
      userDir,
      '--settings',
      path.join(userDir, 'settings.js'),
    ],
    {
      cwd: userDir,
      stdio: ['ignore', 'pipe', options.stderr],
      detached: options.detached ?? false,
    },
  );
  return child as ChildProcess & { stdout: Readable };
}

async function main(): Promise<void> {
  const quiet = quietMode(process.argv.slice(2), process.env);
  const { simulator, url: simulatorUrl } = await startSimulator(SIM_PORT);
  const dashboard = dashboardInstalled();
  const fresh = prepareUserDir(USER_DIR, NODE_RED_PORT, () =>
    demoFlows(simulatorUrl, { dashboard, quiet }),
  );
  const alarms = fresh ? undefined : keptAlarms(USER_DIR);
  const nodeRed = spawnNodeRed(USER_DIR, { stderr: 'inherit' });
  let announced = false;
  nodeRed.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && chunk.toString().includes('Started flows')) {
      announced = true;
      console.log(`
  Node-RED editor:   http://127.0.0.1:${NODE_RED_PORT}/   (open the debug sidebar)
  ${board(dashboard)}
  xAssist simulator: ${simulatorUrl}   (user connector / connector-password)
  ${fresh ? alarmLines('npm start', quiet) : keptLines(USER_DIR, alarms)}
  Experts join after 5 s, calls end after 60 s, expert3 never answers (the escalation
  examples). The simulator starts with ${HISTORY_CALLS} calls of the last 24 h.
  Ctrl+C stops both.
`);
    }
  });
  const stop = () => {
    nodeRed.kill('SIGINT');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  nodeRed.once('exit', (code) => {
    void simulator.close().then(() => process.exit(code ?? 0));
  });
}

/**
 * The banner's word on the alarms, and how to start the other way: `script` is how it was
 * started (`npm start`, `npm run start:pair`).
 */
export function alarmLines(script: 'npm start' | 'npm run start:pair', quiet: boolean): string {
  return quiet
    ? `Quiet: the example alarms fire only when you click an inject node's button.
  Without --quiet (and ${QUIET_ENV} unset or 0) they fire by themselves, every ${ALARM_REPEAT_S} s.`
    : `The example alarms fire 3 s after start, then every ${ALARM_REPEAT_S} s (the escalations every ${ESCALATION_REPEAT_S} s),
  or when you click an inject node's button.
  To start quiet, the alarms firing only when clicked: ${script} -- --quiet (or ${QUIET_ENV}=1).`;
}

/** the alarms of the flows kept in `userDir`, which a user may have changed in the editor */
function keptAlarms(userDir: string): ReturnType<typeof alarmsIn> {
  try {
    const kept = JSON.parse(readFileSync(path.join(userDir, 'flows.json'), 'utf8')) as unknown;
    return Array.isArray(kept) ? alarmsIn(kept as FlowNode[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The banner's word on flows kept from an earlier run: --quiet does not change them. */
function keptLines(userDir: string, alarms: ReturnType<typeof alarmsIn>): string {
  const relative = path.relative(PROJECT, userDir);
  const flowFile = path.join(
    relative && !relative.startsWith('..') ? relative : userDir,
    'flows.json',
  );
  const how = {
    firing: 'its example alarms fire by themselves',
    quiet: "its example alarms fire only when you click an inject node's button",
    none: 'it has none of the example alarms',
  }[alarms ?? 'none'];
  return `The flows of an earlier run are kept (${flowFile}, as you left it):
  ${how}.
  To deploy the examples afresh (firing by themselves, or quiet with --quiet or ${QUIET_ENV}=1),
  delete ${flowFile} and start again.`;
}

function board(dashboard: boolean): string {
  return dashboard
    ? `Andon board:       http://127.0.0.1:${NODE_RED_PORT}/dashboard   (FlowFuse Dashboard 2.0)`
    : `Andon board:       not deployed: it needs ${DASHBOARD} (npm install)`;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`npm start: ${(err as Error).message}`);
    process.exit(1);
  });
}
