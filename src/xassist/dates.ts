/**
 * A date as an xAssist server sends it, in epoch milliseconds, or undefined when it is none.
 * Servers answer ISO 8601 texts or (as Java `Date`s serialised by Jackson) epoch-millisecond
 * numbers; some send those numbers as text. `Date.parse` must never see a number: it would
 * read `1764072000000` as a year.
 */
export function serverDate(value: unknown): number | undefined {
  if (typeof value === 'number') return valid(value);
  if (value instanceof Date) return valid(value.getTime());
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return valid(Number(text));
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? valid(Date.parse(text)) : undefined;
}

/** A Date keeps ±8.64e15 ms; beyond that, or NaN, there is no date. */
function valid(ms: number): number | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined;
}
