import { newestFirst } from '../xassist/call-logs';
import { serverDate } from '../xassist/dates';
import type { RequestOptions, XAssistClient } from '../xassist/api';
import type { CallLog, CallLogContact, CreateCallRequest } from '../xassist/types';

/**
 * How far the server's clock may be behind ours when it stamps a call's start. Small on purpose:
 * a wider window lets an earlier call to the same people pass for the lost one, and that alarm
 * would call nobody; a server further behind only costs a second call.
 */
const CLOCK_SKEW_MS = 5_000;
/** how many of the newest calls are searched for a call whose answer was lost */
const RECENT_CALLS = 50;

type CallPages = Pick<XAssistClient, 'getCallLogPage'>;

/**
 * The calls `body` would have made since `since` (same invitees, same teams, same title, started
 * since then), oldest first: each alarm whose answer was lost takes the oldest it has not lost
 * to another. `calls` may come in any order.
 */
export function callsLike(calls: CallLog[], body: CreateCallRequest, since: number): CallLog[] {
  const people = peopleOf(body);
  return newestFirst(calls)
    .reverse()
    .filter((call) => {
      const started = serverDate(call.callStart);
      return (
        typeof call.callId === 'string' &&
        started !== undefined &&
        started >= since - CLOCK_SKEW_MS &&
        (body.callTitle === undefined || call.title === body.callTitle) &&
        peopleOf(call) === people
      );
    });
}

/**
 * The newest calls of the tenant: the first page, newest first as asked, and the last page too
 * when there are more: a server that ignores `sort` answers its oldest calls first, and the newest
 * are then on the last page. It costs one request more, and only when a call is looked for.
 */
export async function newestCalls(api: CallPages, options?: RequestOptions): Promise<CallLog[]> {
  const first = await api.getCallLogPage(0, RECENT_CALLS, options);
  const lastPage = lastPageOf(first);
  if (lastPage <= 0) return first.content;
  const last = await api.getCallLogPage(lastPage, RECENT_CALLS, options);
  // a last page that is nearly empty: the one before it holds the calls just older
  const before =
    lastPage > 1 && last.content.length < first.content.length
      ? (await api.getCallLogPage(lastPage - 1, RECENT_CALLS, options)).content
      : [];
  return [...before, ...last.content, ...first.content];
}

function lastPageOf(page: {
  totalPages?: number;
  totalElements?: number;
  size?: number;
  last?: boolean;
}): number {
  if (page.last === true) return 0;
  if (typeof page.totalPages === 'number') return page.totalPages - 1;
  if (typeof page.totalElements === 'number' && typeof page.size === 'number' && page.size > 0) {
    return Math.ceil(page.totalElements / page.size) - 1;
  }
  return 0;
}

/** What makes two calls the same call for a look-up, besides the title: invitees and teams. */
function peopleOf(call: Pick<CallLog, 'invitedContacts' | 'invitedTeams'>): string {
  const invitees = (call.invitedContacts ?? []).map(keyOf).sort();
  const teams = (call.invitedTeams ?? []).map((team) => String(team.id ?? team.name)).sort();
  return JSON.stringify([invitees, teams]);
}

function keyOf(contact: CallLogContact): string {
  return String(contact.userDbId ?? contact.userId ?? contact.email);
}
