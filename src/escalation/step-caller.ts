import type { MadeCall } from '../calls/call-maker';
import { InFlight } from '../calls/in-flight';
import { Retrier } from '../calls/retry';
import { choosePresent } from '../duty/presence';
import type { CallDraft } from '../mapping/create-call';
import type { BackoffPolicy } from '../xassist/backoff';
import { configError, isTransient, XAssistError } from '../xassist/errors';
import { Timers } from '../xassist/timers';
import type { CallLog, CreateCallRequest } from '../xassist/types';
import {
  currentCall,
  type DutyStep,
  type Escalation,
  type Step,
  type StepFailure,
  type StepPeople,
} from './escalation';
import { chooseFor, hasOnlyPeople, namesOf, PassedOver, type PresenceOf } from './step-people';

/** How the escalate node has the steps' calls made (a part of EscalatorOptions). */
export interface StepCallOptions {
  /** the step's createCall body: its contacts looked up */
  resolve: (draft: CallDraft) => Promise<CreateCallRequest>;
  /**
   * Who is on duty now at a duty step's level: login names or emails, never none (a schedule
   * has someone at every moment). Without it, a duty step fails as refused.
   */
  onDuty?: (duty: DutyStep) => Promise<string[]>;
  /**
   * With presence on: each name's presence, read afresh as a step is called. Offline people
   * are left out; see `chooseFor` for when a step is passed over or called as planned.
   */
  presence?: (names: string[]) => Promise<PresenceOf>;
  /**
   * The step's call, made as every node of the server makes calls (`CallMaker`): failures that
   * may pass are tried again until `until`; with `since`, a request since then may have made the
   * call, which is looked for first.
   */
  make: (body: CreateCallRequest, attempt: StepAttempt) => Promise<MadeCall>;
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
  /**
   * waits between attempts at a step's call, each a look-up of its users or a run of `make`
   * (default every 0.25–0.5 s, then 0.5–1 s)
   */
  retry?: BackoffPolicy;
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
export interface StepCall {
  call: CallLog;
  calledAt: number;
}

/** What step calling asks of the escalator, and tells it. */
export interface StepHost {
  now: () => number;
  /** still running, not joined, and still at `position` (not cancelled, stopped or moved on) */
  isCurrent: (escalation: Escalation, position: number) => boolean;
  /** an escalation changed: when its step's call began to be made */
  save: () => void;
  /** the step's call was made: also after its step was given up, or joined meanwhile */
  made: (escalation: Escalation, made: StepCall, position: number, deadline: number) => void;
  failed: (
    escalation: Escalation,
    error: unknown,
    reason: StepFailure['reason'],
    attempts: number,
  ) => void;
  /** every one of the step's people is offline, and a later step's are not: call the next now */
  passedOver: (escalation: Escalation, position: number) => void;
}

/** One step being called: what its deadline needs to know of the attempts. */
interface StepRun {
  escalation: Escalation;
  step: Step;
  position: number;
  deadline: number;
  attempts: number;
  lastError?: unknown;
}

/**
 * Makes steps' calls. A failure that may pass is tried again until the step's deadline: at the
 * deadline, a step not called is given up; a call refused gives it up at once.
 *
 * `make` tries again by itself, and gives up once its next wait would pass the deadline; its
 * failure is then tried again here too, with a fresh back-off whose shorter first wait may still
 * fit an attempt in before the deadline. That second try is what the escalator has always done,
 * and users see it (a server back in a step's last second is still called by that step), so it
 * stays; both loops go through Retrier, with the same waits and limits.
 */
export class StepCaller {
  private readonly retrier: Retrier;
  /** requests that may make a call: stop() waits for them, so that a call made is saved */
  private readonly creating = new InFlight();
  /** the step deadlines and the waits between attempts, each ended by stop() */
  private readonly timers: Timers;
  /** escalations whose refused credentials were reported: once each */
  private readonly authReported = new Set<string>();
  /** no new call; what is made meanwhile is still told */
  private closing = false;

  constructor(
    private readonly options: StepCallOptions,
    private readonly host: StepHost,
  ) {
    this.retrier = new Retrier(options.retry, Math.random, host.now);
    // a deadline tells what an output throws with its escalation (deadlinePassed): what comes
    // here is that report throwing in turn, and, as for the attempts, nothing is left to tell
    this.timers = new Timers(() => undefined);
  }

