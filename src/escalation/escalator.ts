import { CallTracker, type FollowedCall, type TrackerOutput } from '../tracking/tracker';
import type { CallEvent, CallLog, CallLogContact, CreateCallRequest } from '../xassist/types';

/** One step, ready to call: the createCall body (contacts looked up) and its wait. */
export interface Step {
  body: CreateCallRequest;
  timeoutMs: number;
}

/** A call an escalation made. */
export interface EscalationCall {
  callId: string;
  /** 0-based place in the steps × rounds sequence */
  position: number;
  calledAt: number;
  /** epoch ms: with nobody joined by then, the next step is called */
  deadline: number;
}

/** A step whose call could not be made. */
export interface StepFailure {
  position: number;
  at: number;
  message: string;
}

/** Everything an escalation is, as kept in the node's context so that a restart resumes it. */
export interface Escalation {
  /** the dedup key, or a generated id */
  id: string;
  /** the properties of the message that started it, passed on with every output */
  alarm: Record<string, unknown>;
  steps: Step[];
  rounds: number;
  /** the step being called now, in the steps × rounds sequence */
  position: number;
  startedAt: number;
  /** epoch ms when the current step's call began to be made */
  callingSince?: number;
  calls: EscalationCall[];
  failures: StepFailure[];
  joined?: { callId: string; position: number; at: number; contact: CallLogContact | null };
}

export type EscalationOutput =
  | {
      kind: 'joined';
      escalation: Escalation;
      call: CallLog;
      event: CallEvent;
      /** ms from the call being made to the join being seen */
      stepJoinedAfter: number;
    }
  | { kind: 'exhausted'; escalation: Escalation }
  | { kind: 'ended'; escalation: Escalation; call?: CallLog };

export interface EscalatorOptions {
  create: (body: CreateCallRequest) => Promise<CallLog>;
  /**
   * After a restart, the call of `step` that may have been made since `since` although its
   * answer never arrived (Node-RED stopped meanwhile); undefined when there is none.
   */
  findMade: (step: Step, since: number, known: string[]) => Promise<CallLog | undefined>;
  read: (callId: string) => Promise<CallLog>;
  emit: (output: EscalationOutput) => void;
  /** after any change, to persist the running escalations */
  save: (escalations: Escalation[]) => void;
  /** a step's call could not be made: the next step is called at once */
  onStepFailed: (error: unknown, escalation: Escalation) => void;
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

/**
 * Runs escalations: calls a step, waits for a Join up to the step's deadline, then calls the
 * next step, round after round, and stops at the first Join in any of its calls (an expert
 * who joins late still counts). Joined, exhausted and ended are each emitted once.
 */
export class Escalator {
  private readonly escalations = new Map<string, Escalation>();
  /** call id → escalation id */
  private readonly owners = new Map<string, string>();
  private readonly tracker: CallTracker;
  private readonly now: () => number;
  /** calls being made or looked for: stop() waits for them, so that a call made is saved and not made again */
  private readonly creating = new Set<Promise<void>>();
  /** closing: no new call, no output; what is made meanwhile is still saved */
  private closing = false;
  private stopped = false;

