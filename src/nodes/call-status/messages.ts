import type { NodeMessage, NodeMessageInFlow } from 'node-red';
import { callAssetsOf, eventAssetOf } from '../../mapping/assets';
import { normaliseCallLog } from '../../mapping/call-log';
import { FieldError } from '../../mapping/field-error';
import { isoDate } from '../../mapping/message-dates';
import { isPlainObject } from '../../mapping/values';
import { isEmpty } from '../../node-red/settings';
import type { FollowerOutput } from '../../call-status/follower';
import { CALL_ID } from './settings';

export type InputMessage = NodeMessageInFlow & { callId?: unknown; stop?: unknown };

/** a text payload is taken as a call id only when it looks like one: a UUID */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** msg.callId, msg.payload.callId, a call id as msg.payload, or the node's own. */
export function callIdOf(msg: InputMessage, fixed: string | undefined): string | undefined {
  const payload = msg.payload;
  const candidates: Array<[string, unknown]> = [
    ['callId', msg.callId],
    ['payload.callId', isPlainObject(payload) ? payload.callId : undefined],
    [
      'payload',
      typeof payload === 'string' && UUID.test(payload.trim()) ? payload.trim() : undefined,
    ],
  ];
  for (const [field, value] of candidates) {
    if (isEmpty(value)) continue;
    if (typeof value !== 'string' || !CALL_ID.test(value.trim())) {
      throw new FieldError(
        field,
        'must be a call id (the UUID that create-call gives as msg.callId)',
      );
    }
    return value.trim();
  }
  return fixed;
}

/**
 * The message of a follower output, with the starting message's properties. The event (or the
 * call) stays as the server sent it; `msg.time` gives its instant as ISO text whatever form the
 * server writes dates in, so that a flow reads one form from every server.
 */
export function messageOf(output: FollowerOutput): NodeMessage {
  const { followed } = output;
  const base = { ...structuredClone(followed.context), callId: followed.callId };
  const call = 'call' in output && output.call ? normaliseCallLog(output.call) : undefined;
  switch (output.kind) {
    case 'event': {
      const asset = eventAssetOf(output.event as unknown as Record<string, unknown>);
      return {
        ...base,
        payload: output.event,
        topic: output.event.type,
        call,
        time: isoDate(output.event.time),
        // a photo or a file shared in the call: xassist-assets fetches it
        ...(asset && { asset }),
      };
    }
    case 'joined':
      return {
        ...base,
        payload: output.event,
        topic: 'Joined',
        call,
        time: isoDate(output.event.time),
        joinedAfter: output.afterMs,
        joinedAfterFrom: output.afterFrom,
      };
    case 'no-join':
      return {
        ...base,
        // unread: the server could not be read at the deadline, so a join may have gone unseen
        payload: call ? { callId: followed.callId } : { callId: followed.callId, unread: true },
        topic: 'NoJoin',
        call,
        // the deadline, by this instance's clock: the server has no date for nobody joining
        time: isoDate(followed.joinDeadline),
      };
    case 'ended':
      return {
        ...base,
        payload: call ?? null,
        topic: output.reason === 'ended' ? 'Ended' : 'NotFound',
        call,
        // a call no longer found has no end date
        time: isoDate(call?.callEnd),
        // what was shared in it: xassist-assets fetches them
        assets: call ? callAssetsOf(call as unknown as Record<string, unknown>) : [],
        ...(output.reason === 'not-found' && {
          notFound: neverFound(output) ? 'no-such-call' : 'gone',
        }),
      };
  }
}

/**
 * With another output property, what would be msg.payload goes there, its topic to
 * msg.eventType, and msg.payload and msg.topic stay those of the message that started it.
 */
export function placed(
  msg: NodeMessage,
  context: Record<string, unknown>,
  property: string,
  setProperty: (msg: NodeMessage, property: string, value: unknown) => void,
): NodeMessage {
  if (property === 'payload') return msg;
  const { payload, topic, ...rest } = msg;
  const out: NodeMessage = { ...rest, eventType: topic } as NodeMessage;
  if ('payload' in context) out.payload = structuredClone(context.payload);
  if ('topic' in context) out.topic = context.topic as string;
  setProperty(out, property, payload);
  return out;
}

/** A call the server never knew: its id was mistyped, or belongs to another server. */
export function neverFound(output: FollowerOutput): boolean {
  return (
    output.kind === 'ended' && output.reason === 'not-found' && output.followed.lastEventId === null
  );
}
