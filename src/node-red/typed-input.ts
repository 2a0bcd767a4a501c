import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { isEmpty } from './settings';

/** A node setting edited with a typedInput: the value and its type (str, msg, env, jsonata…). */
export interface TypedSetting {
  value: unknown;
  type?: string;
}

/**
 * The setting's value for `msg`, or undefined when the setting is empty (an empty value of any
 * type means "not set"). Sources Node-RED itself knows (msg, flow, global, env, jsonata, json,
 * num, bool…) are evaluated by Node-RED; the package's own option types give their value.
 */
export function evaluateSetting(
  RED: NodeAPI,
  node: Node,
  msg: NodeMessage,
  setting: TypedSetting,
): Promise<unknown> {
  const { value, type = 'str' } = setting;
  if (isEmpty(value)) return Promise.resolve(undefined);
  if (!NODE_RED_TYPES.has(type)) return Promise.resolve(value);
  return new Promise((resolve, reject) => {
    try {
      RED.util.evaluateNodeProperty(value as string, type, node, msg, (err, result) =>
        err ? reject(err) : resolve(result),
      );
    } catch (err) {
      reject(err);
    }
  });
}

const NODE_RED_TYPES = new Set([
  'str',
  'num',
  'bool',
  'json',
  'msg',
  'flow',
  'global',
  'env',
  'jsonata',
  'date',
  'bin',
  're',
]);
