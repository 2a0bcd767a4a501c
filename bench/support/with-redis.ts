import type { FlowNode } from '../../test/support/node-red';

/** The xassist-server settings that put a server's shared state in Redis. */
export interface RedisSettings {
  redisUrl: string;
  redisLease: number;
  redisPrefix?: string;
}

/** `flows` with their xassist-server sharing state in Redis. */
export function withRedis(flows: FlowNode[], settings: RedisSettings): FlowNode[] {
  return flows.map((node) => (node.type === 'xassist-server' ? { ...node, ...settings } : node));
}
