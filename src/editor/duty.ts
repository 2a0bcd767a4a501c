/**
 * A step or invitee of type `duty`: whoever is on duty at one level of a duty schedule, saved as
 * `{ v: '<schedule id>:<level>', vt: 'duty' }` (level 1 the primary). What the dialogs show and
 * check of it, from the schedules' config nodes as the editor holds them. Pure: no DOM, no RED.
 */

/** The typedInput type of such a row. */
export const DUTY_TYPE = 'duty';

/** The config node type whose nodes a duty row names. */
export const SCHEDULE_TYPE = 'xassist-duty-schedule';

/** What a duty schedule's config node holds that the dialogs read. */
export interface ScheduleNode {
  id: string;
  name?: string;
  zone?: string;
  shifts?: unknown;
  overrides?: unknown;
  otherwise?: unknown;
}

/** A row's value taken apart; `level` is NaN when it is no whole number. */
export interface DutyRef {
  schedule: string;
  level: number;
  /** the level as the value gives it */
  levelText: string;
}

/** The words a dialog shows, from its catalogue. */
export interface DutyWords {
  /** "primary", "backup", "level 3" */
  level(level: number): string;
  /** a schedule the workspace does not have, by its id */
  unknown(id: string): string;
  /** the one choice while the workspace has no schedule */
  none: string;
}

export function dutyValueOf(schedule: string, level: number): string {
  return `${schedule}:${level}`;
}

/**
 * `<schedule id>:<level>`, split at its last colon (as the runtime reads it: an id has none).
 * Undefined for a value without one.
 */
export function dutyRefOf(value: unknown): DutyRef | undefined {
  const text = String(value ?? '').trim();
  const colon = text.lastIndexOf(':');
  if (colon < 0) return undefined;
  const levelText = text.slice(colon + 1).trim();
  return {
    schedule: text.slice(0, colon).trim(),
    level: /^\d+$/.test(levelText) ? Number(levelText) : NaN,
    levelText,
  };
}

/** What is wrong with a duty row's value, if anything. */
export type DutyProblem = 'schedule' | 'level';

/** The schedule must be one of the workspace's, the level a whole number from 1. */
export function dutyProblemOf(
  value: unknown,
  exists: (id: string) => boolean,
): DutyProblem | undefined {
  const ref = dutyRefOf(value);
  if (!ref || !exists(ref.schedule)) return 'schedule';
  return Number.isInteger(ref.level) && ref.level >= 1 ? undefined : 'level';
}

/**
 * How many levels the schedule has at its fullest: the longest list of levels of its shifts,
 * covers and `otherwise`, at least one.
 */
export function levelCountOf(schedule: ScheduleNode): number {
  const lists: unknown[] = [schedule.otherwise];
  for (const shift of arrayOf(schedule.shifts)) lists.push((shift as { levels?: unknown })?.levels);
  for (const override of arrayOf(schedule.overrides)) {
    lists.push((override as { cover?: unknown })?.cover);
  }
  return Math.max(1, ...lists.map((list) => arrayOf(list).length));
}

/** A schedule as the dialogs name it: its name, else its zone, else the fallback (its id). */
export function scheduleNameOf(
  schedule: ScheduleNode,
  fallback: (schedule: ScheduleNode) => string = (unnamed) => unnamed.id,
): string {
  return schedule.name?.trim() || schedule.zone?.trim() || fallback(schedule);
}

export interface DutyChoice {
  value: string;
  label: string;
}

/**
 * The choices of a duty row: each schedule at each of its levels ("Plant 7 duty · backup"), by
 * name; then the row's own value when it is none of them (a schedule since deleted, a level the
 * schedule has not now), so that the row shows what it holds rather than another choice.
 */
export function dutyChoicesOf(
  schedules: readonly ScheduleNode[],
  words: DutyWords,
  saved?: string,
  name: (schedule: ScheduleNode) => string = scheduleNameOf,
): DutyChoice[] {
  const named = schedules
    .map((schedule) => ({ schedule, name: name(schedule) }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.schedule.id.localeCompare(b.schedule.id));
  const choices: DutyChoice[] = [];
  for (const { schedule, name: shown } of named) {
    for (let level = 1; level <= levelCountOf(schedule); level += 1) {
      choices.push({ value: dutyValueOf(schedule.id, level), label: labelOf(shown, level, words) });
    }
  }
  const ref = saved ? dutyRefOf(saved) : undefined;
  if (saved && !choices.some((choice) => choice.value === saved)) {
    const schedule = named.find((entry) => entry.schedule.id === ref?.schedule);
    const shown = schedule ? schedule.name : words.unknown(ref?.schedule || saved);
    const level = ref && Number.isInteger(ref.level) ? words.level(ref.level) : '?';
    choices.push({ value: saved, label: `${shown} · ${level}` });
  }
  if (choices.length === 0) choices.push({ value: '', label: words.none });
  return choices;
}

function labelOf(name: string, level: number, words: DutyWords): string {
  return `${name} · ${words.level(level)}`;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
