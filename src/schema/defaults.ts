import { typeSettingOf, type Field, type NodeSchema } from './fields';

/**
 * The settings a saved node holds, with those it lacks set to their defaults: what the editor
 * gives a node it imports without them, and so what the runtime reads too.
 */
export function withDefaults<C extends object>(schema: NodeSchema, config: C): C {
  const filled: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const [name, value] of Object.entries(defaultsOf(schema))) {
    if (filled[name] === undefined) filled[name] = structuredClone(value);
  }
  return filled as C;
}

/** Each saved setting's default value: a typed field's type is a setting of its own. */
export function defaultsOf(schema: NodeSchema): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.fields)) {
    if (field.kind === 'credential') continue;
    defaults[name] = field.default;
    if (field.kind === 'typed') defaults[typeSettingOf(name)] = field.defaultType;
  }
  return defaults;
}

/** The fields that are saved in the flow, by name (credentials are not). */
export function savedFields(
  schema: NodeSchema,
): Array<[string, Exclude<Field, { kind: 'credential' }>]> {
  return Object.entries(schema.fields).filter(
    (entry): entry is [string, Exclude<Field, { kind: 'credential' }>] =>
      entry[1].kind !== 'credential',
  );
}

/** The credentials a node type registers, as Node-RED's registerType takes them. */
export function credentialsOf(schema: NodeSchema): Record<string, { type: 'text' | 'password' }> {
  const credentials: Record<string, { type: 'text' | 'password' }> = {};
  for (const [name, field] of Object.entries(schema.fields)) {
    if (field.kind === 'credential') credentials[name] = { type: field.type };
  }
  return credentials;
}
