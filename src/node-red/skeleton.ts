import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import { ContextItems, type ItemStore } from '../state/items';
import type { NodeState } from '../state/node-state';
import type { SharedState } from '../state/shared-state';
import { SharedItems } from '../state/shared-items';
import type { Shape } from '../state/versioned';
import { contextState } from './context-state';
import { dedupKeyOf } from './dedup-key';
import { reportOf } from './report';
import { withDefaults } from '../schema/defaults';
import type { NodeSchema, NumberField } from '../schema/fields';
import { numberSetting, type NumberOf } from './settings';
import { StatusBoard } from './status-board';
import { evaluateSetting, type TypedSetting } from './typed-input';
import type { ServerApi, XAssistServerNode } from './types';

export type Translate = (key: string, substitutions?: Record<string, string | number>) => string;
export type Send = (msg: NodeMessage | Array<NodeMessage | null>) => void;

/** What every node of this package gets from its skeleton: the parts of Node-RED it uses. */
export interface NodeKit {
  readonly RED: NodeAPI;
  readonly node: Node;
  /** the node type's own catalogue: `t('status.failed')` is `<type>.status.failed` */
  readonly t: Translate;
  /** the node's own status; a connection problem of its server is shown over it while it lasts */
  readonly show: (status: NodeStatus) => void;
  /** the server's connection; throws why there is none (no server chosen, or invalid settings) */
  api(): ServerApi;
  /** the server's connection, or undefined: for what a node can do without one */
  readonly connection: ServerApi | undefined;
  /** Redis, shared by the instances that run these flows; undefined: this one alone */
  readonly shared: SharedState | undefined;
  /** what the node keeps in its own context */
  readonly state: NodeState;
  /** a number setting as its field takes it, or its fallback and a warning naming the setting */
  number<F extends NumberField>(value: unknown, field: F, label: string): NumberOf<F>;
  /** the warning of a setting the node cannot take, in its log and debug sidebar */
  readonly warnSetting: (label: string, value: string, fallback: number | string) => void;
  /** a typedInput setting's value for `msg`; undefined when the setting is empty */
  evaluate(msg: NodeMessage, setting: TypedSetting): Promise<unknown>;
  /** the message's dedup key: the node's setting if it gives one, else `msg.dedupKey` */
  dedupKey(
    msg: NodeMessage & { dedupKey?: unknown },
    setting: TypedSetting,
  ): Promise<string | undefined>;
  /** the node's items: in Redis when its server has shared state, else in its context */
  items<T>(store: { key: string; shape: Shape<T[]>; idOf: (item: T) => string }): ItemStore<T>;
  /**
   * Each message, through `handle`: done() once it resolves; when it rejects, the status
   * `failed` gives and done(err) for a Catch node. `ordered`: one message after the other.
   */
  onInput(
    handle: (msg: NodeMessageInFlow, send: Send) => Promise<void>,
    options: { ordered?: boolean; failed?: (err: unknown) => NodeStatus | undefined },
  ): void;
  /**
   * A step of the node's close. The steps run one after the other in the order given, then the
   * node leaves its server; done() is called always, whatever a step throws.
   */
  onClose(step: (removed: boolean) => unknown): void;
}

interface KitConfig extends NodeDef {
  server?: string;
}

/**
 * Registers the node type of `schema` with `setup` as its constructor: Node-RED's createNode, the
 * kit, the server registration and the ordered close are done here, once for every node of the
 * package. `setup` gets the saved settings with the schema's defaults for those a flow lacks,
 * as the editor gives them.
 */
export function defineNode<Config extends KitConfig>(
  RED: NodeAPI,
  schema: NodeSchema,
  setup: (kit: NodeKit, config: Config) => void,
): void {
  function XAssistNode(this: Node, saved: Config): void {
    RED.nodes.createNode(this, saved);
    const config = withDefaults(schema, saved);
    setup(kitFor(RED, this, config.server), config);
  }
  RED.nodes.registerType(schema.type, XAssistNode);
}

function kitFor(RED: NodeAPI, node: Node, serverId: string | undefined): NodeKit {
  const t: Translate = (key, substitutions) => RED._(`${node.type}.${key}`, substitutions);
  const board = new StatusBoard(node);
  const state = contextState(node);
  const server = serverNode(RED, serverId);
  const closing: Array<(removed: boolean) => unknown> = [];
  const warnSetting = (label: string, value: string, fallback: number | string) =>
    node.warn(RED._('xassist-server.warn.setting', { setting: label, value, fallback }));
  if (server) server.register(node, board.connection);
  else board.connection({ fill: 'red', shape: 'ring', text: t('status.no-server') });

  node.on('close', (removed: boolean, done: () => void) => {
    const steps = closing.reduce<Promise<unknown>>(
      (previous, step) => previous.then(() => step(removed)),
      Promise.resolve(),
    );
    steps
      .catch((err: unknown) => node.debug(`closing: ${(err as Error).message}`))
      .then(() => {
        server?.deregister(node);
        done();
      });
  });

  return {
    RED,
    node,
    t,
    show: board.show,
    connection: server?.api,
    shared: server?.shared,
    api() {
      if (server?.api) return server.api;
      throw server?.configError ?? new Error(t('errors.no-server'));
    },
    state,
    number: (value, field, label) => numberSetting(value, field, label, warnSetting),
    warnSetting,
    evaluate: (msg, setting) => evaluateSetting(RED, node, msg, setting),
    dedupKey: (msg, setting) => dedupKeyOf(RED, node, msg, setting),
    items: (store) =>
      server?.shared
        ? new SharedItems(server.shared, node.id, store.key, store.shape, store.idOf, (err) =>
            node.debug(`shared state: ${(err as Error).message}`),
          )
        : new ContextItems(state, store.key, store.shape),
    onInput(handle, { ordered = false, failed }) {
      let previous: Promise<void> = Promise.resolve();
      node.on('input', (msg, send, done) => {
        const run = () =>
          handle(msg, send).then(
            () => done(),
            (err: unknown) => {
              const status = failed?.(err);
              if (status) board.show(status);
              done(reportOf(err));
            },
          );
        if (ordered) previous = previous.then(run);
        else void run();
      });
    },
    onClose: (step) => closing.push(step),
  };
}

function serverNode(RED: NodeAPI, id: string | undefined): XAssistServerNode | undefined {
  const server = id ? (RED.nodes.getNode(id) as XAssistServerNode | null) : null;
  return server && typeof server.register === 'function' ? server : undefined;
}
