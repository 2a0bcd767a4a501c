import { randomUUID } from 'node:crypto';
import type { CallEvent, CallLog, CallLogContact } from '../xassist/types';
import { ASSET_EVENT, newAsset, type SimAsset } from './assets';
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

/** A call that ended before the simulator started (the seeded history), with its moments. */
export interface EndedCall extends Omit<NewCall, 'plannedDateTime'> {
  callId: string;
  /** epoch ms */
  createdAt: number;
  /** epoch ms; whoever is still in the call leaves then */
  endedAt: number;
  /** the joins and leaves between, each at its epoch ms */
  moves: Array<{ type: 'Join' | 'Leave'; userId: string; at: number }>;
  /** the assets shared in it, each at its epoch ms */
  shares?: Share[];
}

/** An asset `userId` shares in a call at `at` (epoch ms). */
export interface Share {
  userId: string;
  at: number;
  assetId: string;
  name: string;
}

/** The calls of the simulated server, their events, and the timers that play them. */
export class CallStore {
  private readonly calls = new Map<string, CallLog>();
  private readonly joined = new Map<string, Set<string>>();
  /** by uri */
  private readonly assets = new Map<string, SimAsset>();
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
    const callStart = call.plannedDateTime ? null : new Date().toISOString();
    const log = this.newLog(call, randomUUID(), callStart);
    log.callStatus = call.plannedDateTime ? 'Planned' : 'Started';
    log.plannedDateTime = call.plannedDateTime;
    this.calls.set(log.callId, log);
    this.joined.set(log.callId, new Set());
    this.addEvent(log.callId, 'Created', log.creatorContact ?? undefined);
    if (this.autoplay) this.play(log, this.autoplay);
    return log;
  }

  /**
   * Ended calls, oldest first, from before any live call. Their ids are what a server's
   * sequences would have given: call ids in order of creation, event ids in order of time
   * across all of them. Nothing is emitted: nothing happens live.
   */
  insertEnded(calls: readonly EndedCall[]): CallLog[] {
    if (this.calls.size > 0) throw new Error('ended calls go in before any other call');
    const moments: Array<{
      log: CallLog;
      at: number;
      type: string;
      userId: string;
      share?: Share;
    }> = [];
    const logs = calls.map((call) => {
      const log = this.newLog(call, call.callId, iso(call.createdAt));
      log.callStatus = 'Ended';
      log.callEnd = iso(call.endedAt);
      this.calls.set(log.callId, log);
      this.joined.set(log.callId, new Set());
      const creator = call.creator.userId;
      moments.push({ log, at: call.createdAt, type: 'Created', userId: creator });
      const inCall = new Set<string>();
      for (const move of [...call.moves].sort((a, b) => a.at - b.at)) {
        if (move.type === 'Join') inCall.add(move.userId);
        else inCall.delete(move.userId);
        moments.push({ log, ...move });
      }
      for (const userId of inCall) moments.push({ log, at: call.endedAt, type: 'Leave', userId });
      for (const share of call.shares ?? []) {
        moments.push({ log, at: share.at, type: ASSET_EVENT, userId: share.userId, share });
      }
      return log;
    });
    // a stable sort: moments at the same time keep the order of their call and within it
    moments.sort((a, b) => a.at - b.at);
    for (const { log, at, type, userId, share } of moments) {
      const contact = this.contactIn(log, userId);
      if (share) this.recordShare(log, contact, newAsset(share.assetId, share.name, userId, at));
      else this.record(log, type, contact, iso(at));
    }
    return logs;
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
    const event = this.record(log, type, contact ?? null, new Date().toISOString(), comment);
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

  /**
   * `userId` shares a photo in the call: an `AssetShared` event carrying its `assetUri` and
   * `asset`, and the asset in the call log's `assets`, downloadable by its uri.
   */
  shareAsset(callId: string, userId: string, name = 'photo.jpg'): CallEvent {
    const log = this.require(callId);
    const asset = newAsset(randomUUID(), name, userId, Date.now());
    const event = this.recordShare(log, this.contactIn(log, userId), asset);
    this.onEvent(callId, event);
    return event;
  }

  /** The asset shared in some call under `uri`. */
  asset(uri: string): SimAsset | undefined {
    return this.assets.get(uri);
  }

  /** Everyone still in the call leaves, then the call is Ended. */
  end(callId: string): CallLog {
    const log = this.require(callId);
    for (const userId of this.joined.get(callId) ?? []) this.leave(callId, userId);
    log.callStatus = 'Ended';
    log.callEnd = new Date().toISOString();
    return log;
  }

  /** Invite links starting with `from` start with `to` instead. */
  relink(from: string, to: string): void {
    for (const log of this.calls.values()) {
      if (log.inviteLink?.startsWith(from)) log.inviteLink = to + log.inviteLink.slice(from.length);
    }
  }

  clear(): void {
    this.stopTimers();
    this.calls.clear();
    this.joined.clear();
    this.assets.clear();
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

  /** A CallLog of `call` without status, events or end. */
  private newLog(
    call: Omit<NewCall, 'plannedDateTime'>,
    callId: string,
    callStart: string | null,
  ): CallLog {
    return {
      id: this.nextCallId++,
      callId,
      title: call.callTitle,
      callType: call.callType,
      callReason: call.callReason,
      anonymousJoinAllow: call.joinAnonymousAllowed,
      callStatus: 'Started',
      creatorContact: this.withId(contactOf(call.creator)),
      invitedContacts: call.invitedContacts.map((contact) => this.withId(contact)),
      invitedTeams: call.invitedTeams as CallLog['invitedTeams'],
      callEvents: [],
      callStart,
      callEnd: null,
      plannedDateTime: null,
      inviteLink: `${this.inviteBase()}join/${callId}`,
    };
  }

  private record(
    log: CallLog,
    type: string,
    contact: CallLogContact | null,
    time: string,
    comment?: string,
  ): CallEvent {
    const event: CallEvent = { id: this.nextEventId++, type, contact, time };
    if (comment !== undefined) event.comment = comment;
    log.callEvents = [...(log.callEvents ?? []), event];
    return event;
  }

  private recordShare(log: CallLog, contact: CallLogContact, asset: SimAsset): CallEvent {
    const event = this.record(log, ASSET_EVENT, contact, iso(asset.createdAt));
    event.assetUri = asset.uri;
    event.asset = asset;
    log.assets = [...((log.assets as SimAsset[] | undefined) ?? []), asset];
    this.assets.set(asset.uri, asset);
    return event;
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

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
