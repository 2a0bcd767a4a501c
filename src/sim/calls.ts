import { randomUUID } from 'node:crypto';
import type { AssetSize, CallEvent, CallLog, CallLogContact } from '../xassist/types';
import {
  ASSET_EVENT,
  assetBytes,
  newAsset,
  shareOptionsOf,
  type ShareOptions,
  type SimAsset,
  type StoredAsset,
} from './assets';
import { contactOf, type SimUser } from './users';
import type { AssetChecksum } from './variants';

/** A call lifecycle the simulator plays by itself after each createCall. */
export interface Autoplay {
  /** invitees (and the creator) join this long after creation */
  joinAfterMs: number;
  /** then leave, and the call ends, this long after creation (never when absent) */
  endAfterMs?: number;
  /**
   * the first invitee to join shares `snapshot.jpg` this long after joining, when the call has
   * not ended by then; absent or 0: nobody shares
   */
  shareAfterMs?: number;
}

/** What the store tells, and asks, the simulator it belongs to. */
export interface CallStoreHooks {
  /** every call event added live */
  onEvent?: (callId: string, event: CallEvent) => void;
  /** an asset that was UPLOADING is READY */
  onAssetReady?: (asset: SimAsset) => void;
  /** the checksum style of the assets shared now; `sha256` when absent */
  assetChecksum?: () => AssetChecksum;
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
  private readonly assets = new Map<string, StoredAsset>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextCallId = 842;
  private nextEventId = 697;
  private nextContactId = 1;

  constructor(
    private readonly users: SimUser[],
    private readonly inviteBase: () => string,
    public autoplay?: Autoplay,
    private readonly hooks: CallStoreHooks = {},
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
      if (share) {
        const asset = newAsset(share.assetId, userId, at, { name: share.name }, this.checksum());
        this.recordShare(log, contact, asset);
      } else {
        this.record(log, type, contact, iso(at));
      }
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
    this.hooks.onEvent?.(callId, event);
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
   * `userId` shares an asset in the call (a 2 MiB photo unless `options` say otherwise): an
   * `AssetShared` event carrying its `assetUri` and `asset`, and the asset in the call log's
   * `assets`, downloadable by its uri. Throws on options `shareOptionsOf` refuses. One shared
   * UPLOADING becomes READY in the call log `readyAfterMs` later; its event, like a real
   * event, keeps showing it UPLOADING.
   */
  shareAsset(callId: string, userId: string, options: ShareOptions = {}): CallEvent {
    const log = this.require(callId);
    const checked = shareOptionsOf({ ...options });
    const stored = newAsset(randomUUID(), userId, Date.now(), checked, this.checksum());
    const event = this.recordShare(log, this.contactIn(log, userId), stored);
    if (checked.readyAfterMs) this.after(checked.readyAfterMs, () => this.markReady(stored));
    this.hooks.onEvent?.(callId, event);
    return event;
  }

  /** The asset shared in some call under `uri`, as the call log's `assets[]` answers it. */
  asset(uri: string): SimAsset | undefined {
    return this.assets.get(uri)?.record;
  }

  /** The asset under `uri` with what makes its download. */
  storedAsset(uri: string): StoredAsset | undefined {
    return this.assets.get(uri);
  }

  /** The bytes the download answers for the asset under `uri` in `size` once it is READY. */
  assetBytes(uri: string, size: AssetSize): Buffer {
    return assetBytes(this.requireAsset(uri).content, size);
  }

  /**
   * The asset under `uri` is gone from the server's storage: its download answers 404, as for
   * a uri never shared; the call's events and `assets[]` still name it. Throws for an unknown uri.
   */
  deleteAsset(uri: string): void {
    this.requireAsset(uri).gone = true;
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
    const shareAt = autoplay.joinAfterMs + (autoplay.shareAfterMs ?? 0);
    if (
      autoplay.shareAfterMs &&
      (autoplay.endAfterMs === undefined || shareAt < autoplay.endAfterMs)
    ) {
      this.after(shareAt, () => this.shareSnapshot(log));
    }
    if (autoplay.endAfterMs !== undefined) {
      this.after(autoplay.endAfterMs, () => this.end(log.callId));
    }
  }

  /**
   * The first invitee still in the call (the creator when none is) shares a snapshot: what a
   * technician on glasses sends, rather than the account that made the call.
   */
  private shareSnapshot(log: CallLog): void {
    if (log.callStatus === 'Ended') return;
    const joined = this.joined.get(log.callId);
    const inCall = (userId: unknown): userId is string =>
      typeof userId === 'string' && joined?.has(userId) === true;
    const invitees = (log.invitedContacts ?? []).map((contact) => contact.userId);
    const sharer = invitees.find(inCall) ?? [log.creatorContact?.userId].find(inCall);
    if (sharer) this.shareAsset(log.callId, sharer, { name: 'snapshot.jpg' });
  }

  private markReady(stored: StoredAsset): void {
    stored.record.state = 'READY';
    stored.record.updatedAt = Date.now();
    this.hooks.onAssetReady?.(stored.record);
  }

  private checksum(): AssetChecksum {
    return this.hooks.assetChecksum?.() ?? 'sha256';
  }

  private requireAsset(uri: string): StoredAsset {
    const stored = this.assets.get(uri);
    if (!stored) throw new Error(`uri: no asset '${uri}'`);
    return stored;
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

  private recordShare(log: CallLog, contact: CallLogContact, stored: StoredAsset): CallEvent {
    const asset = stored.record;
    const event = this.record(log, ASSET_EVENT, contact, iso(asset.createdAt));
    event.assetUri = asset.uri;
    // a copy: the event shows the asset as it was when shared, the call log as it is now
    event.asset = { ...asset, tags: [...asset.tags] };
    log.assets = [...((log.assets as SimAsset[] | undefined) ?? []), asset];
    this.assets.set(asset.uri, stored);
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
