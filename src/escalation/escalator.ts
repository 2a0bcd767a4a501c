import { CallTracker, type TrackerOutput } from '../tracking/tracker';
import type { CallDraft } from '../mapping/create-call';
import { Backoff, type BackoffPolicy } from '../xassist/backoff';
import { isTransient, XAssistError } from '../xassist/errors';
import type { MadeCall } from '../calls/call-maker';
import type { CallLog, CreateCallRequest } from '../xassist/types';
import { CallOwners } from './call-owners';
import type { Escalation, EscalationCall, EscalationOutput, Step, StepFailure } from './escalation';

export type { Escalation, EscalationCall, EscalationOutput, Step, StepFailure } from './escalation';

export interface EscalatorOptions {
  /** the step's createCall body: its contacts looked up */
  resolve: (draft: CallDraft) => Promise<CreateCallRequest>;
  /**
   * The step's call, made as every node of the server makes calls (`CallMaker`): failures that
   * may pass are tried again until `until`; with `since`, a request since then may have made the
   * call, which is looked for first.
   */
  make: (body: CreateCallRequest, attempt: StepAttempt) => Promise<MadeCall>;
  read: (callId: string) => Promise<CallLog>;
  /** whether a failed read says the call is gone (see TrackerOptions.isGone) */
  isGone?: (error: unknown) => Promise<boolean>;
  emit: (output: EscalationOutput) => void;
  /** after any change, to persist the running escalations */
  save: (escalations: Escalation[]) => void;
  /**
   * Resolves once what was saved is kept where another instance would find it (shared state):
   * awaited before a call is made, so that an instance taking over looks for it before making it
   * again. Never rejects.
   */
  persist?: () => Promise<void>;
  /**
   * A step's call could not be made: refused (the next step is called at once), or not made
   * within the step's wait. Also once per escalation when the server refuses the credentials.
   */
  onStepFailed: (error: unknown, escalation: Escalation) => void;
  /** a step's call failed and is tried again after `retryInMs` */
  onStepRetry?: (error: unknown, escalation: Escalation, retryInMs: number) => void;
  /** a read failed; the call is read again after `retryInMs` */
  onReadFailed: (error: unknown, callId: string, retryInMs: number) => void;
  /** a read of a call succeeded (after failures, the status can say so) */
  onRead?: () => void;
  /** any change worth showing in the node's status */
  onChange?: () => void;
  intervalMs: number;
  maxConcurrent: number;
  /** waits between attempts to make a step's call (default every 0.25–0.5 s, then 0.5–1 s) */
  retry?: BackoffPolicy;
  now?: () => number;
}

/** What one attempt at a step's call may take. */
export interface StepAttempt {
  until: number;
  since?: number;
  /** waits between attempts: stop() ends them (they reject) */
  wait: (ms: number) => Promise<void>;
  onRetry: (error: unknown, waitMs: number) => void;
}

/** A step's call, and when it was made (on our clock). */
interface StepCall {
  call: CallLog;
  calledAt: number;
}

const DEFAULT_RETRY: BackoffPolicy = { initialMs: 500, maxMs: 1_000 };
/** the shortest wait before a step's call is tried again, whatever a Retry-After says */
const MIN_RETRY_MS = 100;
/** setTimeout cannot wait longer; a step's wait is at most a day anyway */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs escalations: calls a step, waits for a Join up to the step's deadline, then calls the
 * next step, round after round, and stops at the first Join in any of its calls (an expert
 * who joins late still counts). Joined, exhausted and ended are each emitted once.
 *
 * A step's deadline is its start plus its wait, whether its call could be made or not: a call
 * that fails for a reason that may pass (server down, busy, no login) is tried again until then,
 * so that "nobody joined" comes after the sum of the waits even while the server is down.
 */
export class Escalator {
  private readonly escalations = new Map<string, Escalation>();
  private readonly owners: CallOwners;
  private readonly now: () => number;
  /** requests that may make a call: stop() waits for them, so that a call made is saved */
  private readonly creating = new Set<Promise<unknown>>();
  /** the pending waits (retries, step deadlines), each ended by stop() */
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  /** escalations whose refused credentials were reported: once each */
  private readonly authReported = new Set<string>();
  /** closing: no new call, no output; what is made meanwhile is still saved */
  private closing = false;
  private stopped = false;

