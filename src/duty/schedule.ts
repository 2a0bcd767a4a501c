/**
 * A duty schedule: who is on duty when, in one time zone. Weekly shifts (a row's end before its
 * start runs past midnight), overrides for date ranges, and who is on duty otherwise, so that
 * no moment has nobody. Checked here, each problem naming its field.
 */
import { FieldError } from '../mapping/field-error';
import { isPlainObject, kind } from '../mapping/values';
import { isTimeZone } from './zoned';

/** A level of duty: who is called together at it (login names or emails, comma-separated). */
export type Level = string;

export interface Shift {
  /** 0 (Sunday) to 6: the days a shift starts on */
  days: number[];
  /** minutes after local midnight */
  from: number;
  /** minutes after local midnight; at or before `from`: the next day */
  to: number;
  /** primary, backup, …: called in this order */
  levels: Level[];
}

/** A date range with other people on duty (cover), or without some (away). */
export interface Override {
  /** local wall-clock times, as ms of the date read as UTC (`localMs`) */
  from: number;
  to: number;
  /** the levels on duty in the range instead of the shifts' */
  cover?: Level[];
  /** people off duty in the range: they leave every level they are in */
  away?: string[];
}

export interface DutySchedule {
  zone: string;
  shifts: Shift[];
  overrides: Override[];
  /** on duty outside every shift: never empty */
  otherwise: Level[];
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** A schedule as a flow gives it (from the editor's table, a CSV, a form), checked. */
export function dutyScheduleOf(value: unknown, field = 'schedule'): DutySchedule {
  if (!isPlainObject(value)) throw new FieldError(field, `must be an object, not ${kind(value)}`);
  const zone = value.zone;
  if (!isTimeZone(zone)) {
    throw new FieldError(
      `${field}.zone`,
      `must be a time zone such as Europe/Berlin, not ${kind(zone)}`,
    );
  }
  const shifts = listOf(value.shifts, `${field}.shifts`).map((shift, index) =>
    shiftOf(shift, `${field}.shifts[${index}]`),
  );
  const overrides = listOf(value.overrides ?? [], `${field}.overrides`).map((override, index) =>
    overrideOf(override, `${field}.overrides[${index}]`),
  );
  const otherwise = levelsOf(value.otherwise, `${field}.otherwise`);
  return { zone, shifts, overrides, otherwise };
}

function listOf(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new FieldError(field, `must be a list, not ${kind(value)}`);
  return value;
}

function shiftOf(value: unknown, field: string): Shift {
  if (!isPlainObject(value)) throw new FieldError(field, `must be an object, not ${kind(value)}`);
  return {
    days: daysOf(value.days, `${field}.days`),
    from: minutesOf(value.from, `${field}.from`),
    to: minutesOf(value.to, `${field}.to`),
    levels: levelsOf(value.levels, `${field}.levels`),
  };
}

function overrideOf(value: unknown, field: string): Override {
  if (!isPlainObject(value)) throw new FieldError(field, `must be an object, not ${kind(value)}`);
  const from = localOf(value.from, `${field}.from`, 'start');
  const to = localOf(value.to, `${field}.to`, 'end');
  if (to <= from) throw new FieldError(`${field}.to`, 'must be after its from');
  const cover = value.cover === undefined ? undefined : levelsOf(value.cover, `${field}.cover`);
  const away = value.away === undefined ? undefined : namesOf(value.away, `${field}.away`);
  if (!cover && !away)
    throw new FieldError(field, 'must give cover (who is on duty) or away (who is not)');
  return { from, to, cover, away };
}

/** Days as 0–6 or names: `mon`, `Monday`, `Mo`…, ranges `mon-fri`; `daily` or `*` for all. */
function daysOf(value: unknown, field: string): number[] {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (text === 'daily' || text === '*') return [0, 1, 2, 3, 4, 5, 6];
  const list =
    text === undefined
      ? value
      : text
          .split(/[\s,;]+/)
          .filter(Boolean)
          .flatMap(rangeOf);
  if (!Array.isArray(list) || list.length === 0) {
    throw new FieldError(field, `must list days (mon, tue… or 0–6), not ${kind(value)}`);
  }
  return [
    ...new Set(
      list.map((day, index) => {
        if (typeof day === 'number' && Number.isInteger(day) && day >= 0 && day <= 6) return day;
        const found =
          typeof day === 'string' && day.length >= 2
            ? DAY_NAMES.findIndex((name) => name.startsWith(day.slice(0, 3).toLowerCase()))
            : -1;
        if (found < 0)
          throw new FieldError(`${field}[${index}]`, `must be a day, not ${kind(day)}`);
        return found;
      }),
    ),
  ].sort();
}

/** `fri-mon` as the days it spans, in order round the week; another day as it is. */
function rangeOf(day: string): string[] {
  const ends = /^([a-z]{2,})\s*[-–]\s*([a-z]{2,})$/.exec(day);
  const [first, last] = (ends ? [ends[1], ends[2]] : []).map((end) =>
    DAY_NAMES.findIndex((name) => name.startsWith(end.slice(0, 3))),
  );
  if (!ends || first < 0 || last < 0) return [day];
  const span = (last - first + 7) % 7;
  return Array.from({ length: span + 1 }, (_, step) => DAY_NAMES[(first + step) % 7]);
}

/** `HH:MM` (00:00–24:00) as minutes after midnight. */
function minutesOf(value: unknown, field: string): number {
  const match = typeof value === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(value.trim()) : null;
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || Number(match[2]) > 59 || minutes > 24 * 60) {
    throw new FieldError(field, `must be a time HH:MM, not ${kind(value)}`);
  }
  return minutes;
}

/**
 * A local date (`2026-12-24`: the whole day; as an end, the day is included) or date and time
 * (`2026-12-31T20:00`), as ms of that wall-clock time read as UTC.
 */
function localOf(value: unknown, field: string, as: 'start' | 'end'): number {
  const match =
    typeof value === 'string'
      ? /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(value.trim())
      : null;
  if (!match) {
    throw new FieldError(
      field,
      `must be a local date YYYY-MM-DD or YYYY-MM-DDTHH:MM, not ${kind(value)}`,
    );
  }
  const [, year, month, day, hour, minute] = match.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour || 0, minute || 0));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || (hour || 0) > 23) {
    throw new FieldError(field, `is not a date: ${kind(value)}`);
  }
  const wholeDay = match[4] === undefined;
  return date.getTime() + (wholeDay && as === 'end' ? 86_400_000 : 0);
}

function levelsOf(value: unknown, field: string): Level[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list))
    throw new FieldError(field, `must be a list of levels, not ${kind(value)}`);
  const levels = list.map((level, index) => {
    if (typeof level !== 'string' || level.trim() === '') {
      throw new FieldError(
        `${field}[${index}]`,
        `must be login names or emails, not ${kind(level)}`,
      );
    }
    return level.trim();
  });
  if (levels.length === 0)
    throw new FieldError(field, 'must name someone: no moment may have nobody');
  return levels;
}

function namesOf(value: unknown, field: string): string[] {
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list))
    throw new FieldError(field, `must be login names or emails, not ${kind(value)}`);
  return list.map((name, index) => {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new FieldError(
        `${field}[${index}]`,
        `must be a login name or email, not ${kind(name)}`,
      );
    }
    return name.trim();
  });
}