  /** Makes the step's call, trying again until `deadline`: then the step is given up. */
  call(escalation: Escalation, step: Step, deadline: number): void {
    const { position } = escalation;
    const run: StepRun = { escalation, step, position, deadline, attempts: 0 };
    const cancelDeadline = this.timers.after(deadline - this.host.now(), () =>
      this.deadlinePassed(run),
    );
    // an output that throws must not become an unhandled rejection
    void this.tryUntilDeadline(run, cancelDeadline)
      .catch((err: unknown) => this.options.onStepFailed(err, escalation))
      .catch(() => undefined);
  }

  /** Tells of a step that failed; refused credentials once per escalation. */
  report(error: unknown, escalation: Escalation): void {
    if (isAuth(error)) {
      if (this.authReported.has(escalation.id)) return;
      this.authReported.add(escalation.id);
    }
    this.options.onStepFailed(error, escalation);
  }

  /** The escalation has finished: one with its id later tells of refused credentials again. */
  forget(escalationId: string): void {
    this.authReported.delete(escalationId);
  }

  /** Ends every wait and deadline, and waits for the calls being made, so that each is told. */
  async stop(): Promise<void> {
    this.closing = true;
    this.timers.close();
    await this.creating.settled();
  }

  private deadlinePassed(run: StepRun): void {
    const { escalation, position } = run;
    if (!this.host.isCurrent(escalation, position) || currentCall(escalation)) return;
    try {
      this.host.failed(escalation, run.lastError ?? notCalledInTime(), 'timed-out', run.attempts);
    } catch (err) {
      // an output that throws must not become a throw from a timer
      this.options.onStepFailed(err, escalation);
    }
  }

  private async tryUntilDeadline(run: StepRun, cancelDeadline: () => void): Promise<void> {
    const { escalation } = run;
    try {
      const made = await this.retrier.run(() => this.tryOnce(run), {
        // an attempt at the deadline comes too late: the deadline gives the step up first
        until: run.deadline - 1,
        wait: (ms) => this.wait(ms),
        retries: (err) => this.retries(run, err),
        onRetry: (err, waitMs) => this.options.onStepRetry?.(err, escalation, waitMs),
      });
      if (!made) return; // moved on, stopped, or past the deadline: its timer decides
      cancelDeadline();
      this.host.made(escalation, made, run.position, run.deadline);
    } catch (err) {
      if (err instanceof PassedOver) {
        cancelDeadline();
        if (!this.wanted(run)) return;
        noteOf(escalation, err.people);
        this.host.passedOver(escalation, run.position);
        return;
      }
      run.lastError = err;
      // what may pass was tried until the next attempt would come too late: the deadline decides
      if (!this.wanted(run) || isTransient(err) || isAuth(err)) return;
      cancelDeadline();
      this.host.failed(escalation, err, 'refused', run.attempts);
    }
  }

  /** Whether a failure is tried again here: what may pass, while the step is still wanted. */
  private retries(run: StepRun, err: XAssistError): boolean {
    run.lastError = err;
    if (!this.wanted(run) || (!isTransient(err) && !isAuth(err))) return false;
    // refused credentials need a person now; the step is still tried until its deadline
    if (isAuth(err)) this.report(err, run.escalation);
    return true;
  }

  /**
   * One attempt: the call a request whose answer never came may have made (looked for first),
   * or a new one. Undefined when the step is no longer wanted, or it is too late to make one.
   */
  private async tryOnce(run: StepRun): Promise<StepCall | undefined> {
    if (!this.wanted(run)) return undefined;
    run.attempts += 1;
    const body = await this.bodyOf(run);
    if (!this.wanted(run) || this.host.now() >= run.deadline) return undefined;
    const { escalation } = run;
    // set before: a restart or a takeover since then looks for the call before making one
    const since = escalation.callingSince;
    escalation.callingSince ??= this.host.now();
    this.host.save();
    if (this.options.persist) {
      await this.creating.add(this.options.persist());
      if (!this.wanted(run)) return undefined;
    }
    return this.make(run, body, since);
  }

