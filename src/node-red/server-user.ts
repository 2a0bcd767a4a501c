import type { Node, NodeAPI } from 'node-red';
import type { XAssistServerNode } from './types';

/**
 * Connects a node to its xassist-server config node for as long as it lives: registers it
 * (the server then shows its connection state on it) and deregisters it on close.
 */
export function useServer(
  RED: NodeAPI,
  node: Node,
  serverId: string | undefined,
): XAssistServerNode | undefined {
  const server = serverId ? (RED.nodes.getNode(serverId) as XAssistServerNode | null) : null;
  if (!server || typeof server.register !== 'function') {
    node.status({ fill: 'red', shape: 'ring', text: RED._(`${node.type}.status.no-server`) });
    return undefined;
  }
  server.register(node);
  node.on('close', (_removed: boolean, done: () => void) => {
    server.deregister(node);
    done();
  });
  return server;
}
