import type { Node, NodeAPI, NodeStatus } from 'node-red';
import { StatusBoard } from './status-board';
import type { XAssistServerNode } from './types';

export interface ServerUse {
  /** the config node, or undefined when none is set */
  server?: XAssistServerNode;
  /** shows the node's own state; a connection problem is shown over it while it lasts */
  show: (status: NodeStatus) => void;
}

/**
 * Connects a node to its xassist-server config node for as long as it lives: registers it
 * (the server then tells it of connection problems) and deregisters it on close.
 */
export function useServer(RED: NodeAPI, node: Node, serverId: string | undefined): ServerUse {
  const board = new StatusBoard(node);
  const server = serverId ? (RED.nodes.getNode(serverId) as XAssistServerNode | null) : null;
  if (!server || typeof server.register !== 'function') {
    board.connection({ fill: 'red', shape: 'ring', text: RED._(`${node.type}.status.no-server`) });
    return { show: board.show };
  }
  server.register(node, board.connection);
  node.on('close', (_removed: boolean, done: () => void) => {
    server.deregister(node);
    done();
  });
  return { server, show: board.show };
}
