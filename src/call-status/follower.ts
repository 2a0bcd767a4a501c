import { Heap } from 'heap-js';
import { isCallNotFound, XAssistError } from '../xassist/errors';
import { Timers } from '../xassist/timers';
import type { CallEvent, CallLog } from '../xassist/types';
import { isEnded, isInviteeJoin, joinedAfterOf, lastEventIdOf, newEvents } from './events';

/** What is kept of a followed call, in the node's context, so that a restart resumes it. */
export interface FollowedCall {
  callId: string;
  /** the properties of the message that started it, passed on with every output */
  context: Record<string, unknown>;
  startedAt: number;
  /** epoch ms after which, with no invitee joined, NoJoin is sent */
  joinDeadline?: number;
  /** the highest event id emitted; null until the first read */
  lastEventId: number | null;
  joined: boolean;
  noJoinSent: boolean;
}

export type FollowerOutput =
  | { kind: 'event'; followed: FollowedCall; event: CallEvent; call: CallLog }
  | {
      kind: 'joined';
      followed: FollowedCall;
      event: CallEvent;
      call: CallLog;
      /** the time to join: by the server's clock from the call's start, else until it was seen */
      afterMs: number;
      /** server: the Join's time minus the call's start; seen: from following to this read */
      afterFrom: 'server' | 'seen';
    }
  | { kind: 'no-join'; followed: FollowedCall; call?: CallLog }
  | { kind: 'ended'; followed: FollowedCall; call?: CallLog; reason: 'ended' | 'not-found' };

export interface FollowerOptions {
  intervalMs: number;
  joinTimeoutMs?: number;
  /** do not emit the events a call already had when following started */
  skipHistory: boolean;
  /** polls in flight at once, at most */
  maxConcurrent: number;
  read: (callId: string) => Promise<CallLog>;
  /**
   * Whether a failed read says the call is gone (XAssistClient.callIsGone): then it ends at once
   * as not found. Without it a 404 is never believed, only read again: the follower alone cannot
   * tell the server's answer from a proxy's page, and a call wrongly ended is lost for good
   * (its end and its late joins never sent), while a deleted call read on costs a read a minute.
   */
  isGone?: (error: unknown) => Promise<boolean>;
  emit: (output: FollowerOutput) => void;
  /** after any change to the followed calls, to persist them; `changed` names the calls changed */
  save: (calls: FollowedCall[], changed: string[]) => void;
  /** a poll failed; the call is polled again after `retryInMs` */
  onError: (error: unknown, callId: string, retryInMs: number) => void;
  /** a poll read its call */
  onRead?: () => void;
  /**
   * Send NoJoin at the deadline even when the call cannot be read then (the server is down):
   * for an escalation, calling the next person beats waiting for the server.
   */
  noJoinWhenUnread?: boolean;
  now?: () => number;
}

interface Due {
  callId: string;
  at: number;
  /** matches the call's schedule; an older entry in the heap is stale */
  ticket: number;
}

interface Schedule {
  ticket: number;
  failures: number;
}

/** a failing call is read again after twice as long each time, up to 32 intervals or a minute */
const MAX_BACKOFF_MS = 60_000;
const MAX_BACKOFF_INTERVALS = 32;
const WAKE = 'wake';

/**
 * Polls every followed call once per interval, spread by a queue of due times and bounded in
 * concurrency, and turns what it reads into one output per new event (in id order), one
 * 'joined' for the first invitee to join, one 'no-join' at the deadline, one 'ended'.
 * Failed polls are retried later (Retry-After honoured, else a growing wait) and lose nothing:
 * the last emitted event id only moves when its events have been emitted.
 */
