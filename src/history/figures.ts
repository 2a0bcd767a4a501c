import { callStartOf, isInviteeJoin, newEvents } from '../call-status/events';
import { isoDate } from '../mapping/message-dates';
import { serverDate } from '../xassist/dates';
import type { CallEvent, CallLog } from '../xassist/types';

/**
 * What a call came to, computed from its log: the figures a board or a report shows. Its dates
 * are ISO texts whatever form the server writes them in; its events are the server's, as they came.
 */
export interface CallFigures {
  callId: string;
  title: string | null;
  status: string | null;
  /** ISO: its start, else its Created event */
  createdAt: string | null;
  /** ISO */
  endedAt: string | null;
  /** the userIds invited */
  invitees: string[];
  /** the first invitee to join: who, when (ISO), and how long after the call was made */
  firstJoin: { userId: string | null; at: string; afterMs: number | null } | null;
  /** the invitees who joined, in the order they first joined */
  joinedBy: string[];
  /** from its start to its end; null while it runs */
  durationMs: number | null;
  events: CallEvent[];
}

export interface InviteeFigures {
  userId: string;
  /** calls they were invited to */
  invited: number;
  /** calls they were the first to join */
  answered: number;
  /** their time to join, over the calls they answered first */
  medianMs: number | null;
  p90Ms: number | null;
}

export interface DayFigures {
  /** YYYY-MM-DD, UTC */
  day: string;
  userId: string;
  answered: number;
  medianMs: number | null;
}

export interface HistorySummary {
  calls: number;
  joined: number;
  /** joined / calls, 0 to 1 (0 without calls) */
  joinedShare: number;
  /** time from a call being made to its first invitee's join, over the calls joined */
  medianMs: number | null;
  p90Ms: number | null;
  perInvitee: InviteeFigures[];
  /** per day and per invitee who answered first that day: for a chart of time to join */
  perDay: DayFigures[];
}

export function figuresOf(call: CallLog): CallFigures {
  const events = newEvents(call, null);
  const createdAt = callStartOf(call);
  const endedAt = serverDate(call.callEnd);
  const joins = events.filter((event) => isInviteeJoin(event, call));
  const joinedBy = [...new Set(joins.map((event) => userIdOf(event)).filter(isText))];
  const first = joins[0];
  const firstAt = first ? serverDate(first.time) : undefined;
  return {
    callId: call.callId,
    title: typeof call.title === 'string' ? call.title : null,
    status: typeof call.callStatus === 'string' ? call.callStatus : null,
    createdAt: isoDate(createdAt),
    endedAt: isoDate(endedAt),
    invitees: (call.invitedContacts ?? []).map((contact) => contact.userId).filter(isText),
    firstJoin:
      firstAt === undefined
        ? null
        : {
            userId: userIdOf(first) ?? null,
            at: new Date(firstAt).toISOString(),
            afterMs: createdAt === undefined ? null : Math.max(0, firstAt - createdAt),
          },
    joinedBy,
    durationMs:
      createdAt !== undefined && endedAt !== undefined ? Math.max(0, endedAt - createdAt) : null,
    events,
  };
}

export function summaryOf(calls: CallFigures[]): HistorySummary {
  const joined = calls.filter((call) => call.firstJoin);
  const times = joined.map((call) => call.firstJoin?.afterMs).filter(isNumber);
  const invitees = new Map<string, { invited: number; times: number[] }>();
  const days = new Map<string, number[]>();
  for (const call of calls) {
    for (const userId of call.invitees) {
      const entry = invitees.get(userId) ?? { invited: 0, times: [] };
      entry.invited += 1;
      invitees.set(userId, entry);
    }
    const { firstJoin } = call;
    if (!firstJoin?.userId || firstJoin.afterMs === null) continue;
    const entry = invitees.get(firstJoin.userId) ?? { invited: 0, times: [] };
    entry.times.push(firstJoin.afterMs);
    invitees.set(firstJoin.userId, entry);
    const dayKey = `${dayOf(call.createdAt ?? firstJoin.at)} ${firstJoin.userId}`;
    days.set(dayKey, [...(days.get(dayKey) ?? []), firstJoin.afterMs]);
  }
  return {
    calls: calls.length,
    joined: joined.length,
    joinedShare: calls.length ? joined.length / calls.length : 0,
    medianMs: percentile(times, 0.5),
    p90Ms: percentile(times, 0.9),
    perInvitee: [...invitees]
      .map(([userId, { invited, times: answered }]) => ({
        userId,
        invited,
        answered: answered.length,
        medianMs: percentile(answered, 0.5),
        p90Ms: percentile(answered, 0.9),
      }))
      .sort((a, b) => a.userId.localeCompare(b.userId)),
    perDay: [...days]
      .map(([key, answered]) => {
        const [day, userId] = key.split(' ');
        return { day, userId, answered: answered.length, medianMs: percentile(answered, 0.5) };
      })
      .sort((a, b) => a.day.localeCompare(b.day) || a.userId.localeCompare(b.userId)),
  };
}

/** The nearest-rank percentile (`p` from 0 to 1): a time some call really took. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/** The UTC day of an ISO text as the figures give it: its first ten characters. */
function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

function userIdOf(event: CallEvent): string | undefined {
  const userId = event.contact?.userId;
  return typeof userId === 'string' && userId ? userId : undefined;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}
