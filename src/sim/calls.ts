import { randomUUID } from 'node:crypto';
import type { CallEvent, CallLog, CallLogContact } from '../xassist/types';
import { contactOf, type SimUser } from './users';

/** A call lifecycle the simulator plays by itself after each createCall. */
export interface Autoplay {
  /** invitees (and the creator) join this long after creation */
  joinAfterMs: number;
  /** then leave, and the call ends, this long after creation (never when absent) */
  endAfterMs?: number;
}

export interface NewCall {
  callTitle: string;
  callType: string;
  callReason: string;
  invitedContacts: CallLogContact[];
  invitedTeams: unknown[];
  joinAnonymousAllowed: boolean;
  informOthersDirectly: boolean;
  plannedDateTime: string | null;
  creator: SimUser;
}

/** The calls of the simulated server, their events, and the timers that play them. */
export class CallStore {
  private readonly calls = new Map<string, CallLog>();
  private readonly joined = new Map<string, Set<string>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextCallId = 842;
  private nextEventId = 697;
  private nextContactId = 1;

  constructor(
    private readonly users: SimUser[],
    private readonly inviteBase: () => string,
    public autoplay?: Autoplay,
    private readonly onEvent: (callId: string, event: CallEvent) => void = () => undefined,
  ) {}

  create(call: NewCall): CallLog {
    const callId = randomUUID();
    const now = new Date().toISOString();
    const log: CallLog = {
      id: this.nextCallId++,
      callId,
      title: call.callTitle,
      callType: call.callType,
      callReason: call.callReason,
      anonymousJoinAllow: call.joinAnonymousAllowed,
      callStatus: call.plannedDateTime ? 'Planned' : 'Started',
      creatorContact: this.withId(contactOf(call.creator)),
      invitedContacts: call.invitedContacts.map((contact) => this.withId(contact)),
      invitedTeams: call.invitedTeams as CallLog['invitedTeams'],
      callEvents: [],
      callStart: call.plannedDateTime ? null : now,
      callEnd: null,
      plannedDateTime: call.plannedDateTime,
      inviteLink: `${this.inviteBase()}join/${callId}`,
    };
    this.calls.set(callId, log);
    this.joined.set(callId, new Set());
    this.addEvent(callId, 'Created', log.creatorContact ?? undefined);
    if (this.autoplay) this.play(log, this.autoplay);
    return log;
  }

  get(callId: string): CallLog | undefined {
    return this.calls.get(callId);
  }

  /** Every call, oldest first. */
  all(): CallLog[] {
    return [...this.calls.values()];
  }

  /** Newest first, as getFilteredCallLogsV2 answers by default. */
  list(size: number): CallLog[] {
    return [...this.calls.values()].reverse().slice(0, size);
  }

  addEvent(callId: string, type: string, contact?: CallLogContact, comment?: string): CallEvent {
    const log = this.require(callId);
    const event: CallEvent = {
      id: this.nextEventId++,
      type,
      contact: contact ?? null,
      time: new Date().toISOString(),
    };
    if (comment !== undefined) event.comment = comment;
    log.callEvents = [...(log.callEvents ?? []), event];
    this.onEvent(callId, event);
    return event;
  }

  join(callId: string, userId: string): CallEvent {
    const log = this.require(callId);
    this.joined.get(callId)?.add(userId);
    if (log.callStatus === 'Planned') log.callStatus = 'Started';
    return this.addEvent(callId, 'Join', this.contactIn(log, userId));
  }

  leave(callId: string, userId: string): CallEvent {
    const log = this.require(callId);
    this.joined.get(callId)?.delete(userId);
    return this.addEvent(callId, 'Leave', this.contactIn(log, userId));
  }

  /** Everyone still in the call leaves, then the call is Ended. */
  end(callId: string): CallLog {
    const log = this.require(callId);
    for (const userId of this.joined.get(callId) ?? []) this.leave(callId, userId);
    log.callStatus = 'Ended';
    log.callEnd = new Date().toISOString();
    return log;
  }

  clear(): void {
    this.stopTimers();
    this.calls.clear();
    this.joined.clear();
  }

  stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private play(log: CallLog, autoplay: Autoplay): void {
    const absent = new Set(
      this.users.filter((user) => user.answers === false).map((u) => u.userId),
    );
    const participants = [log.creatorContact, ...(log.invitedContacts ?? [])]
      .map((contact) => contact?.userId)
      .filter((userId): userId is string => typeof userId === 'string' && !absent.has(userId));
    this.after(autoplay.joinAfterMs, () => {
      for (const userId of participants) this.join(log.callId, userId);
    });
    if (autoplay.endAfterMs !== undefined) {
      this.after(autoplay.endAfterMs, () => this.end(log.callId));
    }
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private contactIn(log: CallLog, userId: string): CallLogContact {
    const known = [log.creatorContact, ...(log.invitedContacts ?? [])].find(
      (contact) => contact?.userId === userId,
    );
    if (known) return known;
    const user = this.users.find((candidate) => candidate.userId === userId);
    return this.withId(user ? contactOf(user) : { userId, displayName: userId });
  }

  private withId(contact: CallLogContact): CallLogContact {
    return { id: this.nextContactId++, ...contact };
  }

  private require(callId: string): CallLog {
    const log = this.calls.get(callId);
    if (!log) throw new Error(`no call ${callId}`);
    return log;
  }
}
