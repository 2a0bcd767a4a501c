import type { Node } from 'node-red';
import { NodeState } from '../state/node-state';

/** What a node keeps, in its node context: with a persistent store it survives a restart. */
export function contextState(node: Node): NodeState {
  return new NodeState({
    get: (key) => node.context().get(key),
    set: (key, value) => node.context().set(key, value),
  });
}
