import type { NodeStatus } from 'node-red';
import { XAssistError, type StateChange } from '../xassist';

/** The status every node using a server shows for its connection (the core MQTT node's colours). */
export function connectionStatus(change: StateChange, t: (key: string) => string): NodeStatus {
  switch (change.state) {
    case 'connected':
      return { fill: 'green', shape: 'dot', text: 'node-red:common.status.connected' };
    case 'connecting':
      return { fill: 'yellow', shape: 'ring', text: 'node-red:common.status.connecting' };
    case 'auth-failed':
      return { fill: 'red', shape: 'ring', text: t('xassist-server.status.auth-failed') };
    case 'unreachable':
      return { fill: 'red', shape: 'ring', text: t('xassist-server.status.unreachable') };
    case 'idle':
      return {};
  }
}

/**
 * The status of a node whose read of a call failed: a server that is slow or busy is waited for
 * (yellow); settings or credentials need a person (red). `t` is the node type's own catalogue.
 */
export function readFailedStatus(
  err: unknown,
  retryInMs: number,
  t: (key: string, substitutions?: Record<string, string | number>) => string,
): NodeStatus {
  const needsPerson =
    !(err instanceof XAssistError) || err.kind === 'config' || err.kind === 'auth';
  return needsPerson
    ? { fill: 'red', shape: 'ring', text: t('status.error') }
    : {
        fill: 'yellow',
        shape: 'ring',
        text: t('status.retrying', { seconds: Math.ceil(retryInMs / 1000) }),
      };
}