  private async bodyOf(run: StepRun): Promise<CreateCallRequest> {
    const { step } = run;
    if (step.duty || this.options.presence) return this.bodyAt(run);
    if (step.body) return step.body;
    if (!step.draft) throw new Error('a step without invitees');
    step.body = await this.options.resolve(step.draft);
    return step.body;
  }

  /**
   * Whom a duty step or a step with presence calls, decided as it is called: kept for this
   * position's retries and a restart; the next round decides again (its shift may be another).
   */
  private async bodyAt(run: StepRun): Promise<CreateCallRequest> {
    const { escalation, step, position } = run;
    if (step.calling?.position === position) return step.calling.body;
    const onDuty = step.duty && (await this.onDutyOf(step.duty));
    const planned = await this.plannedDraft(step, onDuty);
    const presence = this.options.presence && (await this.options.presence(namesOf(planned)));
    const { draft, people } = await chooseFor(
      position,
      planned,
      presence,
      () => this.laterHasSomeone(run),
      onDuty,
    );
    const body = await this.options.resolve(draft);
    step.calling = { position, body };
    noteOf(escalation, people);
    this.host.save();
    return body;
  }

  private async onDutyOf(duty: DutyStep): Promise<string[]> {
    if (!this.options.onDuty) {
      throw configError(`duty schedule '${duty.schedule}' is not there to say who is on duty`);
    }
    return this.options.onDuty(duty);
  }

  /** A step's draft as planned: a duty step's with whoever is on duty now. */
  private async plannedDraft(step: Step, onDuty?: string[]): Promise<CallDraft> {
    const shared = step.draft ?? {
      ...step.body,
      invitedContacts: step.body?.invitedContacts ?? [],
    };
    if (!step.duty) return shared;
    return { ...shared, invitedContacts: onDuty ?? (await this.onDutyOf(step.duty)) };
  }

  /**
   * Whether a step after this one has someone who is not offline, by presence read now: only
   * then is a step whose people are all offline passed over. A later step that cannot say
   * (its schedule is not there) does not count.
   */
  private async laterHasSomeone(run: StepRun): Promise<boolean> {
    const { escalation, position } = run;
    const { steps, rounds } = escalation;
    const looked = new Set([position % steps.length]);
    for (let later = position + 1; later < steps.length * rounds; later++) {
      const index = later % steps.length;
      if (looked.has(index)) continue;
      looked.add(index);
      try {
        const draft = await this.plannedDraft(steps[index]);
        if (!hasOnlyPeople(draft)) return true;
        const names = namesOf(draft);
        const presence = await this.options.presence?.(names);
        if (!presence || choosePresent(names, presence).call.length > 0) return true;
      } catch {
        // its people cannot be told now: it is not counted on
      }
    }
    return false;
  }

  /** The call `make` makes or finds. */
  private async make(
    run: StepRun,
    body: CreateCallRequest,
    since: number | undefined,
  ): Promise<StepCall> {
    const { escalation } = run;
    try {
      const made = await this.creating.add(
        this.options.make(body, {
          until: run.deadline,
          since,
          wait: (ms) => this.wait(ms),
          onRetry: (err, waitMs) => this.options.onStepRetry?.(err, escalation, waitMs),
        }),
      );
      // a call found was made after its request was sent: the nearest time on our clock
      return { call: made.call, calledAt: made.recovered ? made.sentAt : this.host.now() };
    } catch (err) {
      if (err instanceof XAssistError && !err.mayHaveReachedServer) {
        escalation.callingSince = undefined;
        this.host.save();
      }
      throw err;
    }
  }

  /** Resolves after `ms`; rejects when stop() comes first. */
  private wait(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.timers.after(ms, resolve, () => reject(new Error('the escalations were stopped'))),
    );
  }

  private wanted(run: StepRun): boolean {
    return !this.closing && this.host.isCurrent(run.escalation, run.position);
  }
}

/** Refused credentials: a person must act, but the step goes on trying until its deadline. */
function isAuth(err: unknown): boolean {
  return err instanceof XAssistError && err.kind === 'auth';
}

function notCalledInTime(): Error {
  return new Error("the call could not be made before the step's wait was over");
}

/** Notes whom a step was to call, in place of what an earlier try at its position noted. */
function noteOf(escalation: Escalation, people: StepPeople): void {
  const others = (escalation.people ?? []).filter((one) => one.position !== people.position);
  escalation.people = [...others, people];
}
