import type { Escalation } from './escalation';
import { inviteesAt, placeAt, positionOf } from './summary';

export type ProgressState = 'calling' | 'joined' | 'exhausted' | 'ended' | 'cancelled';

/** One row of a board: an escalation as it stands. */
export interface ProgressRow {
  key: string;
  state: ProgressState;
  /** the alarm's topic, as it came */
  topic: string | null;
  step: number;
  steps: number;
  round: number;
  rounds: number;
  /** who is called at this step (or was, once it is over) */
  calling: string[];
  /** ISO: when this step began */
  since: string;
  startedAt: string;
  joinedBy: string | null;
  /** ISO: when it came to its end (joined, exhausted, ended, cancelled) */
  at: string | null;
}

/** how many escalations that came to an end a board still shows, newest first */
const RECENT = 20;

/**
 * What a board shows of a node's escalations: each open one, then the latest that came to an
 * end, each as one flat row, so that a table or a template can show them without a function node.
 */
export class ProgressBoard {
  private readonly recent: ProgressRow[] = [];
  private lastSent = '[]';

  /** The escalation `escalation` came to `state`: it moves to the recent rows. */
  ended(escalation: Escalation, state: Exclude<ProgressState, 'calling'>): void {
    this.recent.unshift({ ...rowOf(escalation, state), at: new Date().toISOString() });
    this.recent.splice(RECENT);
  }

  /** The rows, or undefined when they are the same as the last ones given. */
  changed(open: Escalation[]): ProgressRow[] | undefined {
    return this.rows(open, false);
  }

  /** The rows, even when they are the same as the last ones given (a board that just started). */
  all(open: Escalation[]): ProgressRow[] {
    return this.rows(open, true) ?? [];
  }

  private rows(open: Escalation[], always: boolean): ProgressRow[] | undefined {
    const rows = [
      ...open.map((escalation) => rowOf(escalation, escalation.joined ? 'joined' : 'calling')),
      ...this.recent,
    ];
    const text = JSON.stringify(rows);
    if (text === this.lastSent && !always) return undefined;
    this.lastSent = text;
    return rows;
  }
}

function rowOf(escalation: Escalation, state: ProgressState): ProgressRow {
  const { steps, rounds, joined } = escalation;
  const position = positionOf(escalation);
  const { step, round } = placeAt(escalation, position);
  const topic = escalation.alarm.topic;
  return {
    key: escalation.id,
    state,
    topic: typeof topic === 'string' ? topic : null,
    step,
    steps: steps.length,
    round,
    rounds,
    calling: inviteesAt(escalation, position),
    since: new Date(escalation.stepStartedAt ?? escalation.startedAt).toISOString(),
    startedAt: new Date(escalation.startedAt).toISOString(),
    joinedBy: joined?.contact?.userId ?? null,
    at: null,
  };
}
