import type { NodeSchema } from '../schema/fields';

/**
 * A node as the editor gives it to a definition's functions: its settings, its definition and
 * `_`, which reads the node type's catalogue.
 */
export interface EditorNode {
  id: string;
  type: string;
  name?: string;
  _def: { category: string; defaults: Record<string, unknown> };
  _(key: string, substitutions?: Record<string, unknown>): string;
  [setting: string]: unknown;
}

/** A key of the node type's own catalogue: `label.palette` → `<type>.label.palette`. */
export function translate(
  node: Pick<EditorNode, '_'>,
  schema: NodeSchema,
  key: string,
  substitutions?: Record<string, unknown>,
): string {
  return node._(`${schema.type}.${key}`, substitutions);
}

/** A key of the server node's catalogue, where the strings every dialog shares are. */
export function shared(key: string, substitutions?: Record<string, unknown>): string {
  const server = RED.nodes.getType('xassist-server') as unknown as Pick<EditorNode, '_'>;
  return server._(`xassist-server.${key}`, substitutions);
}
