/**
 * Tells of each change of who is on duty, as it happens: a timer to the next change of the
 * schedule in force, armed again after each and after a replacement. A timer cannot wait longer
 * than about 24 days, and the next change is looked for a week ahead: it looks again then.
 */
import { MAX_TIMER_MS, Timers } from '../xassist/timers';
import { nextChangeAfter, onDutyAt, type OnDuty } from './on-duty';
import type { ScheduleInForce } from './in-force';

export interface DutyChange {
  at: number;
  now: OnDuty;
  before: OnDuty;
}

const LOOK_AHEAD_DAYS = 8;

export class DutyWatch {
  private readonly timers: Timers;
  private onDuty: OnDuty;

  constructor(
    private readonly inForce: ScheduleInForce,
    private readonly onChange: (change: DutyChange) => void,
    onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.timers = new Timers(onError);
    this.onDuty = onDutyAt(inForce.current.schedule, now());
    this.arm();
  }

  /** Who is on duty now, by the schedule in force. */
  get current(): OnDuty {
    return this.onDuty;
  }

  /** The schedule in force changed (replaced, reset): tells of a change at once, and re-arms. */
  changed(): void {
    this.check();
  }

  close(): void {
    this.timers.close();
  }

  private check(): void {
    const at = this.now();
    const now = onDutyAt(this.inForce.current.schedule, at);
    const before = this.onDuty;
    this.onDuty = now;
    if (JSON.stringify(now) !== JSON.stringify(before)) this.onChange({ at, now, before });
    this.arm();
  }

  private arm(): void {
    const from = this.now();
    const next = nextChangeAfter(this.inForce.current.schedule, from, LOOK_AHEAD_DAYS);
    const wait = next ? next.at - from : LOOK_AHEAD_DAYS * 86_400_000;
    this.timers.set('next', Math.min(Math.max(wait, 0), MAX_TIMER_MS), () => this.check());
  }
}
