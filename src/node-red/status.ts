import type { NodeStatus } from 'node-red';
import { XAssistError, type StateChange } from '../xassist';

/**
 * What a node shows of its server's connection: only a problem, and which one (the core MQTT
 * node's red ring). Connecting and connected leave the node's own status as it is.
 */
export function connectionProblem(
  change: StateChange,
  t: (key: string) => string,
): NodeStatus | undefined {
  switch (change.state) {
    case 'auth-failed':
    case 'wrong-url':
    case 'tls-failed':
    case 'unreachable':
      return { fill: 'red', shape: 'ring', text: t(`xassist-server.status.${change.state}`) };
    default:
      return undefined;
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