  constructor(private readonly options: EscalatorOptions) {
    this.now = options.now ?? Date.now;
    const tracker = new CallTracker({
      intervalMs: options.intervalMs,
      skipHistory: false,
      maxConcurrent: options.maxConcurrent,
      noJoinWhenUnread: true,
      read: options.read,
      isGone: options.isGone,
      emit: (output) => this.onCallOutput(output),
      // the escalations are what is saved; the tracker's state is rebuilt from them
      save: () => undefined,
      onError: (err, callId, retryInMs) => options.onReadFailed(err, callId, retryInMs),
      onRead: () => options.onRead?.(),
      now: options.now,
    });
    this.owners = new CallOwners(tracker, this.now);
  }

  get size(): number {
    return this.escalations.size;
  }

  get(id: string): Escalation | undefined {
    return this.escalations.get(id);
  }

  list(): Escalation[] {
    return [...this.escalations.values()];
  }

  /** Starts an escalation; false when one with the same id is running. */
  start(escalation: Escalation): boolean {
    if (this.closing || this.escalations.has(escalation.id)) return false;
    escalation.stepStartedAt ??= escalation.startedAt;
    this.escalations.set(escalation.id, escalation);
    this.save();
    this.callStep(escalation);
    return true;
  }

  /** Picks up an escalation saved before a restart: its calls are read, its deadline kept. */
  resume(escalation: Escalation): void {
    if (this.closing || this.escalations.has(escalation.id)) return;
    this.escalations.set(escalation.id, escalation);
    const { joined } = escalation;
    if (joined) {
      this.owners.follow(escalation, joined.callId, { joined: true });
      return;
    }
    for (const call of escalation.calls) {
      const current = call.position === escalation.position;
      this.owners.follow(escalation, call.callId, {
        startedAt: call.calledAt,
        joinDeadline: current ? call.deadline : undefined,
        noJoinSent: !current,
      });
    }
    // given without its step start (the saved shapes migrate it): the step began as its call did
    escalation.stepStartedAt ??= escalation.callingSince ?? this.now();
    if (!this.currentCall(escalation)) this.callStep(escalation);
  }

  /** Lets go of an escalation that another instance runs now: nothing is sent or saved of it. */
  release(id: string): void {
    const escalation = this.escalations.get(id);
    if (!escalation) return;
    this.finish(escalation);
    this.options.onChange?.();
  }

  /** Cancels one escalation, or all: no more calls; the calls made are left as they are. */
  cancel(id?: string): number {
    const ids = id === undefined ? [...this.escalations.keys()] : [id];
    let cancelled = 0;
    for (const each of ids) {
      const escalation = this.escalations.get(each);
      if (escalation) {
        this.finish(escalation);
        cancelled += 1;
      }
    }
    this.options.onChange?.();
    return cancelled;
  }

  /**
   * Stops every timer and waits for the calls being made (the caller aborts their requests), so
   * that each is saved; the escalations stay saved for the next start, and nothing is saved after.
   */
  async stop(): Promise<void> {
    this.closing = true;
    this.owners.stop();
    for (const [timer, end] of this.timers) {
      clearTimeout(timer);
      end();
    }
    this.timers.clear();
    await Promise.all(this.creating);
    this.stopped = true;
  }

  /**
   * Makes the current step's call, trying again while the failure may pass, until the step's
   * deadline: then the step is given up and the next one called.
   */
  private callStep(escalation: Escalation): void {
    const { position } = escalation;
    const step = this.stepAt(escalation, position);
    const deadline = (escalation.stepStartedAt ?? this.now()) + step.timeoutMs;
    const backoff = new Backoff(this.options.retry ?? DEFAULT_RETRY);
    let attempts = 0;
    let lastError: unknown;
    const cancelDeadline = this.after(deadline - this.now(), () => {
      if (!this.isCurrent(escalation, position) || this.currentCall(escalation)) return;
      try {
        this.stepFailed(escalation, lastError ?? notCalledInTime(), 'timed-out', attempts);
      } catch (err) {
        // an output that throws must not become a throw from a timer
        this.options.onStepFailed(err, escalation);
      }
    });
    this.options.onChange?.();
    const attempt = async (): Promise<void> => {
      while (this.isCurrent(escalation, position) && !this.closing) {
        attempts += 1;
        try {
          const made = await this.makeCall(escalation, step, position, deadline);
          if (!made) return; // moved on, stopped, or past the deadline: its timer decides
          cancelDeadline();
          this.madeCall(escalation, made, position, deadline);
          return;
        } catch (err) {
          lastError = err;
          if (!this.isCurrent(escalation, position) || this.closing) return;
          if (!isTransient(err) && !isAuth(err)) {
            cancelDeadline();
            this.stepFailed(escalation, err, 'refused', attempts);
            return;
          }
          if (isAuth(err)) this.reportAuthOnce(escalation, err);
          // when the server or the session's back-off says when, then; else a growing wait
          const wait = Math.max(MIN_RETRY_MS, retryAfterOf(err) ?? backoff.next());
          if (this.now() + wait >= deadline) return; // the deadline gives the step up
          this.options.onStepRetry?.(err, escalation, wait);
          await new Promise<void>((resolve) => this.after(wait, resolve, resolve));
        }
      }
    };
    // an output that throws must not become an unhandled rejection
    void attempt()
      .catch((err: unknown) => this.options.onStepFailed(err, escalation))
      .catch(() => undefined);
  }

