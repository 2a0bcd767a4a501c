import { newestFirst } from '../xassist/call-logs';
import { serverDate } from '../xassist/dates';
import type { CallLog, CallLogContact, CreateCallRequest } from '../xassist/types';

/**
 * How far the server's clock may be behind ours when it stamps a call's start. Small on purpose:
 * a wider window lets an earlier call to the same people pass for the lost one, and that step
 * would call nobody; a server further behind only costs a second call.
 */
const CLOCK_SKEW_MS = 5_000;

/**
 * The newest call in `calls` that is the one `body` would have made since `since`: same
 * invitees, same teams, same title, started since then, and not one of `known`. `calls` may come
 * in any order (a server need not honour the sort asked for): the newest is taken.
 */
export function findCallOf(
  calls: CallLog[],
  body: CreateCallRequest,
  since: number,
  known: string[],
): CallLog | undefined {
  const invitees = keysOf(body.invitedContacts ?? []);
  const teams = (body.invitedTeams ?? []).map((team) => String(team.id ?? team.name)).sort();
  return newestFirst(calls).find((call) => {
    const started = serverDate(call.callStart);
    return (
      typeof call.callId === 'string' &&
      !known.includes(call.callId) &&
      started !== undefined &&
      started >= since - CLOCK_SKEW_MS &&
      (body.callTitle === undefined || call.title === body.callTitle) &&
      same(keysOf(call.invitedContacts ?? []), invitees) &&
      same((call.invitedTeams ?? []).map((team) => String(team.id ?? team.name)).sort(), teams)
    );
  });
}

function keysOf(contacts: CallLogContact[]): string[] {
  return contacts
    .map((contact) => String(contact.userDbId ?? contact.userId ?? contact.email))
    .sort();
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
