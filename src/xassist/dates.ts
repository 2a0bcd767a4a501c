/**
 * An ISO 8601 date-time as servers write it: `T` or a space between date and time, seconds and
 * any number of fraction digits optional, then `Z`, an offset (`+02:00`, `+0200`, `+02`) or no
 * zone at all, and perhaps a zone id in brackets (Java's `ZonedDateTime`).
 */
const ISO_DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?(?:\[[^\]]+\])?$/i;

/**
 * A date as an xAssist server sends it, in epoch milliseconds, or undefined when it is none.
 * Servers answer ISO 8601 texts or (as Java `Date`s serialised by Jackson) epoch-millisecond
 * numbers; some send those numbers as text. `Date.parse` must never see a number: it would
 * read `1764072000000` as a year.
 *
 * An ISO text with an offset is the instant it names. One without a zone is read as UTC: the
 * server is Java/Spring, and a `LocalDateTime` written without a zone holds the server's wall
 * time, which on a cloud tenant is UTC; read as this machine's local time instead, every date
 * would move by this machine's offset (`npx xassist-check` tells when the server's is not UTC).
 */
export function serverDate(value: unknown): number | undefined {
  if (typeof value === 'number') return valid(value);
  if (value instanceof Date) return valid(value.getTime());
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return valid(Number(text));
  const iso = canonicalIso(text);
  return iso === undefined ? undefined : valid(Date.parse(iso));
}

/**
 * A date a flow gives (`msg.since`): epoch milliseconds, a Date, or a text as JavaScript reads
 * it. Unlike a server's, a date-time without a zone is this machine's local time, as the flow's
 * author means it when typing one.
 */
export function flowDate(value: unknown): number | undefined {
  if (typeof value !== 'string' || /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return serverDate(value);
  const text = value.trim();
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? valid(Date.parse(text)) : undefined;
}

/**
 * `text` in the one form `Date.parse` reads the same everywhere (`2026-11-25T13:00:00.000Z`,
 * or with `+02:00`), a missing zone as `Z`; undefined for a text that is no ISO date-time.
 */
function canonicalIso(text: string): string | undefined {
  const parts = ISO_DATE_TIME.exec(text);
  if (!parts) return undefined;
  const [, date, time = '00:00', seconds = '00', fraction = '', zone = 'Z'] = parts;
  const ms = fraction.slice(0, 3).padEnd(3, '0');
  return `${date}T${time}:${seconds}.${ms}${offsetOf(zone)}`;
}

/** `Z`, or an offset as `+hh:mm`. */
function offsetOf(zone: string): string {
  if (zone.toUpperCase() === 'Z') return 'Z';
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2) || '00'}`;
}

/** A Date keeps ±8.64e15 ms; beyond that, or NaN, there is no date. */
function valid(ms: number): number | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined;
}
