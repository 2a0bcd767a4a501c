/** How the server writes dates; see `Variants.dates`. */
export type DateStyle = 'iso' | 'epoch' | 'offset' | 'no-zone' | 'numeric-text';

export const DATE_STYLES: readonly DateStyle[] = [
  'iso',
  'epoch',
  'offset',
  'no-zone',
  'numeric-text',
];

/** the offset `offset` writes: Central European Summer Time, a server in Berlin in summer */
const OFFSET_MINUTES = 120;
const OFFSET_TEXT = '+02:00';

/**
 * A stored date (an ISO text in UTC) as the server writes it in `style`, the same instant in
 * every style but `no-zone`, which writes the UTC wall time without saying so (a Java
 * `LocalDateTime` on a server running in UTC). Anything else (null, no date) as it is.
 */
export function presentDate<T>(value: T, style: DateStyle): T | string | number {
  if (typeof value !== 'string' || style === 'iso') return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  switch (style) {
    case 'epoch':
      return ms;
    case 'numeric-text':
      return String(ms);
    case 'no-zone':
      return new Date(ms).toISOString().slice(0, -1);
    case 'offset':
      return new Date(ms + OFFSET_MINUTES * 60_000).toISOString().slice(0, -1) + OFFSET_TEXT;
  }
}