export class CallFollower {
  private readonly calls = new Map<string, FollowedCall>();
  private readonly schedules = new Map<string, Schedule>();
  private readonly queue = new Heap<Due>((a, b) => a.at - b.at);
  private readonly timers: Timers;
  /** when the wake timer fires; Infinity when none is set */
  private timerAt = Infinity;
  private inFlight = 0;
  private nextTicket = 1;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: FollowerOptions) {
    this.now = options.now ?? Date.now;
    // a wake that threw (a read that threw instead of rejecting) concerns no call in particular
    this.timers = new Timers((err) => options.onError(err, '', options.intervalMs));
  }

  get size(): number {
    return this.calls.size;
  }

  has(callId: string): boolean {
    return this.calls.has(callId);
  }

  /** Starts following a call (again, after a restart, with its saved state); polls it at once. */
  follow(callId: string, context: Record<string, unknown>, saved?: FollowedCall): boolean {
    if (this.calls.has(callId) || this.stopped) return false;
    this.calls.set(callId, saved ?? this.fresh(callId, context));
    this.schedule(callId, this.now());
    this.save([callId]);
    return true;
  }

  /** What is kept of a call followed from now on, before its first read. */
  fresh(callId: string, context: Record<string, unknown>): FollowedCall {
    const startedAt = this.now();
    const { joinTimeoutMs } = this.options;
    return {
      callId,
      context,
      startedAt,
      joinDeadline: joinTimeoutMs ? startedAt + joinTimeoutMs : undefined,
      lastEventId: null,
      joined: false,
      noJoinSent: false,
    };
  }

  /** Stops following one call, or all. */
  unfollow(callId?: string): void {
    const ids = callId === undefined ? [...this.calls.keys()] : [callId];
    for (const id of ids) {
      this.calls.delete(id);
      this.schedules.delete(id);
    }
    this.save(ids);
  }

  /** Stops every timer; the followed calls stay saved for the next start. */
  stop(): void {
    this.stopped = true;
    this.timers.close();
    this.queue.clear();
  }

  private schedule(callId: string, at: number): void {
    const current = this.schedules.get(callId);
    const ticket = this.nextTicket++;
    this.schedules.set(callId, {
      ticket,
      failures: current?.failures ?? 0,
    });
    const followed = this.calls.get(callId);
    // a join deadline before the next poll brings the poll forward: NoJoin is decided on a fresh read
    const deadline =
      followed && !followed.joined && !followed.noJoinSent ? followed.joinDeadline : undefined;
    const pollAt = deadline !== undefined && deadline > this.now() && deadline < at ? deadline : at;
    this.queue.push({ callId, at: pollAt, ticket });
    this.wake();
  }

  private wake(): void {
    if (this.stopped) return;
    const now = this.now();
    while (this.inFlight < this.options.maxConcurrent) {
      const due = this.queue.peek();
      if (!due || due.at > now) break;
      this.queue.pop();
      const schedule = this.schedules.get(due.callId);
      if (!schedule || schedule.ticket !== due.ticket) continue;
      this.poll(due.callId, schedule);
    }
    this.arm();
  }

  private arm(): void {
    const next = this.inFlight < this.options.maxConcurrent ? this.queue.peek()?.at : undefined;
    if (next === undefined || next >= this.timerAt) return;
    this.timerAt = next;
    this.timers.set(WAKE, next - this.now(), () => {
      this.timerAt = Infinity;
      this.wake();
    });
  }

  private poll(callId: string, schedule: Schedule): void {
    this.inFlight += 1;
    const startedAt = this.now();
    this.options
      .read(callId)
      .then(
        (call) => {
          schedule.failures = 0;
          this.options.onRead?.();
          if (!this.apply(callId, call)) return undefined;
          return nextOnGrid(startedAt, this.options.intervalMs, callId);
        },
        (err: unknown) => this.failed(callId, schedule, err),
      )
      .catch((err: unknown) => {
        // an answer that cannot be trusted, or an output that throws: read again next interval
        this.options.onError(err, callId, this.options.intervalMs);
        return startedAt + this.options.intervalMs;
      })
      .then((next) => {
        this.inFlight -= 1;
        if (this.stopped) return;
        const current = this.schedules.get(callId);
        if (next !== undefined && current === schedule) this.schedule(callId, next);
        else this.wake();
      });
  }

  /** Emits what is new in `call`; false when the call has ended and is no longer followed. */
  private apply(callId: string, call: CallLog): boolean {
    const followed = this.calls.get(callId);
    // after stop() nothing is emitted: the saved state still says what has not been sent
    if (!followed || this.stopped) return false;
    const { emit, skipHistory } = this.options;
    const first = followed.lastEventId === null;
    checkEvents(call, followed.lastEventId);
    const events = newEvents(call, followed.lastEventId);
    if (!first && events.length === 0 && !isEnded(call) && !this.joinDeadlinePassed(followed)) {
      return true;
    }
    if (first && skipHistory) {
      followed.joined = events.some((event) => isInviteeJoin(event, call));
    } else {
      for (const event of events) {
        emit({ kind: 'event', followed, event, call });
        if (!followed.joined && isInviteeJoin(event, call)) {
          followed.joined = true;
          const seenAfterMs = this.now() - followed.startedAt;
          emit({
            kind: 'joined',
            followed,
            event,
            call,
            ...joinedAfterOf(call, event, seenAfterMs),
          });
        }
      }
    }
    followed.lastEventId = lastEventIdOf(call, followed.lastEventId) ?? (first ? 0 : null);
    if (isEnded(call)) {
      this.end(followed, call, 'ended');
      return false;
    }
    if (this.joinDeadlinePassed(followed)) {
      followed.noJoinSent = true;
      emit({ kind: 'no-join', followed, call });
    }
    this.save([callId]);
    return true;
  }

  private joinDeadlinePassed(followed: FollowedCall): boolean {
    const { joined, noJoinSent, joinDeadline } = followed;
    return !joined && !noJoinSent && joinDeadline !== undefined && this.now() >= joinDeadline;
  }

  private async failed(
    callId: string,
    schedule: Schedule,
    err: unknown,
  ): Promise<number | undefined> {
    if (!this.calls.has(callId)) return undefined;
    if (isCallNotFound(err) && (await this.isGone(err))) {
      // unfollowed or stopped while it was asked: nothing more to say of it
      const followed = this.calls.get(callId);
      if (followed) this.end(followed, undefined, 'not-found');
      return undefined;
    }
    // any other answer, and a 404 not believed: read again after a wait, like any failure
    const followed = this.calls.get(callId);
    if (!followed) return undefined;
    if (this.options.noJoinWhenUnread && this.joinDeadlinePassed(followed)) {
      followed.noJoinSent = true;
      this.options.emit({ kind: 'no-join', followed });
      if (!this.calls.has(callId)) return undefined;
    }
    schedule.failures += 1;
    const { intervalMs } = this.options;
    const cap = Math.min(MAX_BACKOFF_MS, intervalMs * MAX_BACKOFF_INTERVALS);
    const backoff = Math.min(cap, intervalMs * 2 ** schedule.failures);
    const retryAfter = err instanceof XAssistError ? (err.retryAfterMs ?? 0) : 0;
    const wait = Math.max(backoff, retryAfter);
    this.options.onError(err, callId, wait);
    return this.now() + wait;
  }

  private isGone(err: unknown): Promise<boolean> {
    const { isGone } = this.options;
    return isGone ? isGone(err).catch(() => false) : Promise.resolve(false);
  }

  private end(
    followed: FollowedCall,
    call: CallLog | undefined,
    reason: 'ended' | 'not-found',
  ): void {
    if (this.stopped) return;
    this.calls.delete(followed.callId);
    this.schedules.delete(followed.callId);
    this.save([followed.callId]);
    this.options.emit({ kind: 'ended', followed, call, reason });
  }

  private save(changed: string[]): void {
    if (!this.stopped) this.options.save([...this.calls.values()], changed);
  }
}

