import type { Node, NodeAPI, NodeMessage, NodeStatus } from 'node-red';
import { CallLedger } from '../../src/calls/ledger';
import { ContextItems } from '../../src/state/items';
import { NodeState } from '../../src/state/node-state';
import type { NodeKit } from '../../src/node-red/skeleton';
import { numberSetting } from '../../src/node-red/settings';
import { connectionOf } from '../../src/nodes/server/connection';
import type { XAssistClient } from '../../src/xassist';

/**
 * A node's kit without Node-RED, for testing a controller alone: the server's connection over a
 * real client, the node's context in a Map, and what the node sent, showed and logged, kept.
 * Settings of the typedInput kind are taken as plain values.
 */
export class MemoryKit implements NodeKit {
  readonly sent: Array<NodeMessage | Array<NodeMessage | null>> = [];
  readonly statuses: NodeStatus[] = [];
  readonly logged: string[] = [];
  readonly context = new Map<string, unknown>();
  readonly RED = {} as NodeAPI;
  readonly node: Node;
  readonly connection: ReturnType<typeof connectionOf>;
  readonly shared = undefined;
  readonly state = new NodeState({
    get: (key) => structuredClone(this.context.get(key)),
    set: (key, value) => this.context.set(key, structuredClone(value)),
  });

  constructor(client: XAssistClient, ledger = new CallLedger()) {
    this.connection = connectionOf(client, ledger);
    const log = (text: unknown) => this.logged.push(String(text));
    this.node = {
      id: 'node1',
      send: (msg: NodeMessage | Array<NodeMessage | null>) => {
        this.sent.push(msg);
        this.changed();
      },
      log,
      debug: log,
      warn: log,
      error: log,
    } as unknown as Node;
  }

  t = (key: string, substitutions?: Record<string, string | number>): string =>
    substitutions ? `${key} ${JSON.stringify(substitutions)}` : key;
  show = (status: NodeStatus): void => {
    this.statuses.push(status);
    this.changed();
  };
  api = () => this.connection;
  warnSetting = (label: string): void => void this.logged.push(`warn.setting ${label}`);
  number: NodeKit['number'] = (value, field, label) =>
    numberSetting(value, field, label, this.warnSetting);
  evaluate: NodeKit['evaluate'] = async (_msg, setting) => setting.value || undefined;
  dedupKey: NodeKit['dedupKey'] = async (msg) =>
    msg.dedupKey === undefined ? undefined : String(msg.dedupKey);
  items: NodeKit['items'] = (store) => new ContextItems(this.state, store.key, store.shape);
  onInput = (): void => undefined;
  onClose = (): void => undefined;

  private waiters: Array<() => void> = [];

  /** Resolves once `done()` holds, checked after each status shown and message sent. */
  async until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private changed(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** the last status shown */
  get status(): NodeStatus | undefined {
    return this.statuses.at(-1);
  }
}
