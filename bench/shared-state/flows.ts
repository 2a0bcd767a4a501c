/** The flows the instances run: entries of the tests' httpEntryFlow, state shared in Redis. */
import type { FlowNode } from '../../test/support/node-red';
import { httpEntryFlow } from '../../test/support/node-red-process';
import { withRedis } from '../support/with-redis';
import { FOLLOW_LEASE_S, INTERVAL_S, TAKEOVER_LEASE_S } from './parameters';

const ESCALATE_PREFIX = 'bench-takeover:';
/** the hash in which escalateFlow's escalations stand in Redis, by their key (the machine) */
export const ESCALATIONS_KEY = `${ESCALATE_PREFIX}{escalate}:escalations:items`;

/**
 * POST /alarm {machine} → escalate: expert3 (never answers), then expert2; 60 s each.
 * POST /alarm {machine, stop: true} stops it (as msg.stop).
 */
export function escalateFlow(simUrl: string, redisUrl: string): FlowNode[] {
  const flow: FlowNode[] = [
    ...httpEntryFlow(simUrl, { label: 'escalate', path: '/alarm', to: 'stop' }),
    {
      id: 'stop',
      type: 'change',
      z: 'tab',
      rules: [{ t: 'set', p: 'stop', pt: 'msg', to: 'payload.stop', tot: 'msg' }],
      x: 200,
      y: 100,
      wires: [['escalate']],
    },
    {
      id: 'escalate',
      type: 'xassist-escalate',
      z: 'tab',
      server: 'server',
      steps: [
        { v: 'expert3', vt: 'str', timeout: 60 },
        { v: 'expert2', vt: 'str', timeout: 60 },
      ],
      timeout: 60,
      rounds: 1,
      dedupKey: 'payload.machine',
      dedupKeyType: 'msg',
      pollInterval: INTERVAL_S,
      x: 300,
      y: 100,
      wires: [[], [], []],
    },
  ];
  return withRedis(flow, { redisUrl, redisPrefix: ESCALATE_PREFIX, redisLease: TAKEOVER_LEASE_S });
}

/**
 * POST /follow {callIds: […]} → one message per call id → call-status, every 5 s; on Redis when
 * `redisUrl` is given.
 */
export function followFlow(simUrl: string, redisUrl?: string): FlowNode[] {
  const flow: FlowNode[] = [
    ...httpEntryFlow(simUrl, { label: 'follow', path: '/follow', to: 'split' }),
    {
      id: 'split',
      type: 'function',
      z: 'tab',
      func: 'return [msg.payload.callIds.map((callId) => ({ callId }))];',
      outputs: 1,
      x: 250,
      y: 100,
      wires: [['follow']],
    },
    {
      id: 'follow',
      type: 'xassist-call-status',
      z: 'tab',
      server: 'server',
      pollInterval: INTERVAL_S,
      skipHistory: true,
      x: 400,
      y: 100,
      wires: [[], [], [], []],
    },
  ];
  if (!redisUrl) return flow;
  return withRedis(flow, { redisUrl, redisPrefix: 'bench-follow:', redisLease: FOLLOW_LEASE_S });
}
