import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { FieldError } from '../mapping/field-error';
import { isEmpty } from './settings';
import { evaluateSetting, type TypedSetting } from './typed-input';

/** The message's dedup key: the node's setting if it gives one, else `msg.dedupKey`. */
export async function dedupKeyOf(
  RED: NodeAPI,
  node: Node,
  msg: NodeMessage & { dedupKey?: unknown },
  setting: TypedSetting,
): Promise<string | undefined> {
  const fromSetting = setting.value ? await evaluateSetting(RED, node, msg, setting) : undefined;
  const key = fromSetting ?? msg.dedupKey;
  if (isEmpty(key)) return undefined;
  if (typeof key !== 'string' && typeof key !== 'number') {
    throw new FieldError('dedupKey', 'must be text or a number');
  }
  return String(key);
}
