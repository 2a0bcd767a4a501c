/**
 * The `duty` type of the escalate steps' and create-call invitees' rows: a choice of the
 * workspace's duty schedules, each at each of its levels, as a typedInput type with options.
 * One choice holds both halves of the value (`<schedule id>:<level>`), as Node-RED's own
 * option types (`bool`, the context stores, `conf-types`) show a label for a value.
 */
import type { OwnType } from '../schema/fields';
import {
  DUTY_TYPE,
  SCHEDULE_TYPE,
  dutyChoicesOf,
  dutyProblemOf,
  dutyRefOf,
  scheduleNameOf,
  type DutyWords,
  type ScheduleNode,
} from './duty';
import type { Entry } from './lists';
import { shared } from './node';
import type { Validator } from './validators';

/** The workspace's duty schedules, as the editor holds their config nodes now. */
function schedulesInWorkspace(): ScheduleNode[] {
  const found: ScheduleNode[] = [];
  RED.nodes.eachConfig((node) => {
    if ((node as { type?: string }).type === SCHEDULE_TYPE) found.push(node as ScheduleNode);
    return true;
  });
  return found;
}

function scheduleExists(id: string): boolean {
  return (RED.nodes.node(id) as { type?: string } | null)?.type === SCHEDULE_TYPE;
}

function dutyWords(): DutyWords {
  return {
    level: (level) =>
      level === 1
        ? shared('duty.primary')
        : level === 2
          ? shared('duty.backup')
          : shared('duty.level', { level }),
    unknown: (id) => shared('duty.unknown', { id }),
    none: shared('duty.none'),
  };
}

/** An unnamed schedule without a zone: as its own type labels it in the config sidebar. */
function nameOf(schedule: ScheduleNode): string {
  return scheduleNameOf(schedule, (unnamed) =>
    RED.utils.getNodeLabel(unnamed as never, unnamed.id),
  );
}

/**
 * The duty type for each row of a dialog, with the schedules as they are when the dialog opens;
 * a row that holds a duty value gets it among its choices, whatever it names.
 */
export function dutyTypeFor(): (entry: Partial<Entry>) => OwnType {
  const schedules = schedulesInWorkspace();
  const words = dutyWords();
  return (entry) => ({
    value: DUTY_TYPE,
    label: shared('duty.type'),
    icon: 'fa fa-calendar',
    options: dutyChoicesOf(schedules, words, entry.vt === DUTY_TYPE ? entry.v : undefined, nameOf),
    check: (value) => dutyProblemOf(value, scheduleExists) === undefined,
  });
}

/**
 * The check of a list's duty rows, for the node's validator: the schedule is one of the
 * workspace's, the level a whole number from 1. `setting` names the rows as the runtime does
 * (`steps[1]`).
 */
export function dutyRowsCheck(setting: string): Validator {
  return (value) => {
    if (!Array.isArray(value)) return true;
    for (const [index, entry] of value.entries()) {
      const row = entry as Partial<Entry> | null;
      if (row?.vt !== DUTY_TYPE) continue;
      const problem = dutyProblemOf(row.v, scheduleExists);
      if (!problem) continue;
      const ref = dutyRefOf(row.v);
      const where = `${setting}[${index}]`;
      return problem === 'schedule'
        ? shared('duty.no-schedule', { where, id: ref?.schedule ?? String(row.v ?? '') })
        : shared('duty.bad-level', { where, level: ref?.levelText ?? '' });
    }
    return true;
  };
}
