/** What a value from a message is, for the checks and the error texts of every node. */

/** An object literal or JSON object: not a list, a Date, a Buffer or a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** How a wrong value is named in an error, without echoing it whole. */
export function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  // the editor's bundle runs this in a browser, which has no Buffer
  if (typeof Buffer !== 'undefined' && Buffer.isBuffer(value)) return 'a buffer';
  if (value instanceof Date) return 'an invalid date';
  switch (typeof value) {
    case 'string':
      return value.trim() ? `the text '${value.slice(0, 40)}'` : 'empty text';
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}
