import { FieldError } from '../../mapping/field-error';
import { dutyScheduleOf } from '../../duty/schedule';
import { isTimeZone } from '../../duty/zoned';
import {
  COMMON,
  defineSchema,
  type Check,
  type ListField,
  type Problem,
} from '../../schema/fields';

/**
 * The dialog's check of one part of a schedule, by the runtime's own rules: the part in a
 * schedule that is valid otherwise, and a problem the runtime finds named by its row (from 1)
 * and translated in the editor. `problemOf` gives the key for the field path the runtime names.
 */
function partCheck(
  part: 'shifts' | 'overrides' | 'otherwise',
  problemOf: (part: string | undefined) => string,
): Check {
  return (value) => {
    if (part !== 'otherwise' && !Array.isArray(value)) return { key: 'validation.list' };
    try {
      dutyScheduleOf({ zone: 'UTC', shifts: [], otherwise: ['someone'], [part]: value });
      return true;
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      const at = /\[(\d+)\](?:\.(\w+))?/.exec(err.field.slice(`schedule.${part}`.length));
      const problem: Problem = { key: problemOf(at?.[2]) };
      if (at) problem.values = { row: Number(at[1]) + 1 };
      return problem;
    }
  };
}

const shiftProblem = (field: string | undefined) => {
  if (field === 'days') return 'validation.days';
  if (field === 'from' || field === 'to') return 'validation.time';
  return field === 'levels' ? 'validation.levels' : 'validation.shift';
};

const overrideProblem = (field: string | undefined) => {
  if (field === 'from' || field === 'to') return 'validation.override-time';
  if (field === 'cover' || field === 'away') return 'validation.override-people';
  return 'validation.override-who';
};

/** The weekly table: `{days, from, to, levels}` rows, the first that holds a moment wins. */
const SHIFTS: ListField = {
  kind: 'list',
  default: [],
  icon: 'calendar',
  check: partCheck('shifts', shiftProblem),
};

/** Date ranges with other people on duty (cover) or some off (away). */
const OVERRIDES: ListField = {
  kind: 'list',
  default: [],
  icon: 'calendar-times-o',
  check: partCheck('overrides', overrideProblem),
};

/** Who is on duty outside every shift: levels as a shift's, never none. */
const OTHERWISE: ListField<string> = {
  kind: 'list',
  default: [],
  icon: 'life-ring',
  check: partCheck('otherwise', () => 'validation.otherwise'),
};

/** The zones the platform knows, for completion; UTC too, which some list under Etc/ only. */
function timeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : [...zones, 'UTC'];
}

export const DUTY_SCHEDULE_SCHEMA = defineSchema({
  type: 'xassist-duty-schedule',
  look: { category: 'config' },
  fields: {
    name: COMMON.name,
    // for Find users, and its Redis for a pair: the schedule itself calls nobody
    server: { ...COMMON.server, required: false },
    // empty: the zone of the host Node-RED runs on
    zone: {
      kind: 'text',
      default: '',
      check: (value) => (isTimeZone(value) ? true : { key: 'validation.zone' }),
      completions: timeZones,
      icon: 'globe',
      placeholder: true,
      autocomplete: 'off',
    },
    shifts: SHIFTS,
    overrides: OVERRIDES,
    otherwise: OTHERWISE,
  },
  form: ['name', 'server', { slot: 'find-users' }, 'zone', 'shifts', 'overrides', 'otherwise'],
});
