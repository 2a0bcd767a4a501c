import type { CallDraft } from '../mapping/create-call';
import type { CallEvent, CallLog, CallLogContact, CreateCallRequest } from '../xassist/types';

/**
 * One step: its createCall body once its contacts are looked up (before that, the draft) and its
 * wait. A step is looked up when the alarm comes; while the server cannot answer, when it is called.
 */
export interface Step {
  body?: CreateCallRequest;
  draft?: CallDraft;
  timeoutMs: number;
  /**
   * Whoever is on duty at a level of a schedule: looked up when the step is called, each time
   * it is (the next round's shift may be another); `draft` holds the fields the call shares.
   */
  duty?: DutyStep;
  /**
   * The body made for one position, when who is called is decided as the step is called (a duty
   * step, or presence): kept for that position's retries and a restart, not for the next round.
   */
  calling?: { position: number; body: CreateCallRequest };
}

/** A level of a duty schedule: 1 is the primary. */
export interface DutyStep {
  schedule: string;
  level: number;
}

/** Whom a step was to call, when it was called: who was on duty, and whom presence left out. */
export interface StepPeople {
  position: number;
  /** whoever was on duty at the step's level, for a duty step */
  onDuty?: string[];
  /** the people invited (teams are invited as planned) */
  invited: string[];
  /** those left out, and why */
  skipped: Array<{ name: string; why: 'offline' }>;
  /**
   * passed-over: all its people were offline, and a later step had someone who was not;
   * no-status: the server told no one's presence; all-offline: everyone was, so all are called
   */
  presence?: 'passed-over' | 'no-status' | 'all-offline';
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
  /** the last error */
  message: string;
  /** refused: an error that repeating cannot mend; timed-out: its wait passed while retrying */
  reason: 'refused' | 'timed-out';
  attempts: number;
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
  /** epoch ms when the current step began: its deadline is this plus its wait */
  stepStartedAt?: number;
  /**
   * epoch ms since when a call of the current step may have been made though its answer never
   * came (a broken connection, a restart): it is looked for before another is made
   */
  callingSince?: number;
  calls: EscalationCall[];
  failures: StepFailure[];
  /** for duty steps and with presence: whom each step was to call, as it was called */
  people?: StepPeople[];
  joined?: {
    callId: string;
    position: number;
    /** epoch ms when the join was seen */
    at: number;
    contact: CallLogContact | null;
    /** ms from the alarm to the join: to its step's call on our clock, then to the join */
    afterMs?: number;
    /** how the call's own part was timed: by the server's clock, or until the join was seen */
    afterFrom?: 'server' | 'seen';
  };
}

export type EscalationOutput =
  | {
      kind: 'joined';
      escalation: Escalation;
      call: CallLog;
      event: CallEvent;
      /** ms from the step's call to the join: by the server's clock, or until it was seen */
      stepJoinedAfter: number;
    }
  | { kind: 'exhausted'; escalation: Escalation }
  | { kind: 'ended'; escalation: Escalation; call?: CallLog };

/** The call of the step being called now, once it is made. */
export function currentCall(escalation: Escalation): EscalationCall | undefined {
  return escalation.calls.find((call) => call.position === escalation.position);
}
