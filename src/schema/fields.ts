/**
 * The settings of a node type, declared once: what the editor's `defaults` hold and how it
 * validates them, which form row shows each, and how the runtime reads a saved flow (a setting
 * the flow does not have gets its default, as the editor gives it on import). Pure data and
 * pure functions: the runtime and the editor's bundle both import it.
 */

/** A typedInput type of the package's own: a list of options, or a checked text. */
export interface OwnType {
  value: string;
  /** shown as it is, in every language */
  label: string;
  icon?: string;
  options?: Array<string | { value: string; label: string }>;
  /** what a value of this type must match */
  pattern?: RegExp;
  /** a check of a value of this type, where a pattern cannot tell: true when it is valid */
  check?: (value: string) => boolean;
}

/** Where a typed setting's value comes from: Node-RED's own types or the package's. */
export type TypeOption = string | OwnType;

/**
 * What is wrong with a setting, as a key of the node type's catalogue (under `<type>.`) and
 * its substitutions: a check whose message the editor shows translated.
 */
export interface Problem {
  key: string;
  values?: Record<string, unknown>;
}

/** A setting's own check: true when it is valid, else what is wrong (English, or a Problem). */
export type Check = (value: unknown) => true | string | Problem;

interface Row {
  /** Font Awesome's name without `fa-`; a field without one has no row of its own */
  icon?: string;
  /** the label's key under `<type>.label.` (the setting's name unless given); `a:b` as it is */
  label?: string;
  /** a key under `<type>.placeholder.` (true: the setting's name) */
  placeholder?: true | string;
  /** a placeholder shown as it is, in every language */
  example?: string;
  /** an input wider or narrower than its kind's */
  width?: string;
}

export interface TextField extends Row {
  kind: 'text';
  default: string;
  required?: boolean;
  /** what the whole text must match; an empty text is valid unless required */
  pattern?: RegExp;
  /** a further check of a text that is not empty */
  check?: Check;
  /** what the input offers to complete as the user types: those that hold the text typed */
  completions?: () => string[];
  autocomplete?: string;
}

export interface NumberField extends Row {
  kind: 'number';
  /** '' : not set, and the runtime reads undefined */
  default: number | '';
  required?: boolean;
  /** at least */
  min?: number;
  /** more than */
  above?: number;
  /** at most */
  max?: number;
  integer?: boolean;
  /** what the runtime takes for a value it cannot use (the default unless given) */
  fallback?: number;
  /** the spinner's step (1 unless given) */
  step?: number;
  /** the key, under `<type>.label.`, of the word after the input */
  unit?: string;
}

export interface TypedField extends Row {
  kind: 'typed';
  default: string;
  /** the type of a new node's value; saved as `<setting>Type` */
  defaultType: string;
  /** offered first; msg, flow, global, env and JSONata follow */
  types: TypeOption[];
  /** the value must suit its type (Node-RED's typedInput validator) even when empty */
  checkEmpty?: boolean;
  /** a further check of a text value (type `str`): true when it is valid */
  checkText?: (value: string) => boolean;
  /** the type an empty value is shown with, whatever its saved type (one that can show empty) */
  emptyType?: string;
}

export interface FlagField extends Row {
  kind: 'flag';
  default: boolean;
}

/** The msg property a node writes to. */
export interface OutputField extends Row {
  kind: 'output';
  default: string;
}

/** A config node: a server, TLS or proxy node. */
export interface ConfigField extends Row {
  kind: 'config';
  default: '';
  nodeType: string;
  required: boolean;
}

/** An editable list whose rows a component of the editor makes. */
export interface ListField<T = unknown> extends Row {
  kind: 'list';
  default: T[];
  /** true when the list is valid, else what is wrong */
  check?: Check;
}

/** A credential: never in the flow file, never sent back to the editor when a password. */
export interface CredentialField extends Row {
  kind: 'credential';
  type: 'text' | 'password';
  autocomplete?: string;
}

/** A setting the form does not show (a version, the number of outputs). */
export interface HiddenField {
  kind: 'hidden';
  default: unknown;
}

export type Field =
  | TextField
  | NumberField
  | TypedField
  | FlagField
  | OutputField
  | ConfigField
  | ListField
  | CredentialField
  | HiddenField;

/** Where a node shows in the editor, and what it has. */
export interface NodeLook {
  category: string;
  color?: string;
  icon?: string;
  inputs?: 0 | 1;
  outputs?: number;
}

/**
 * A node type's schema. `form` gives the rows in order: a setting's name, `{ heading }` for a
 * titled part, `{ slot }` for the place of a part the node's editor makes itself.
 */
export interface NodeSchema {
  type: string;
  look: NodeLook;
  fields: Record<string, Field>;
  form: FormEntry[];
}

export type FormEntry<Name extends string = string> = Name | { heading: string } | { slot: string };

/** The schema, its form checked against its own fields' names at compile time. */
export function defineSchema<F extends Record<string, Field>>(
  schema: Omit<NodeSchema, 'fields' | 'form'> & {
    fields: F;
    form: FormEntry<Extract<keyof F, string>>[];
  },
): NodeSchema & { fields: F } {
  return schema;
}

/** The name of the setting that keeps a typed field's type: `callTitle` → `callTitleType`. */
export function typeSettingOf(name: string): string {
  return `${name}Type`;
}

/** Sources every typed setting offers after its own types. */
export const SOURCES = ['msg', 'flow', 'global', 'env', 'jsonata'];

/** A typed setting's types: its own, then the sources it does not list already. */
export function typesOf(own: readonly TypeOption[]): TypeOption[] {
  const named = own.map((type) => (typeof type === 'string' ? type : type.value));
  return [...own, ...SOURCES.filter((source) => !named.includes(source))];
}

/** The settings that look and work the same in every node that has them. */
export const COMMON = {
  name: {
    kind: 'text',
    default: '',
    icon: 'tag',
    label: 'node-red:common.label.name',
    placeholder: 'node-red:common.label.name',
  },
  server: {
    kind: 'config',
    default: '',
    nodeType: 'xassist-server',
    required: true,
    icon: 'server',
  },
  property: { kind: 'output', default: 'payload', icon: 'sign-out' },
  // Read every: seconds between two reads of a call
  pollInterval: {
    kind: 'number',
    default: 5,
    required: true,
    min: 0.1,
    max: 3600,
    icon: 'refresh',
    unit: 'seconds',
  },
  callTitle: {
    kind: 'typed',
    default: '',
    defaultType: 'str',
    types: ['str'],
    icon: 'header',
    placeholder: true,
  },
  creatorUser: {
    kind: 'typed',
    default: '',
    defaultType: 'str',
    types: ['str', 'num'],
    checkEmpty: true,
    icon: 'eye',
    placeholder: true,
  },
  // a msg property by default: one alarm, one key
  dedupKey: {
    kind: 'typed',
    default: '',
    defaultType: 'msg',
    types: ['msg', 'str'],
    icon: 'clone',
    placeholder: true,
  },
} as const satisfies Record<string, Field>;
