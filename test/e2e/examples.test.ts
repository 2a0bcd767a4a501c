import path from 'node:path';
import { EventEmitter, once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import should from 'should';
import WebSocket from 'ws';
import { onDutyAt } from '../../src/duty/on-duty';
import { dutyScheduleOf } from '../../src/duty/schedule';
import type { Simulator } from '../../src/sim';
import { demoFlows, linkDashboard } from '../../scripts/start';
import { launchChromium, openEditor } from '../support/browser';
import type { FlowNode } from '../support/node-red';
import { freePort, NodeRedProcess, UserDir } from '../support/node-red-process';
import { NodeRedRig } from '../support/node-red-rig';
import { CONNECTOR } from '../support/simulator';

const EXAMPLES = readdirSync('examples').filter((file) => file.endsWith('.json'));
const FLOW_TYPES = new Set(['tab', 'group', 'subflow']);

function readExample(file: string): FlowNode[] {
  return JSON.parse(readFileSync(`examples/${file}`, 'utf8')) as FlowNode[];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- RED is the editor's global */
declare const RED: any;

/** the xassist nodes that have no server setting */
const NO_SERVER = new Set(['xassist-server', 'xassist-duty']);

/** the nodes that make calls */
const CALL_MAKERS = new Set(['xassist-create-call', 'xassist-escalate']);

/** an inject node that fires by itself: once after the deploy, or every so often */
function firesBySelf(node: FlowNode): boolean {
  return node.type === 'inject' && (node.once === true || Boolean(node.repeat));
}

/** The message an inject node sends: its payload, topic and other properties. */
function injected(inject: FlowNode): Record<string, unknown> {
  const msg: Record<string, unknown> = {};
  for (const { p, v, vt } of inject.props as Array<{ p: string; v?: string; vt?: string }>) {
    if (p === 'payload')
      msg.payload =
        inject.payloadType === 'json' ? JSON.parse(String(inject.payload)) : inject.payload;
    else if (p === 'topic') msg.topic = inject.topic;
    else msg[p] = vt === 'bool' ? v === 'true' : v;
  }
  return msg;
}

/**
 * The call-making nodes an inject's message reaches, through any nodes, each with whether the
 * nodes before it keep the alarm's `msg.payload` and `msg.topic` (create-call and call-status
 * nodes with their `property` set to another name; any other node may change them).
 */
function callMakersFedBy(
  inject: FlowNode,
  flows: FlowNode[],
): Array<{ node: FlowNode; alarmKept: boolean }> {
  const byId = new Map(flows.map((node) => [node.id, node]));
  const keeps = (node: FlowNode) =>
    ['xassist-create-call', 'xassist-call-status'].includes(node.type) &&
    typeof node.property === 'string' &&
    !['', 'payload'].includes(node.property);
  const found = new Map<string, { node: FlowNode; alarmKept: boolean }>();
  const seen = new Set<string>();
  const next = (node: FlowNode) =>
    ((node.wires ?? []) as string[][]).flat().flatMap((id) => byId.get(id) ?? []);
  const queue = next(inject).map((node) => ({ node, alarmKept: true }));
  while (queue.length > 0) {
    const { node, alarmKept } = queue.shift()!;
    // reached more than one way: each must keep the alarm
    if (CALL_MAKERS.has(node.type))
      found.set(node.id, { node, alarmKept: alarmKept && (found.get(node.id)?.alarmKept ?? true) });
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    for (const after of next(node))
      queue.push({ node: after, alarmKept: alarmKept && keeps(node) });
  }
  return [...found.values()];
}

describe('the example flows as npm start deploys them', function () {
  const loud = demoFlows('http://127.0.0.1:8090/acme/', { dashboard: true });
  const quiet = demoFlows('http://127.0.0.1:8090/acme/', { dashboard: true, quiet: true });

  // a node without one calls everyone once per instance in `npm run start:pair`, as an alarm
  // reaching both instances of a user's pair would
  it('give every call-making node that an inject fires by itself a dedup key that its alarm gives', function () {
    const fed = loud
      .filter(firesBySelf)
      .flatMap((inject) => callMakersFedBy(inject, loud).map((maker) => ({ inject, ...maker })));
    // every call-making node of the demo fires by itself: else the rest would check nothing
    should([...new Set(fed.map(({ node }) => node.id))].sort()).eql(
      loud
        .filter((node) => CALL_MAKERS.has(node.type))
        .map((node) => node.id)
        .sort(),
    );
    for (const { inject, node, alarmKept } of fed) {
      const which = `${node.id} (fired by ${inject.id})`;
      should(typeof node.dedupKey === 'string' && node.dedupKey !== '').be.true(which);
      if (node.dedupKeyType !== 'msg') continue;
      // a key read from msg: the inject's message has it, and it reaches the node unchanged
      should(alarmKept).be.true(which);
      const key = String(node.dedupKey)
        .split('.')
        .reduce<unknown>(
          (value, name) => (value as Record<string, unknown> | undefined)?.[name],
          injected(inject),
        );
      should((typeof key === 'string' && key !== '') || typeof key === 'number').be.true(
        `${which}: msg.${String(node.dedupKey)}`,
      );
    }
  });

  it('quiet: fire no inject by themselves that makes calls; the board still refreshes its history and asks who is on duty', function () {
    should(quiet.filter(firesBySelf).map((node) => node.id)).eql([
      'refresh-andon',
      'andon-duty-ask',
    ]);
    for (const inject of quiet.filter(firesBySelf))
      should(callMakersFedBy(inject, quiet)).be.empty();
    // the alarms as the examples ship them: a button to click
    const examples = EXAMPLES.flatMap(readExample);
    for (const inject of quiet.filter((node) => node.type === 'inject'))
      should(inject).eql(examples.find((node) => node.id === inject.id));
  });
});

describe('the example flows in a real Node-RED', function () {
  this.timeout(60_000);
  const rig = new NodeRedRig();
  let registered: Set<string>;

  before(async function () {
    await rig.start({
      flows: () => [],
      credentials: {},
      // the andon board example needs FlowFuse Dashboard 2.0 (a devDependency): installed here
      // as this package is, so that the board is deployed and checked like the others, not skipped
      prepare: (userDir) => linkDashboard(userDir.dir),
      // the file node of example 08 writes into the user directory, not the package's
      settings: { settingsCode: 'module.exports.fileWorkingDirectory = __dirname;' },
    });
    const sets = (await (
      await fetch(`${rig.nodeRed.url}nodes`, { headers: { Accept: 'application/json' } })
    ).json()) as Array<{
      types: string[];
    }>;
    registered = new Set(sets.flatMap((set) => set.types));
  });

  after(() => rig.close());

  /** as a user would after importing it: point the server at theirs and give the credentials */
  const asDeployed = (example: FlowNode[]) =>
    example.map((node) =>
      node.type === 'xassist-server'
        ? { ...node, url: rig.sim.tenantUrl, credentials: { ...CONNECTOR } }
        : node,
    );

  it('are eight, and between them use every node of this package', function () {
    should(EXAMPLES).have.length(8);
    const used = new Set(EXAMPLES.flatMap((file) => readExample(file).map((node) => node.type)));
    for (const type of [
      'xassist-server',
      'xassist-create-call',
      'xassist-call-status',
      'xassist-escalate',
      'xassist-call-history',
      'xassist-assets',
      'xassist-duty-schedule',
      'xassist-duty',
    ])
      should(used.has(type)).be.true(type);
  });

  // importing a second example then reuses the server node the first one brought (Node-RED asks
  // about the nodes that exist already, and keeps the existing config node), so that its URL and
  // credentials are set once
  it('share one server config node: the same id and settings in each, used by every xassist node', function () {
    const servers = EXAMPLES.map((file) =>
      readExample(file).filter((node) => node.type === 'xassist-server'),
    );
    for (const inOne of servers) should(inOne).have.length(1);
    const [first] = servers[0];
    for (const [server] of servers) should(server).eql(first);
    // the duty node has no server of its own: its schedule has (for Find users)
    const users = EXAMPLES.flatMap(readExample).filter(
      (node) => node.type.startsWith('xassist-') && !NO_SERVER.has(node.type),
    );
    should(users).not.be.empty();
    for (const user of users) should(user.server).equal(first.id, user.id);
  });

  it('have no other node id in common, so that importing several clashes only on the server node', function () {
    const ids = EXAMPLES.flatMap((file) =>
      readExample(file)
        .filter((node) => node.type !== 'xassist-server')
        .map((node) => node.id),
    );
    should(ids).eql([...new Set(ids)]);
  });

  for (const file of EXAMPLES) {
    it(`${file}: uses only installed nodes, explains itself, and deploys without an error or a warning`, async function () {
      const example = readExample(file);
      const unknown = example.filter(
        (node) => !FLOW_TYPES.has(node.type) && !registered.has(node.type),
      );
      should(unknown.map((node) => node.type)).be.empty();
      should(
        example.some((node) => node.type === 'comment' && String(node.info ?? '').length > 100),
      ).be.true();

      const flows = asDeployed(example);
      const logFrom = rig.nodeRed.output.length;
      should(await rig.nodeRed.deploy(flows)).equal(204); // v1 of the admin API answers a deploy with 204
      const running = (await (await fetch(`${rig.nodeRed.url}flows`)).json()) as FlowNode[];
      should(running.map((node) => node.id).sort()).eql(example.map((node) => node.id).sort());
      // nor a warning, nor a connection failing (as an MQTT broker's did, shown as info)
      should(rig.nodeRed.output.slice(logFrom)).not.match(/\[(error|warn)\]|Connection failed/);
    });
  }

  it('07 calls whoever is on duty now at step 1, and its buttons ask, replace and reset the schedule', async function () {
    const example = readExample(EXAMPLES.find((file) => file.startsWith('07 '))!);
    const table = example.find((node) => node.type === 'xassist-duty-schedule')!;
    const schedule = dutyScheduleOf({ ...table, id: undefined, type: undefined });
    const primaryAt = (at: number) =>
      onDutyAt(schedule, at)
        .levels[0].split(',')
        .map((name) => name.trim());
    const logFrom = rig.nodeRed.output.length;
    should(await rig.nodeRed.deploy(asDeployed(example))).equal(204);
    const comms = await Comms.open(rig.nodeRed.url);
    try {
      const created = nextCallCreated(rig.sim);
      const firedAt = Date.now();
      await click(rig.nodeRed.url, 'fire-duty');
      const call = rig.sim.calls.get(await created);
      const invited = (call?.invitedContacts ?? []).map((contact) => contact.userId);
      // a shift may change between the click and the call
      should([primaryAt(firedAt), primaryAt(Date.now())]).containEql(invited);

      // the editor's table is in force (green), a replacement (yellow), the table again
      await comms.until('status/duty-who', (status) => status.fill === 'green');
      await click(rig.nodeRed.url, 'replace-duty');
      await comms.until('status/duty-who', (status) => status.fill === 'yellow');
      await click(rig.nodeRed.url, 'reset-duty');
      await comms.until('status/duty-who', (status) => status.fill === 'green');
      const askedAt = Date.now();
      await click(rig.nodeRed.url, 'ask-duty');
      const answer = await comms.until(
        'debug',
        (message) => message.id === 'duty-debug-who' && !/"before"/.test(String(message.msg)),
      );
      const { levels } = (JSON.parse(String(answer.msg)) as { payload: { levels: string[] } })
        .payload;
      should([
        onDutyAt(schedule, askedAt).levels,
        onDutyAt(schedule, Date.now()).levels,
      ]).containEql(levels);
      should(rig.nodeRed.output.slice(logFrom)).not.match(/\[(error|warn)\]/);
    } finally {
      comms.close();
    }
  });

  it('08 saves the snapshot shared in the call into a folder named after the alarm', async function () {
    const example = readExample(EXAMPLES.find((file) => file.startsWith('08 '))!);
    const logFrom = rig.nodeRed.output.length;
    should(await rig.nodeRed.deploy(asDeployed(example))).equal(204);
    const comms = await Comms.open(rig.nodeRed.url);
    try {
      const created = nextCallCreated(rig.sim);
      await click(rig.nodeRed.url, 'fire-assets');
      const callId = await created;
      // the expert joins, shares a snapshot and leaves: the call ends
      rig.sim.calls.join(callId, 'expert1');
      const shared = rig.sim.calls.shareAsset(callId, 'expert1', { name: 'snapshot.jpg' });
      rig.sim.calls.end(callId);
      const saved = await comms.until('debug', (message) => message.id === 'assets-debug-saved');
      // the debug node shows msg.filename, a text, as it is
      const filename = String(saved.msg);
      should(filename).match(/^xassist-assets\/machine 7 spindle overheat\/.* snapshot\.jpg$/);
      const written = readFileSync(path.join(rig.userDir.dir, filename));
      should(written.equals(rig.sim.calls.assetBytes(String(shared.assetUri), 'SMALL'))).be.true();
      should(rig.nodeRed.output.slice(logFrom)).not.match(/\[(error|warn)\]/);
    } finally {
      comms.close();
    }
  });

  it('each say in their comment how to fire them by hand: the button of their inject node', function () {
    for (const file of EXAMPLES) {
      const example = readExample(file);
      const info = String(example.find((node) => node.type === 'comment')?.info);
      const inject = example.find((node) => node.type === 'inject');
      const howTo = `click the button on the left of **${String(inject?.name)}**`;
      should(info.replace(/\s+/g, ' ').includes(howTo)).be.true(`${file}: ${howTo}`);
    }
  });

  it('01 starts without an MQTT broker: its mqtt in node is there but disabled, and the inject node feeds the same node', function () {
    const example = readExample(EXAMPLES.find((file) => file.startsWith('01 '))!);
    const mqttIn = example.find((node) => node.type === 'mqtt in');
    const inject = example.find((node) => node.type === 'inject');
    should(mqttIn?.d).be.true();
    should(inject?.d).not.be.ok();
    should(inject?.wires).eql(mqttIn?.wires);
    should(example.some((node) => node.id === mqttIn?.broker)).be.true();
  });
});

describe('importing several examples in the editor (headless Chromium)', function () {
  this.timeout(90_000);
  let userDir: UserDir;
  let nodeRed: NodeRedProcess;
  let browser: Browser;
  let page: Page;

  before(async function () {
    userDir = new UserDir();
    userDir.write([{ id: 'flow-1', type: 'tab', label: 'Flow 1' }], {}, await freePort());
    nodeRed = new NodeRedProcess(userDir);
    await nodeRed.start();
    browser = await launchChromium();
    page = await openEditor(browser, nodeRed.url, { width: 1600 });
  });

  after(async function () {
    await browser?.close();
    await nodeRed?.stop();
    userDir?.remove();
  });

  it('adds the server node with the first and keeps it, with the URL the user set, for the next ones (Import copy, or View nodes > Import selected)', async function () {
    const [first, second, third] = [...EXAMPLES].sort();
    await importExample(page, first);
    await untilTabs(page, 2);
    should(await serverNodes(page)).have.length(1);
    await page.evaluate(() => (RED.nodes.node('xassist-simulator').url = 'https://acme.example/'));

    // Node-RED asks what to do with the nodes that exist already: here, only the server node
    const existing = page.locator('.red-ui-notification:visible', { hasText: 'already exist' });
    await importExample(page, second);
    await existing.last().locator('button', { hasText: 'Import copy' }).click();
    await untilTabs(page, 3);
    await importExample(page, third);
    await existing.last().locator('button', { hasText: 'View nodes' }).click();
    // there the existing config node is left out unless ticked
    await page.click('#red-ui-clipboard-dialog-import-conflict');
    await untilTabs(page, 4);

    should(await serverNodes(page)).eql([
      { id: 'xassist-simulator', url: 'https://acme.example/' },
    ]);
    should(await serverReferences(page)).eql(['xassist-simulator']);
  });
});

/** An inject node's button, through the admin API as the editor clicks it. */
/** The id of the next call the simulator creates. */
function nextCallCreated(sim: Simulator): Promise<string> {
  return new Promise<string>((resolve) => {
    const onEvent = (callId: string, event: { type: string }) => {
      if (event.type !== 'Created') return;
      sim.off('event', onEvent);
      resolve(callId);
    };
    sim.on('event', onEvent);
  });
}

async function click(nodeRedUrl: string, inject: string): Promise<void> {
  const answer = await fetch(`${nodeRedUrl}inject/${inject}`, { method: 'POST' });
  should(answer.status).equal(200);
}

type CommsData = Record<string, unknown>;

/** What the editor hears from Node-RED: nodes' statuses and the debug sidebar's messages. */
class Comms {
  private readonly heard: Array<{ topic: string; data: CommsData }> = [];
  private readonly events = new EventEmitter();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const messages = JSON.parse(String(raw)) as
        Array<{ topic: string; data: CommsData }> | { topic: string; data: CommsData };
      this.heard.push(...(Array.isArray(messages) ? messages : [messages]));
      this.events.emit('heard');
    });
  }

  static async open(nodeRedUrl: string): Promise<Comms> {
    const socket = new WebSocket(`${nodeRedUrl.replace(/^http/, 'ws')}comms`);
    await once(socket, 'open');
    // a node's status is kept: its latest comes at once
    for (const topic of ['debug', 'status/#']) socket.send(JSON.stringify({ subscribe: topic }));
    return new Comms(socket);
  }

  /** The first message on `topic` from now on (a status: the latest too) that `matches`. */
  async until(topic: string, matches: (data: CommsData) => boolean): Promise<CommsData> {
    const signal = AbortSignal.timeout(10_000);
    for (;;) {
      const found = this.heard.findIndex((one) => one.topic === topic && matches(one.data));
      if (found >= 0) {
        const [{ data }] = this.heard.splice(0, found + 1).slice(-1);
        return data;
      }
      await once(this.events, 'heard', { signal }).catch(() => {
        throw new Error(`${topic}: nothing that matches within 10 s`);
      });
    }
  }

  close(): void {
    this.socket.close();
  }
}