/**
 * The next read of a call after `after`: on a grid of the interval, set by the clock and shifted
 * by a fraction of the interval that depends on the call id. Calls followed together are read
 * spread over the interval rather than all at once; and every node that follows the same call at
 * the same interval reads it at the same moments, so that the server node can answer them all
 * with one request.
 */
function nextOnGrid(after: number, intervalMs: number, callId: string): number {
  const offset = intervalMs * phaseOf(callId);
  const steps = Math.floor((after - offset) / intervalMs) + 1;
  return offset + steps * intervalMs;
}

/** A fraction in [0, 1) that depends only on the call id (FNV-1a). */
function phaseOf(callId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < callId.length; i++) {
    hash ^= callId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
}

/**
 * An answer whose events are not a list, or lack events already sent (the list shrank), is not
 * the call's state: it is read again rather than trusted, above all when it also says Ended.
 */
function checkEvents(call: CallLog, lastEventId: number | null): void {
  const problem = !Array.isArray(call.callEvents)
    ? 'without a list of events'
    : lastEventId && (lastEventIdOf(call, null) ?? 0) < lastEventId
      ? 'with fewer events than before'
      : undefined;
  if (problem) {
    throw new XAssistError('response', `xAssist rtc/getCallLogById answered ${problem}`, {
      path: 'rtc/getCallLogById',
      mayHaveReachedServer: true,
    });
  }
}
