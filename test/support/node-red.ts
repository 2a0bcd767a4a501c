import type { Node, NodeStatus } from 'node-red';
import helper from 'node-red-node-test-helper';
import should from 'should';
import type { Simulator } from '../../src/sim';
import type { Capture } from './capture';
import { serverConfig, xassistNode } from './flow-nodes';
import { CONNECTOR } from './simulator';

helper.init(require.resolve('node-red'));
// Core config nodes with node settings (tls-config) need the runtime's settings initialised,
// which the helper does not do.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('@node-red/runtime/lib/settings').init({});

/* eslint-disable @typescript-eslint/no-require-imports */
export const serverNode = require('../../src/nodes/server/xassist-server');
export const createCallNode = require('../../src/nodes/create-call/xassist-create-call');
export const callStatusNode = require('../../src/nodes/call-status/xassist-call-status');
export const escalateNode = require('../../src/nodes/escalate/xassist-escalate');
export const callHistoryNode = require('../../src/nodes/call-history/xassist-call-history');
export const assetsNode = require('../../src/nodes/assets/xassist-assets');
export const dutyScheduleNode = require('../../src/nodes/duty-schedule/xassist-duty-schedule');
export const dutyNode = require('../../src/nodes/duty/xassist-duty');
export const tlsConfigNode = require('@node-red/nodes/core/network/05-tls.js');
export const csvNode = require('@node-red/nodes/core/parsers/70-CSV.js');
export const httpProxyNode = require('@node-red/nodes/core/network/06-httpproxy.js');
/* eslint-enable @typescript-eslint/no-require-imports */

export { helper };

interface SpyCall {
  thisValue: unknown;
  args: unknown[];
}

/** Every status a node has shown so far, oldest first (read from the helper's spy). */
export function statusesOf(node: Node): NodeStatus[] {
  const spy = (helper as unknown as { _NodePrototype: { status: { getCalls(): SpyCall[] } } })
    ._NodePrototype.status;
  return spy
    .getCalls()
    .filter((call) => call.thisValue === node)
    .map((call) => call.args[0] as NodeStatus);
}

/** Resolves with the first status of `node`, shown already or later, that `matches`. */
export function statusMatching(
  node: Node,
  matches: (status: NodeStatus) => boolean,
): Promise<NodeStatus> {
  const shown = statusesOf(node).find(matches);
  if (shown) return Promise.resolve(shown);
  return new Promise((resolve) => {
    const check = (call: SpyCall) => {
      const status = call.args[0] as NodeStatus;
      if (!matches(status)) return;
      (node as unknown as NodeJS.EventEmitter).removeListener('call:status', check);
      resolve(status);
    };
    (node as unknown as NodeJS.EventEmitter).on('call:status', check);
  });
}

/** Everything the runtime logged while the flow ran, as text. */
export function loggedTexts(): string[] {
  const spy = helper.log() as unknown as { args: unknown[][] };
  return spy.args.map((args) => JSON.stringify(args[0]));
}

/** Timers, sockets and servers that keep the process alive right now, by type. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** A closed socket's handle is released by libuv one or two turns of the event loop later. */
export async function handlesReleased(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** A node of a test flow, as the editor would save it. */
export type FlowNode = { id: string; type: string; [property: string]: unknown };

/** helper.load with flows typed loosely: the helper's own types know only id, type and wires. */
export function loadFlow(
  nodes: unknown[],
  flow: FlowNode[],
  credentials: Record<string, Record<string, string>> = {},
): Promise<void> {
  return helper.load(nodes as never, flow as never, credentials as never);
}

/**
 * Ends a node test: records what a user could see (the nodes' statuses, everything logged),
 * unloads the flow, stops the simulator, and checks that none of it holds a secret.
 */
export async function unloadAndCheckSecrets(
  simulator: Simulator,
  capture: Capture,
  nodeIds: string[],
): Promise<void> {
  for (const id of nodeIds) {
    const node = helper.getNode(id) as Node | null;
    if (node) statusesOf(node).forEach((status) => capture.add(status));
  }
  loggedTexts().forEach((text) => capture.add(text));
  await helper.unload();
  await simulator.close();
  should(capture.leaks([CONNECTOR.password, ...simulator.tokens.issued])).be.empty();
}

/** The ids of createAndFollowFlow's helper nodes. */
/**
 * A flow of one node under test: its xassist-server at `serverUrl`, a helper node on each of
 * its outputs (in order), and a Catch node into the helper `caught`.
 */
export function oneNodeFlow(
  serverUrl: string,
  node: { id: string; type: string; [setting: string]: unknown },
  outputs: readonly string[],
  server: Record<string, unknown> = {},
): FlowNode[] {
  return [
    { id: 'flow', type: 'tab', label: 'test' },
    serverConfig(serverUrl, server),
    { z: 'flow', x: 100, y: 100, server: 'server', ...node, wires: outputs.map((id) => [id]) },
    {
      id: 'catch',
      type: 'catch',
      z: 'flow',
      x: 100,
      y: 400,
      scope: null,
      uncaught: false,
      wires: [['caught']],
    },
    ...[...outputs, 'caught'].map((id, i) => ({
      id,
      type: 'helper',
      z: 'flow',
      x: 300,
      y: 50 * (i + 2),
    })),
  ];
}

export const CREATE_AND_FOLLOW_OUTPUTS = ['created', 'caught', 'events', 'ended'] as const;

/**
 * server → create-call → call-status, with a Catch node: what comes out is recorded by the
 * helper nodes `created`, `caught`, `events` and `ended`.
 */
export function createAndFollowFlow(
  simulator: Simulator,
  options: { timeout?: number; pollInterval?: number; create?: Record<string, unknown> } = {},
): FlowNode[] {
  return [
    { id: 'flow', type: 'tab', label: 'create and follow' },
    serverConfig(simulator.tenantUrl, { timeout: options.timeout ?? 10 }),
    xassistNode(
      'create',
      'xassist-create-call',
      { x: 1, y: 1, ...options.create, wires: [['created', 'follow']] },
      'flow',
    ),
    xassistNode(
      'follow',
      'xassist-call-status',
      {
        x: 2,
        y: 1,
        pollInterval: options.pollInterval ?? 0.2,
        wires: [['events'], [], [], ['ended']],
      },
      'flow',
    ),
    {
      id: 'catch',
      type: 'catch',
      z: 'flow',
      x: 1,
      y: 2,
      scope: null,
      uncaught: false,
      wires: [['caught']],
    },
    ...CREATE_AND_FOLLOW_OUTPUTS.map((id, i) => ({ id, type: 'helper', z: 'flow', x: 3, y: i })),
  ];
}