/** Import > Examples > @frontline-flows/node-red-xassist > the example, as a user does it. */
async function importExample(page: Page, file: string): Promise<void> {
  const item = (text: string) =>
    page.locator('.red-ui-treeList-label:visible', { hasText: text }).first();
  const name = file.replace(/\.json$/, '');
  await page.evaluate(() => RED.actions.invoke('core:show-examples-import-dialog'));
  await item('@frontline-flows/node-red-xassist').waitFor();
  if (!(await item(name).isVisible())) await item('@frontline-flows/node-red-xassist').click();
  await item(name).click();
  await page.click('#red-ui-clipboard-dialog-ok');
}

async function untilTabs(page: Page, count: number): Promise<void> {
  await page.waitForFunction((expected) => {
    let tabs = 0;
    RED.nodes.eachWorkspace(() => (tabs += 1));
    return tabs === expected;
  }, count);
}

function serverNodes(page: Page): Promise<Array<{ id: string; url: string }>> {
  return page.evaluate(() => {
    const servers: Array<{ id: string; url: string }> = [];
    RED.nodes.eachConfig((node: any) => {
      if (node.type === 'xassist-server') servers.push({ id: node.id, url: node.url });
    });
    return servers;
  });
}

/** the server node ids the xassist nodes in the workspace point to */
function serverReferences(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ids = new Set<string>();
    RED.nodes.eachNode((node: any) => {
      if (node.type.startsWith('xassist-')) ids.add(node.server);
    });
    return [...ids];
  });
}
