/**
 * Who is on duty at an instant, by a schedule: a cover override's levels, else the first shift
 * row that holds the instant, else `otherwise`; less whoever an override has away. A shift runs
 * from the instant its start shows on the zone's clocks to the instant its end does (see
 * `instantAt`): across a daylight-saving change it is an hour longer or shorter, as the time
 * worked is.
 */
import type { DutySchedule, Level, Shift } from './schedule';
import { addDays, instantAt, wallClockAt } from './zoned';

export interface OnDuty {
  /** primary, backup, …: never empty */
  levels: Level[];
  /** where they come from: an override's cover, a shift row (its index), or otherwise */
  source: 'cover' | 'shift' | 'otherwise';
  shift?: number;
  /** the people an override has away, who would otherwise be on duty */
  away: string[];
}

interface Span {
  from: number;
  to: number;
}

type LocalDate = { year: number; month: number; day: number; weekday: number };

/** The instant a shift that starts on local date `date` starts and ends. */
function spanOf(shift: Shift, date: LocalDate, zone: string): Span {
  const at = (day: LocalDate, minutes: number) =>
    instantAt({ ...day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, zone);
  const ends = shift.to <= shift.from ? addDays(date, 1) : date;
  return { from: at(date, shift.from), to: at(ends, shift.to) };
}

/** The local dates whose shifts may hold an instant: its own, and the day before (a night shift). */
function datesAround(instant: number, zone: string, before: number, after: number): LocalDate[] {
  const today = wallClockAt(instant, zone);
  const dates: LocalDate[] = [];
  for (let offset = -before; offset <= after; offset++) dates.push(addDays(today, offset));
  return dates;
}

/** An override's range as instants. */
function rangeOf(override: { from: number; to: number }, zone: string): Span {
  const local = (ms: number) => {
    const date = new Date(ms);
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
    };
  };
  return { from: instantAt(local(override.from), zone), to: instantAt(local(override.to), zone) };
}

const holds = (span: Span, instant: number) => span.from <= instant && instant < span.to;

export function onDutyAt(schedule: DutySchedule, instant: number): OnDuty {
  const { zone } = schedule;
  const active = schedule.overrides.filter((override) => holds(rangeOf(override, zone), instant));
  const away = [...new Set(active.flatMap((override) => override.away ?? []))];
  const cover = active.find((override) => override.cover)?.cover;
  let planned: Omit<OnDuty, 'away'> = { levels: schedule.otherwise, source: 'otherwise' };
  if (cover) planned = { levels: cover, source: 'cover' };
  else {
    const dates = datesAround(instant, zone, 1, 0);
    const index = schedule.shifts.findIndex((shift) =>
      dates.some(
        (date) => shift.days.includes(date.weekday) && holds(spanOf(shift, date, zone), instant),
      ),
    );
    if (index >= 0)
      planned = { levels: schedule.shifts[index].levels, source: 'shift', shift: index };
  }
  const present = without(planned.levels, away);
  if (present.length) return { ...planned, levels: present, away: awayFrom(planned.levels, away) };
  // everyone planned is away: otherwise's people, or, were they away too, otherwise as it is
  const otherwise = without(schedule.otherwise, away);
  return {
    levels: otherwise.length ? otherwise : schedule.otherwise,
    source: 'otherwise',
    away: awayFrom(planned.levels, away),
  };
}

/** The levels without the people away; a level left with nobody is dropped. */
function without(levels: Level[], away: string[]): Level[] {
  if (away.length === 0) return levels;
  return levels
    .map((level) =>
      level
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name && !away.includes(name))
        .join(', '),
    )
    .filter(Boolean);
}

function awayFrom(levels: Level[], away: string[]): string[] {
  const named = new Set(levels.flatMap((level) => level.split(',').map((name) => name.trim())));
  return away.filter((name) => named.has(name));
}

/** The instants within `days` either side of `instant` at which who is on duty may change. */
function boundsAround(
  schedule: DutySchedule,
  instant: number,
  before: number,
  after: number,
): number[] {
  const { zone } = schedule;
  const bounds = new Set<number>();
  for (const date of datesAround(instant, zone, before + 1, after)) {
    for (const shift of schedule.shifts) {
      if (!shift.days.includes(date.weekday)) continue;
      const span = spanOf(shift, date, zone);
      bounds.add(span.from).add(span.to);
    }
  }
  for (const override of schedule.overrides) {
    const span = rangeOf(override, zone);
    bounds.add(span.from).add(span.to);
  }
  return [...bounds].sort((a, b) => a - b);
}

/**
 * The next instant after `instant` at which who is on duty changes, and who is then; undefined
 * when nothing changes within `withinDays` (a schedule of one row every day, all day).
 */
export function nextChangeAfter(
  schedule: DutySchedule,
  instant: number,
  withinDays = 8,
): { at: number; onDuty: OnDuty } | undefined {
  const now = JSON.stringify(onDutyAt(schedule, instant));
  const horizon = instant + withinDays * 86_400_000;
  for (const at of boundsAround(schedule, instant, 0, withinDays)) {
    if (at <= instant || at > horizon) continue;
    const onDuty = onDutyAt(schedule, at);
    if (JSON.stringify(onDuty) !== now) return { at, onDuty };
  }
  return undefined;
}

/**
 * Since when who is on duty at `instant` has been: the last change at or before it; undefined
 * when nothing changed within `withinDays` before.
 */
export function lastChangeBefore(
  schedule: DutySchedule,
  instant: number,
  withinDays = 8,
): number | undefined {
  const now = JSON.stringify(onDutyAt(schedule, instant));
  const horizon = instant - withinDays * 86_400_000;
  for (const at of boundsAround(schedule, instant, withinDays, 0).reverse()) {
    if (at > instant || at < horizon) continue;
    if (JSON.stringify(onDutyAt(schedule, at - 1)) !== now) return at;
  }
  return undefined;
}