  /**
   * The step's call: the one a request whose answer never came may have made (looked for first),
   * or a new one. Undefined when it is too late to make one.
   */
  private async makeCall(
    escalation: Escalation,
    step: Step,
    position: number,
    deadline: number,
  ): Promise<StepCall | undefined> {
    const body = await this.bodyOf(step);
    if (this.closing || !this.isCurrent(escalation, position) || this.now() >= deadline) {
      return undefined;
    }
    // set before: a restart or a takeover since then looks for the call before making one
    const since = escalation.callingSince;
    escalation.callingSince ??= this.now();
    this.save();
    if (this.options.persist) {
      await this.whileCreating(this.options.persist());
      if (this.closing || !this.isCurrent(escalation, position)) return undefined;
    }
    try {
      const made = await this.whileCreating(
        this.options.make(body, {
          until: deadline,
          since,
          wait: (ms) =>
            new Promise<void>((resolve, reject) =>
              this.after(ms, resolve, () => reject(new Error('the escalations were stopped'))),
            ),
          onRetry: (err, waitMs) => this.options.onStepRetry?.(err, escalation, waitMs),
        }),
      );
      // a call found was made after its request was sent: the nearest time on our clock
      return { call: made.call, calledAt: made.recovered ? made.sentAt : this.now() };
    } catch (err) {
      if (err instanceof XAssistError && !err.mayHaveReachedServer) {
        escalation.callingSince = undefined;
        this.save();
      }
      throw err;
    }
  }

  private async bodyOf(step: Step): Promise<CreateCallRequest> {
    if (step.body) return step.body;
    if (!step.draft) throw new Error('a step without invitees');
    step.body = await this.options.resolve(step.draft);
    return step.body;
  }

  /** stop() waits for `work`. */
  private whileCreating<T>(work: Promise<T>): Promise<T> {
    const tracked = work.then(
      () => undefined,
      () => undefined,
    );
    this.creating.add(tracked);
    void tracked.finally(() => this.creating.delete(tracked));
    return work;
  }

  private madeCall(
    escalation: Escalation,
    { call, calledAt }: StepCall,
    position: number,
    deadline: number,
  ): void {
    escalation.callingSince = undefined;
    if (this.isCurrent(escalation, position)) {
      this.record(escalation, call, position, calledAt, deadline);
    } else if (this.escalations.get(escalation.id) === escalation && !this.stopped) {
      // made after its step was given up, or while an earlier call was joined: listed in the
      // outputs, and followed for a late join unless someone joined already
      escalation.calls.push({ callId: call.callId, position, calledAt, deadline: calledAt });
      this.save();
      if (!escalation.joined && !this.closing) {
        this.owners.follow(escalation, call.callId, { startedAt: calledAt, noJoinSent: true });
      }
    }
  }

  private stepFailed(
    escalation: Escalation,
    error: unknown,
    reason: StepFailure['reason'],
    attempts: number,
  ): void {
    const { position } = escalation;
    escalation.failures.push({
      position,
      at: this.now(),
      message: error instanceof Error ? error.message : String(error),
      reason,
      attempts,
    });
    if (!isAuth(error) || !this.authReported.has(escalation.id)) {
      this.options.onStepFailed(error, escalation);
    }
    this.next(escalation);
  }

