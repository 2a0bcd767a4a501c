import { CallFollower, type FollowerOutput } from '../call-status/follower';
import type { CallLog } from '../xassist/types';
import { CallOwners } from './call-owners';
import {
  currentCall,
  type Escalation,
  type EscalationCall,
  type EscalationOutput,
  type Step,
  type StepFailure,
} from './escalation';
import { StepCaller, type StepCall, type StepCallOptions } from './step-caller';

export type { Escalation, EscalationCall, EscalationOutput, Step, StepFailure } from './escalation';
export type { StepAttempt } from './step-caller';

/** What the escalate node gives an Escalator: how to make, read and save, and what to tell. */
export interface EscalatorOptions extends StepCallOptions {
  read: (callId: string) => Promise<CallLog>;
  /** whether a failed read says the call is gone (see FollowerOptions.isGone) */
  isGone?: (error: unknown) => Promise<boolean>;
  emit: (output: EscalationOutput) => void;
  /** after any change, to persist the running escalations */
  save: (escalations: Escalation[]) => void;
  /** a read failed; the call is read again after `retryInMs` */
  onReadFailed: (error: unknown, callId: string, retryInMs: number) => void;
  /** a read of a call succeeded (after failures, the status can say so) */
  onRead?: () => void;
  /** any change worth showing in the node's status */
  onChange?: () => void;
  intervalMs: number;
  maxConcurrent: number;
  now?: () => number;
}

type Joined = Extract<FollowerOutput, { kind: 'joined' }>;

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
  private readonly caller: StepCaller;
  private readonly now: () => number;
  /** closing: no new call, no output; what is made meanwhile is still saved */
  private closing = false;
  private stopped = false;

  constructor(private readonly options: EscalatorOptions) {
    this.now = options.now ?? Date.now;
    const follower = new CallFollower({
      intervalMs: options.intervalMs,
      skipHistory: false,
      maxConcurrent: options.maxConcurrent,
      noJoinWhenUnread: true,
      read: options.read,
      isGone: options.isGone,
      emit: (output) => this.onCallOutput(output),
      // the escalations are what is saved; the follower's state is rebuilt from them
      save: () => undefined,
      onError: (err, callId, retryInMs) => options.onReadFailed(err, callId, retryInMs),
      onRead: () => options.onRead?.(),
      now: options.now,
    });
    this.owners = new CallOwners(follower, this.now);
    this.caller = new StepCaller(options, {
      now: this.now,
      isCurrent: (escalation, position) => this.isCurrent(escalation, position),
      save: () => this.save(),
      made: (escalation, made, position, deadline) =>
        this.madeCall(escalation, made, position, deadline),
      failed: (escalation, error, reason, attempts) =>
        this.stepFailed(escalation, error, reason, attempts),
      passedOver: (escalation) => this.next(escalation),
    });
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
    if (!currentCall(escalation)) this.callStep(escalation);
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
    await this.caller.stop();
    this.stopped = true;
  }

  /**
   * Calls the current step: its call is tried until the step's deadline, its start plus its
   * wait; then the step is given up and the next one called.
   */
  private callStep(escalation: Escalation): void {
    const step = this.stepAt(escalation, escalation.position);
    const deadline = (escalation.stepStartedAt ?? this.now()) + step.timeoutMs;
    this.options.onChange?.();
    this.caller.call(escalation, step, deadline);
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
    this.caller.report(error, escalation);
    this.next(escalation);
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

  private onCallOutput(output: FollowerOutput): void {
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
        if (!escalation.joined && record) this.joined(escalation, record, output);
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

  /** The first join in any of its calls: only the joined call is followed on, for its end. */
  private joined(escalation: Escalation, record: EscalationCall, output: Joined): void {
    const { callId } = record;
    escalation.joined = {
      callId,
      position: record.position,
      at: this.now(),
      contact: output.event.contact ?? null,
      // two durations, each on one clock: never a server time minus one of ours
      afterMs: record.calledAt - escalation.startedAt + output.afterMs,
      afterFrom: output.afterFrom,
    };
    for (const other of escalation.calls) {
      if (other.callId !== callId) this.owners.forget(other.callId);
    }
    this.save();
    this.options.emit({
      kind: 'joined',
      escalation,
      call: output.call,
      event: output.event,
      stepJoinedAfter: output.afterMs,
    });
    this.options.onChange?.();
  }

  private finish(escalation: Escalation): void {
    this.escalations.delete(escalation.id);
    this.caller.forget(escalation.id);
    this.owners.release(escalation);
    this.save();
  }

  private save(): void {
    if (!this.stopped) this.options.save(this.list());
  }
}
