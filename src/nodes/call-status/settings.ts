import type { NodeDef } from 'node-red';
import type { NodeKit } from '../../node-red/skeleton';
import { isEmpty } from '../../node-red/settings';
import { CALL_ID, CALL_STATUS_SCHEMA } from './schema';

export { CALL_ID };

export interface CallStatusConfig extends NodeDef {
  server?: string;
  /** a call to follow from the start, and for messages that name none */
  callId?: string;
  /** seconds between two reads of a call */
  pollInterval?: string | number;
  /** seconds; empty or 0: no NoJoin message */
  joinTimeout?: string | number;
  skipHistory?: boolean;
  /** the msg property each event goes to (default payload); with another, payload and topic stay the alarm's */
  property?: string;
}

export interface CallStatusSettings {
  /** the node's own call: for messages that name none */
  callId?: string;
  /** followed from the start: the node's own call, when it is a call id */
  followAtStart?: string;
  intervalMs: number;
  /** undefined: no NoJoin */
  joinTimeoutMs?: number;
  skipHistory: boolean;
  /** where each event goes */
  property: string;
  /** what of a starting message is not passed on with the call's messages */
  notPassedOn: Set<string>;
}

/** msg properties that describe the starting message itself, not the alarm behind it */
const NOT_PASSED_ON = ['_msgid', 'payload', 'topic', 'callId', 'call', 'stop', 'repeat', 'time'];

const { fields } = CALL_STATUS_SCHEMA;

export function callStatusSettingsOf(config: CallStatusConfig, kit: NodeKit): CallStatusSettings {
  const { t } = kit;
  const property = isEmpty(config.property) ? 'payload' : String(config.property).trim();
  const callId = config.callId?.trim() || undefined;
  return {
    callId,
    followAtStart: callId && CALL_ID.test(callId) ? callId : undefined,
    intervalMs:
      kit.number(config.pollInterval, fields.pollInterval, t('label.pollInterval')) * 1000,
    joinTimeoutMs:
      (kit.number(config.joinTimeout, fields.joinTimeout, t('label.joinTimeout')) ?? 0) * 1000 ||
      undefined,
    skipHistory: config.skipHistory === true,
    property,
    // with another property, payload and topic stay the alarm's
    notPassedOn: new Set(
      property === 'payload'
        ? NOT_PASSED_ON
        : [...NOT_PASSED_ON, property].filter((name) => name !== 'payload' && name !== 'topic'),
    ),
  };
}
