/**
 * A shape a node saves, with its version and the steps that bring an older save up to it. A save
 * made before versions existed is version 0.
 */
export interface Shape<T> {
  version: number;
  /** `migrations[n]` turns a version-n save into version n + 1 */
  migrations: Array<(older: unknown) => unknown>;
  /** the parts of a current save that can be used; a save that cannot is dropped */
  valid: (value: unknown) => T | undefined;
}

/** How a save is kept: its value, and the version of its shape. */
export interface Versioned {
  version: number;
  value: unknown;
}

export function versioned<T>(shape: Shape<T>, value: T): Versioned {
  return { version: shape.version, value };
}

/**
 * A save brought up to the current version of its shape, or undefined when there is none or it
 * comes from a newer version of the package (after a downgrade), which this one cannot read.
 */
export function current<T>(shape: Shape<T>, saved: unknown): T | undefined {
  if (saved === undefined || saved === null) return undefined;
  let { version, value } = isVersioned(saved) ? saved : { version: 0, value: saved };
  if (version > shape.version) return undefined;
  for (; version < shape.version; version++) value = shape.migrations[version](value);
  return shape.valid(value);
}

function isVersioned(saved: unknown): saved is Versioned {
  return (
    typeof saved === 'object' &&
    saved !== null &&
    !Array.isArray(saved) &&
    Number.isInteger((saved as Versioned).version) &&
    'value' in saved
  );
}