  /** Refused credentials need a person now; the step is still tried until its deadline. */
  private reportAuthOnce(escalation: Escalation, error: unknown): void {
    if (this.authReported.has(escalation.id)) return;
    this.authReported.add(escalation.id);
    this.options.onStepFailed(error, escalation);
  }

  /**
   * Runs `action` after `ms`; stop() clears it and runs `onStop` instead. The returned function
   * cancels it.
   */
  private after(ms: number, action: () => void, onStop: () => void = () => undefined): () => void {
    if (this.closing) {
      onStop();
      return () => undefined;
    }
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        action();
      },
      Math.max(0, Math.min(ms, MAX_TIMER_MS)),
    );
    this.timers.set(timer, onStop);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  private record(
    escalation: Escalation,
    call: CallLog,
    position: number,
    calledAt: number,
    deadline: number,
  ): void {
    escalation.calls.push({ callId: call.callId, position, calledAt, deadline });
    this.save();
    if (this.closing) return;
    this.owners.follow(escalation, call.callId, { startedAt: calledAt, joinDeadline: deadline });
    this.options.onChange?.();
  }

  /** Still running, not joined, and still at `position` (not cancelled, stopped or moved on). */
  private isCurrent(escalation: Escalation, position: number): boolean {
    return (
      !this.stopped &&
      this.escalations.get(escalation.id) === escalation &&
      !escalation.joined &&
      escalation.position === position
    );
  }

  private currentCall(escalation: Escalation): EscalationCall | undefined {
    return escalation.calls.find((call) => call.position === escalation.position);
  }

  private stepAt(escalation: Escalation, position: number): Step {
    return escalation.steps[position % escalation.steps.length];
  }

  private next(escalation: Escalation): void {
    escalation.position += 1;
    escalation.stepStartedAt = this.now();
    escalation.callingSince = undefined;
    if (escalation.position >= escalation.steps.length * escalation.rounds) {
      this.finish(escalation);
      this.options.emit({ kind: 'exhausted', escalation });
      this.options.onChange?.();
      return;
    }
    this.save();
    this.callStep(escalation);
  }

  private onCallOutput(output: TrackerOutput): void {
    if (this.closing) return;
    const { callId } = output.followed;
    const escalation = this.escalations.get(this.owners.ownerOf(callId) ?? '');
    if (!escalation) {
      this.owners.forget(callId);
      return;
    }
    const record = escalation.calls.find((call) => call.callId === callId);
    const current = record?.position === escalation.position;
    switch (output.kind) {
      case 'event':
        return;
      case 'joined':
        if (escalation.joined || !record) return;
        escalation.joined = {
          callId,
          position: record.position,
          at: this.now(),
          contact: output.event.contact ?? null,
          // two durations, each on one clock: never a server time minus one of ours
          afterMs: record.calledAt - escalation.startedAt + output.afterMs,
          afterFrom: output.afterFrom,
        };
        // only the joined call is followed on, for its end
        for (const other of escalation.calls)
          if (other.callId !== callId) this.owners.forget(other.callId);
        this.save();
        this.options.emit({
          kind: 'joined',
          escalation,
          call: output.call,
          event: output.event,
          stepJoinedAfter: output.afterMs,
        });
        this.options.onChange?.();
        return;
      case 'no-join':
        if (current && !escalation.joined) this.next(escalation);
        return;
      case 'ended':
        this.owners.ended(callId);
        if (escalation.joined?.callId === callId) {
          this.finish(escalation);
          this.options.emit({ kind: 'ended', escalation, call: output.call });
          this.options.onChange?.();
        } else if (current && !escalation.joined) {
          // ended (or gone) with nobody joined: no reason to wait for the deadline
          this.next(escalation);
        }
        return;
    }
  }

  private finish(escalation: Escalation): void {
    this.escalations.delete(escalation.id);
    this.authReported.delete(escalation.id);
    this.owners.release(escalation);
    this.save();
  }

  private save(): void {
    if (!this.stopped) this.options.save(this.list());
  }
}

/** Refused credentials: a person must act, but the step goes on trying until its deadline. */
function isAuth(err: unknown): boolean {
  return err instanceof XAssistError && err.kind === 'auth';
}

function retryAfterOf(err: unknown): number | undefined {
  return err instanceof XAssistError ? err.retryAfterMs : undefined;
}

function notCalledInTime(): Error {
  return new Error("the call could not be made before the step's wait was over");
}
