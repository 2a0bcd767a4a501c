/**
 * Wall-clock time in an IANA time zone, from the platform's own zone data (Node's full ICU):
 * what a clock on the wall shows at an instant, and the instant a wall-clock time names.
 */

/** A local date and time: month 1–12, weekday 0 (Sunday) to 6. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAY_MS = 86_400_000;

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether the platform knows `zone` (an IANA name such as Europe/Berlin). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.trim() === '') return false;
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

/** The host's time zone: the default of a schedule. */
export function hostTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function wallClockAt(instant: number, zone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatterOf(zone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday),
  };
}

/** A wall-clock time read as if it were UTC: a number to order and subtract local times by. */
export function localMs(clock: Omit<WallClock, 'weekday'>): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute);
}

/** How far the zone's clocks are ahead of UTC at an instant, to the minute. */
function offsetAt(instant: number, zone: string): number {
  const floored = instant - (((instant % 60_000) + 60_000) % 60_000);
  return localMs(wallClockAt(floored, zone)) - floored;
}

/**
 * The first instant at which the zone's clocks show `local` or later: a time that the spring
 * change skips is the end of the gap (02:30 on that day is 03:00); a time that the autumn change
 * shows twice is its first showing.
 */
export function instantAt(local: Omit<WallClock, 'weekday'>, zone: string): number {
  const wanted = localMs(local);
  // the zone's offsets around that time: before a change, after it, and at it
  const offsets = new Set([
    offsetAt(wanted - DAY_MS, zone),
    offsetAt(wanted, zone),
    offsetAt(wanted + DAY_MS, zone),
  ]);
  const candidates = [...offsets].map((offset) => wanted - offset).sort((a, b) => a - b);
  const exact = candidates.find((instant) => localMs(wallClockAt(instant, zone)) === wanted);
  if (exact !== undefined) return exact;
  // in a gap: the instant the clocks jump past it, found between the candidates
  let low = candidates[0];
  let high = candidates[candidates.length - 1];
  while (high - low > 60_000) {
    const middle = low + Math.floor((high - low) / 120_000) * 60_000;
    if (localMs(wallClockAt(middle, zone)) >= wanted) high = middle;
    else low = middle;
  }
  return high;
}

/** The local date `days` after a local date (a calendar step, whatever the zone does). */
export function addDays(
  date: { year: number; month: number; day: number },
  days: number,
): { year: number; month: number; day: number; weekday: number } {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: moved.getUTCFullYear(),
    month: moved.getUTCMonth() + 1,
    day: moved.getUTCDate(),
    weekday: moved.getUTCDay(),
  };
}
