/** How a server writes a date. */
export type DateForm =
  'iso-utc' | 'iso-offset' | 'iso-no-zone' | 'epoch' | 'numeric-text' | 'other';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?/;

export function dateFormOf(value: unknown): DateForm | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return 'epoch';
  if (typeof value !== 'string') return 'other';
  if (/^\d{10,}$/.test(value)) return 'numeric-text';
  if (!ISO.test(value)) return 'other';
  const zone = value.slice(value.indexOf('T')).match(/(Z|[+-]\d{2}:?\d{2})$/)?.[1];
  if (!zone) return 'iso-no-zone';
  return zone === 'Z' || /^[+-]00:?00$/.test(zone) ? 'iso-utc' : 'iso-offset';
}

/** "iso-utc 12, epoch 3": how many of each form. */
export function countsText(counts: Map<string, number>): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([form, count]) => `${form} ${count}`)
    .join(', ');
}

export function countOf(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
