import type { NodeStatus } from 'node-red';
import type { StateChange } from '../xassist';

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
