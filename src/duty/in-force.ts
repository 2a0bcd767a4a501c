/**
 * The schedule in force: the editor's table, or one a message replaced it with. Which wins is
 * the newer intent: a replacement stays in force across restarts and across deploys that leave
 * the table as it was; a deploy that changes the table puts the table in force again (its author
 * changed it after the replacement). A replacement that is not valid changes nothing.
 */
import type { Shape } from '../state/versioned';
import { isPlainObject } from '../mapping/values';
import { dutyScheduleOf, type DutySchedule } from './schedule';

/** What is kept of a replacement: as it was given, when, and over which table. */
export interface Replacement {
  schedule: unknown;
  replacedAt: number;
  /** the table it replaced, as text: another table deployed since wins */
  table: string;
}

/** kept, or `undefined` once the table is in force again */
export const REPLACEMENT: Shape<Replacement | undefined> = {
  version: 1,
  migrations: [],
  valid: (value) =>
    isPlainObject(value) &&
    typeof value.replacedAt === 'number' &&
    typeof value.table === 'string' &&
    value.schedule !== undefined
      ? (value as unknown as Replacement)
      : undefined,
};

/** Where the replacement is kept: the node's context, or Redis for a pair of instances. */
export interface ReplacementStore {
  load(): Replacement | undefined;
  save(replacement: Replacement | undefined): void;
}

export interface InForce {
  schedule: DutySchedule;
  source: 'table' | 'replaced';
  /** when it was replaced, for a replacement */
  replacedAt?: number;
}

export class ScheduleInForce {
  private readonly table: DutySchedule;
  private readonly tableText: string;
  private inForce: InForce;

  /** `table` is the editor's, checked (it throws a FieldError naming a bad row). */
  constructor(
    table: unknown,
    private readonly store: ReplacementStore,
    private readonly now: () => number = Date.now,
  ) {
    this.table = dutyScheduleOf(table);
    this.tableText = JSON.stringify(table);
    this.inForce = this.fromStore();
  }

  get current(): InForce {
    return this.inForce;
  }

  /** The replacement as kept: undefined once the table is in force again by a reset. */
  get replacement(): Replacement | undefined {
    return this.store.load();
  }

  /** The editor's table's zone: rows replacing the schedule without a zone are in it. */
  get tableZone(): string {
    return this.table.zone;
  }

  /**
   * Puts `schedule` in force (kept for restarts), or throws a FieldError and keeps the old; the
   * error names its field from `field`, as the message has it (`payload.shifts[2]`).
   */
  replace(schedule: unknown, field = 'schedule'): InForce {
    const checked = dutyScheduleOf(schedule, field);
    const replacedAt = this.now();
    this.store.save({ schedule, replacedAt, table: this.tableText });
    this.inForce = { schedule: checked, source: 'replaced', replacedAt };
    return this.inForce;
  }

  /** Puts the editor's table in force again. */
  reset(): InForce {
    this.store.save(undefined);
    this.inForce = { schedule: this.table, source: 'table' };
    return this.inForce;
  }

  /**
   * Takes what another instance of a pair put in force (null: the table), keeping it for a
   * restart; true when that changed what is in force here.
   */
  adopt(kept: Replacement | null): boolean {
    if (JSON.stringify(this.store.load() ?? null) === JSON.stringify(kept)) return false;
    const before = JSON.stringify(this.inForce);
    this.store.save(kept ?? undefined);
    this.inForce = this.fromStore();
    return JSON.stringify(this.inForce) !== before;
  }

  /** Reads the store again: another instance of a pair may have replaced the schedule. */
  reload(): InForce {
    this.inForce = this.fromStore();
    return this.inForce;
  }

  private fromStore(): InForce {
    const kept = this.store.load();
    if (kept && kept.table === this.tableText) {
      try {
        return {
          schedule: dutyScheduleOf(kept.schedule),
          source: 'replaced',
          replacedAt: kept.replacedAt,
        };
      } catch {
        // kept by a version that took what this one does not: the table, as for a new table
      }
    }
    return { schedule: this.table, source: 'table' };
  }
}
