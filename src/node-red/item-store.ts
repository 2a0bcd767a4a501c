import type { Node } from 'node-red';
import { ContextItems, type ItemStore } from '../state/items';
import { SharedItems } from '../state/shared-items';
import type { Shape } from '../state/versioned';
import { contextState } from './context-state';
import type { XAssistServerNode } from './types';

/**
 * Where a node keeps its items: in Redis when its server has shared state (the instances share
 * them out), else in its own context.
 */
export function itemStoreOf<T>(
  node: Node,
  server: XAssistServerNode | undefined,
  items: { key: string; shape: Shape<T[]>; idOf: (item: T) => string },
): ItemStore<T> {
  if (!server?.shared) return new ContextItems(contextState(node), items.key, items.shape);
  return new SharedItems(server.shared, node.id, items.key, items.shape, items.idOf, (err) =>
    node.debug(`shared state: ${(err as Error).message}`),
  );
}
