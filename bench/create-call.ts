/**
 * Create-call throughput, side by side in one process against one simulator: the package's
 * node in Node-RED's runtime, a plain axios loop (the limit), and the same job built from core
 * nodes (function + http request). Each runs N messages with C in flight; runs interleave.
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import axios from 'axios';
import { Simulator } from '../src/sim';
import { helper, loadFlow, serverNode, createCallNode } from '../test/support/node-red';
import { CONNECTOR } from '../test/support/simulator';
import { median, percentile, round } from './support/stats';

const SEED = JSON.parse(
  '{"callType":"SFU","invitedContacts":[{"userId":"tester","userDbId":8,"email":"test@test.com","domain":"ubimax","displayName":"Tester","phoneNumber":null}],"invitedTeams":[],"joinAnonymousAllowed":false,"callTitle":"New Call","plannedDateTime":null,"callReason":"STANDARD"}',
);
/* eslint-disable @typescript-eslint/no-require-imports */
const functionNode = require('@node-red/nodes/core/function/10-function.js');
const httpRequestNode = require('@node-red/nodes/core/network/21-httprequest.js');
/* eslint-enable @typescript-eslint/no-require-imports */

interface Run {
  perSecond: number;
  latencies: number[];
}

/** Sends `total` messages into `entry`, keeping `concurrency` in flight; `done` counts outputs. */
async function drive(
  send: (i: number) => Promise<void>,
  total: number,
  concurrency: number,
): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await send(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { perSecond: total / ((performance.now() - started) / 1000), latencies };
}

/** Node-RED flows answer through a helper node; each message is matched by its index. */
function flowSender(entry: string, exit: string): (i: number) => Promise<void> {
  const waiting = new Map<number, () => void>();
  (helper.getNode(exit) as Node).on('input', (msg: unknown) => {
    const i = (msg as { _bench: number })._bench;
    waiting.get(i)?.();
    waiting.delete(i);
  });
  const node = helper.getNode(entry) as Node;
  return (i) =>
    new Promise<void>((resolve) => {
      waiting.set(i, resolve);
      node.receive({ payload: SEED, _bench: i });
    });
}

/**
 * The floor of any node in the runtime: a bare node that posts the body with axios and sends the
 * answer on. What it loses against the axios loop is Node-RED's own message delivery.
 */
export function bareAxiosNode(url: string, token: string) {
  const client = axios.create({ baseURL: url, headers: { Authorization: `Bearer ${token}` } });
  return (RED: NodeAPI) => {
    function BareAxios(this: Node, config: NodeDef) {
      RED.nodes.createNode(this, config);
      this.on('input', (msg, send, done) => {
        client.post('rtc/createCall', msg.payload).then(
          (answer) => {
            msg.payload = answer.data;
            send(msg);
            done();
          },
          (err: Error) => done(err),
        );
      });
    }
    RED.nodes.registerType('bench-bare-axios', BareAxios);
  };
}

export async function benchCreateCall(total = 400, concurrency = 8, rounds = 5) {
  const sim = new Simulator();
  const url = await sim.listen();
  const login = await axios.post(`${url}login`, { ...CONNECTOR, agreedToTos: true });

  await loadFlow(
    [
      serverNode,
      createCallNode,
      functionNode,
      httpRequestNode,
      bareAxiosNode(url, login.data.token),
    ],
    [
      { id: 'flow', type: 'tab', label: 'bench' },
      { id: 'server', type: 'xassist-server', url, domain: 'ubimax' },
      {
        id: 'node',
        type: 'xassist-create-call',
        z: 'flow',
        x: 1,
        y: 1,
        server: 'server',
        wires: [['node-out']],
      },
      { id: 'node-out', type: 'helper', z: 'flow', x: 2, y: 1 },
      { id: 'bare', type: 'bench-bare-axios', z: 'flow', x: 1, y: 3, wires: [['bare-out']] },
      { id: 'bare-out', type: 'helper', z: 'flow', x: 2, y: 3 },
      // the core-node way: a function adds the bearer token, http request posts, JSON back
      {
        id: 'core',
        type: 'function',
        z: 'flow',
        x: 1,
        y: 2,
        outputs: 1,
        noerr: 0,
        libs: [],
        func: `msg.url = ${JSON.stringify(`${url}rtc/createCall`)}; msg.method = 'POST'; msg.headers = { Authorization: 'Bearer ' + flow.get('token'), 'Content-Type': 'application/json' }; return msg;`,
        wires: [['core-http']],
      },
      {
        id: 'core-http',
        type: 'http request',
        z: 'flow',
        x: 2,
        y: 2,
        method: 'use',
        ret: 'obj',
        paytoqs: 'ignore',
        url: '',
        persist: true,
        wires: [['core-out']],
      },
      { id: 'core-out', type: 'helper', z: 'flow', x: 3, y: 2 },
    ],
    { server: { ...CONNECTOR } },
  );
  (helper.getNode('core') as Node).context().flow.set('token', login.data.token);

  const plain = axios.create({
    baseURL: url,
    headers: { Authorization: `Bearer ${login.data.token}` },
  });
  const contestants: Record<string, (i: number) => Promise<void>> = {
    'axios loop (limit)': async () => void (await plain.post('rtc/createCall', SEED)),
    'bare axios node (the runtime floor)': flowSender('bare', 'bare-out'),
    'xassist-create-call': flowSender('node', 'node-out'),
    'core nodes (function + http request)': flowSender('core', 'core-out'),
  };
  // warm up every path once
  for (const send of Object.values(contestants)) await drive(send, 50, concurrency);
  const results: Record<string, Run[]> = {};
  for (let round_ = 0; round_ < rounds; round_++) {
    for (const [name, send] of Object.entries(contestants)) {
      (results[name] ??= []).push(await drive(send, total, concurrency));
    }
  }
  await helper.unload();
  await sim.close();

  const limit = median(results['axios loop (limit)'].map((run) => run.perSecond));
  return Object.entries(results).map(([name, runs]) => {
    const latencies = runs.flatMap((run) => run.latencies);
    const perSecond = median(runs.map((run) => run.perSecond));
    return {
      name,
      perSecond: round(perSecond, 0),
      ofLimit: round((perSecond / limit) * 100, 0),
      p50: round(percentile(latencies, 0.5), 2),
      p99: round(percentile(latencies, 0.99), 2),
    };
  });
}
