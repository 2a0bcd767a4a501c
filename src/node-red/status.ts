import type { NodeStatus } from 'node-red';
import { isTransient, type StateChange } from '../xassist';
import { isCallNotFound } from '../xassist/errors';

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
 * What a node shows of its shared state: Redis away (yellow: the node goes on alone, and writes
 * its state when Redis is back) or refusing the password (red: a person must act).
 */
export function sharedStateProblem(
  status: string,
  t: (key: string) => string,
): NodeStatus | undefined {
  if (status === 'refused') {
    return { fill: 'red', shape: 'ring', text: t('xassist-server.status.redis-refused') };
  }
  if (status === 'unavailable') {
    return { fill: 'yellow', shape: 'ring', text: t('xassist-server.status.redis-unavailable') };
  }
  return undefined;
}

/**
 * The status of a node whose read of a call failed: a failure that may pass (the server slow,
 * busy or down) is waited for (yellow); the others need a person (red): settings, credentials,
 * the URL, a certificate, a permission. A 404 for a call that reaches here was not believed (a
 * proxy's page, or the server answers nothing else either): the call is read again (yellow).
 * `t` is the node type's own catalogue.
 */
export function readFailedStatus(
  err: unknown,
  retryInMs: number,
  t: (key: string, substitutions?: Record<string, string | number>) => string,
): NodeStatus {
  if (isCallNotFound(err)) return { fill: 'yellow', shape: 'ring', text: t('status.not-found') };
  return !isTransient(err)
    ? { fill: 'red', shape: 'ring', text: t('status.error') }
    : {
        fill: 'yellow',
        shape: 'ring',
        text: t('status.retrying', { seconds: Math.ceil(retryInMs / 1000) }),
      };
}
