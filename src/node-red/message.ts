import type { NodeMessage } from 'node-red';

/**
 * The properties of `msg` that JSON can keep (they are saved in context and must survive a
 * restart), without those in `exclude`. Others (a socket, a cycle) are left out.
 */
export function portableCopy(
  msg: NodeMessage,
  exclude: ReadonlySet<string>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(msg)) {
    if (exclude.has(name)) continue;
    try {
      const text = JSON.stringify(value);
      if (text !== undefined) copy[name] = JSON.parse(text);
    } catch {
      // not JSON: it cannot be kept across a restart, so it is not passed on
    }
  }
  return copy;
}
