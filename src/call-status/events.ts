import { serverDate } from '../xassist/dates';
import type { CallEvent, CallLog, CallLogContact } from '../xassist/types';

/** The events of `call` after `lastEventId`, in event-id order; events without an id are skipped. */
export function newEvents(call: CallLog, lastEventId: number | null): CallEvent[] {
  const events = Array.isArray(call.callEvents) ? call.callEvents : [];
  return events
    .filter(
      (event): event is CallEvent => typeof event?.id === 'number' && Number.isFinite(event.id),
    )
    .filter((event) => lastEventId === null || event.id > lastEventId)
    .sort((a, b) => a.id - b.id);
}

/** The highest event id of `call`, or `fallback` when it has none. */
export function lastEventIdOf(call: CallLog, fallback: number | null): number | null {
  const events = newEvents(call, fallback);
  return events.length ? events[events.length - 1].id : fallback;
}

/** A Join by anyone but the call's creator. */
export function isInviteeJoin(event: CallEvent, call: CallLog): boolean {
  return sameText(event.type, 'Join') && !sameUser(event.contact, call.creatorContact);
}

function sameUser(a?: CallLogContact | null, b?: CallLogContact | null): boolean {
  if (!a || !b) return false;
  if (a.userDbId != null && b.userDbId != null) return a.userDbId === b.userDbId;
  return a.userId != null && a.userId === b.userId;
}

/** Epoch ms when the call started, by the server's clock: its callStart, else its Created event. */
export function callStartOf(call: CallLog): number | undefined {
  const created = newEvents(call, null).find((event) => sameText(event.type, 'Created'));
  return serverDate(call.callStart) ?? serverDate(created?.time);
}

/**
 * A join's time to join: the Join event's time minus the call's start when the server gives both
 * (its clock alone), else `seenAfterMs`, counted on ours until the join was seen. A server time is
 * never taken from one of ours: the two clocks need not agree.
 */
export function joinedAfterOf(
  call: CallLog,
  join: CallEvent,
  seenAfterMs: number,
): { afterMs: number; afterFrom: 'server' | 'seen' } {
  const start = callStartOf(call);
  const at = serverDate(join.time);
  return start !== undefined && at !== undefined && at >= start
    ? { afterMs: at - start, afterFrom: 'server' }
    : { afterMs: seenAfterMs, afterFrom: 'seen' };
}

export function isEnded(call: CallLog): boolean {
  return sameText(call.callStatus, 'Ended');
}

/** Servers differ in case (`ENDED`, `join`): names are compared without it. */
export function sameText(value: unknown, name: string): boolean {
  return typeof value === 'string' && value.toLowerCase() === name.toLowerCase();
}