  constructor(private readonly options: EscalatorOptions) {
    this.now = options.now ?? Date.now;
    this.tracker = new CallTracker({
      intervalMs: options.intervalMs,
      skipHistory: false,
      maxConcurrent: options.maxConcurrent,
      noJoinWhenUnread: true,
      read: options.read,
      emit: (output) => this.onCallOutput(output),
      // the escalations are what is saved; the tracker's state is rebuilt from them
      save: () => undefined,
      onError: (err, callId, retryInMs) => options.onReadFailed(err, callId, retryInMs),
      onRead: () => options.onRead?.(),
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
      this.follow(escalation, joined.callId, { joined: true });
      return;
    }
    for (const call of escalation.calls) {
      const current = call.position === escalation.position;
      this.follow(escalation, call.callId, {
        startedAt: call.calledAt,
        joinDeadline: current ? call.deadline : undefined,
        noJoinSent: !current,
      });
    }
    if (!this.currentCall(escalation)) this.recoverStep(escalation);
  }

  /**
   * Stopped while the step's call was being made: the call may exist. The server's newest calls
   * tell; when they cannot be read, or show none, the call is made (again).
   */
  private recoverStep(escalation: Escalation): void {
    const { position, callingSince } = escalation;
    if (callingSince === undefined) {
      this.callStep(escalation);
      return;
    }
    const step = escalation.steps[position % escalation.steps.length];
    const known = escalation.calls.map((call) => call.callId);
    const finding = this.options
      .findMade(step, callingSince, known)
      .catch(() => undefined)
      .then((call) => {
        if (!this.isCurrent(escalation, position) || this.closing) return;
        if (!call) {
          this.callStep(escalation);
          return;
        }
        const started = Date.parse(String(call.callStart));
        const calledAt = Number.isFinite(started) ? Math.min(started, this.now()) : callingSince;
        this.record(escalation, call, position, calledAt, step.timeoutMs);
      })
      .catch((err: unknown) => this.options.onStepFailed(err, escalation))
      .catch(() => undefined);
    this.track(finding);
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
   * Stops every timer and waits for the calls being made, so that each is saved; the
   * escalations stay saved for the next start.
   */
  async stop(): Promise<void> {
    this.closing = true;
    this.tracker.stop();
    await Promise.all(this.creating);
    this.stopped = true;
  }

  private callStep(escalation: Escalation): void {
    const { steps, position } = escalation;
    const step = steps[position % steps.length];
    escalation.callingSince = this.now();
    this.save();
    this.options.onChange?.();
    const creating = this.options
      .create(step.body)
      .then(
        (call) => {
          if (this.isCurrent(escalation, position)) {
            this.record(escalation, call, position, this.now(), step.timeoutMs);
          } else if (this.escalations.get(escalation.id) === escalation && !this.stopped) {
            // made while an earlier call was joined: listed in the outputs, not followed
            const calledAt = this.now();
            escalation.calls.push({ callId: call.callId, position, calledAt, deadline: calledAt });
            this.save();
          }
        },
        (err: unknown) => {
          // a call that failed as the node closes is made again after the restart
          if (this.closing || !this.isCurrent(escalation, position)) return;
          escalation.failures.push({
            position,
            at: this.now(),
            message: err instanceof Error ? err.message : String(err),
          });
          this.options.onStepFailed(err, escalation);
          this.next(escalation);
        },
      )
      // an output that throws must not become an unhandled rejection
      .catch((err: unknown) => this.options.onStepFailed(err, escalation))
      .catch(() => undefined);
    this.track(creating);
  }

  /** stop() waits for `work` (which never rejects). */
  private track(work: Promise<void>): void {
    this.creating.add(work);
    void work.finally(() => this.creating.delete(work));
  }

  private record(
    escalation: Escalation,
    call: CallLog,
    position: number,
    calledAt: number,
    timeoutMs: number,
  ): void {
    const deadline = calledAt + timeoutMs;
    escalation.calls.push({ callId: call.callId, position, calledAt, deadline });
    escalation.callingSince = undefined;
    this.save();
    if (this.closing) return;
    this.follow(escalation, call.callId, { startedAt: calledAt, joinDeadline: deadline });
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

  private next(escalation: Escalation): void {
    escalation.position += 1;
    if (escalation.position >= escalation.steps.length * escalation.rounds) {
      this.finish(escalation);
      this.options.emit({ kind: 'exhausted', escalation });
      this.options.onChange?.();
      return;
    }
    this.save();
    this.callStep(escalation);
  }

  private follow(escalation: Escalation, callId: string, state: Partial<FollowedCall>): void {
    this.owners.set(callId, escalation.id);
    this.tracker.follow(
      callId,
      {},
      {
        callId,
        context: {},
        startedAt: this.now(),
        lastEventId: null,
        joined: false,
        noJoinSent: false,
        ...state,
      },
    );
  }

  private onCallOutput(output: TrackerOutput): void {
    if (this.closing) return;
    const { callId } = output.followed;
    const escalation = this.escalations.get(this.owners.get(callId) ?? '');
    if (!escalation) {
      this.forget(callId);
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
        };
        // only the joined call is followed on, for its end
        for (const other of escalation.calls)
          if (other.callId !== callId) this.forget(other.callId);
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
        this.owners.delete(callId);
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

  private forget(callId: string): void {
    this.owners.delete(callId);
    this.tracker.unfollow(callId);
  }

  private finish(escalation: Escalation): void {
    this.escalations.delete(escalation.id);
    for (const call of escalation.calls) {
      if (this.owners.get(call.callId) === escalation.id) this.forget(call.callId);
    }
    this.save();
  }

  private save(): void {
    if (!this.stopped) this.options.save(this.list());
  }
}
