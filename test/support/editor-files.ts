import { readFileSync } from 'node:fs';
import { Script, createContext } from 'node:vm';
import { editorBundle, editorPage, schemaOf } from '../../scripts/editors';
import { credentialsOf } from '../../src/schema/defaults';

/**
 * The editor files of each node type read as the editor reads them: the definition a node's
 * `src/nodes/<name>/<type>.html` registers, its English catalogue and help, and the credentials its runtime
 * registers. Files only: no Node-RED, no browser.
 */

export const NODE_TYPES = [
  'xassist-server',
  'xassist-create-call',
  'xassist-call-status',
  'xassist-escalate',
  'xassist-call-history',
  'xassist-assets',
  'xassist-duty-schedule',
  'xassist-duty',
] as const;

export type NodeType = (typeof NODE_TYPES)[number];

/** A node type's folder in the source: `xassist-escalate` lives in `src/nodes/escalate/`. */
export function nodeFolder(type: string): string {
  return `src/nodes/${type.replace(/^xassist-/, '')}`;
}

/** Where a node type's editor comes from: its schema (the build writes the `.html` from it). */
export function editorFile(type: string): string {
  return `${nodeFolder(type)}/schema.ts`;
}

/** A node type's catalogue (`json`) or help (`html`) in one language. */
export function localeFile(type: string, language: string, kind: 'json' | 'html'): string {
  return `${nodeFolder(type)}/locales/${language}/${type}.${kind}`;
}

/** One entry of a definition's `defaults`: the editor's default value, or a config node type. */
export interface EditorDefault {
  value?: unknown;
  type?: string;
  required?: boolean;
  validate?: (this: unknown, value: unknown, opt?: object) => unknown;
}

/** What `RED.nodes.registerType('<type>', {...})` in the node's HTML gives the editor. */
export interface EditorDefinition {
  category?: string;
  color?: string;
  icon?: string;
  defaults: Record<string, EditorDefault>;
  credentials?: Record<string, { type: string }>;
  inputs?: number;
  outputs?: number;
  label?: (this: unknown) => string;
  outputLabels?: (this: { _: (key: string) => string }, index: number) => string;
}

/** The `.html` of a node type, as the build writes it. */
export function editorHtml(type: string): string {
  return editorPage(schemaOf(type));
}

/** The one script of a node's HTML, as the Flow Library and test/editor/html.test.ts find it. */
export function editorScript(type: string): string {
  const html = editorHtml(type);
  const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)];
  if (scripts.length !== 1) {
    throw new Error(`the editor of ${type} has ${scripts.length} editor scripts, not 1`);
  }
  return scripts[0][1];
}

let bundle: string | undefined;

/**
 * The definition the node's HTML registers, with the functions of the bundled editor code: both
 * run against a stand-in `RED` that keeps what registerType is given, with validators that pass
 * (Node-RED's own run in the editor only). The dialog's functions are kept, not run.
 */
export function editorDefinition(type: string): EditorDefinition {
  const registered = new Map<string, EditorDefinition>();
  const validator = () => () => true;
  const RED = {
    nodes: {
      registerType: (name: string, definition: EditorDefinition) =>
        registered.set(name, definition),
    },
    validators: { regex: validator, number: validator, typedInput: validator },
  };
  const context = createContext({ RED, window: {}, structuredClone });
  bundle ??= editorBundle();
  new Script(bundle, { filename: 'resources/editor.js' }).runInContext(context);
  new Script(editorScript(type), { filename: `${type}.html` }).runInContext(context);
  const definition = registered.get(type);
  if (!definition) throw new Error(`the editor of ${type} registers no '${type}'`);
  return definition;
}

export function englishCatalog(type: string): Record<string, unknown> {
  return JSON.parse(readFileSync(localeFile(type, 'en-US', 'json'), 'utf8'));
}

export function lookUp(catalog: Record<string, unknown>, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], catalog);
}

/** The English label the editor shows for output `index` (from 0), or undefined without one. */
export function outputLabel(type: string, index: number): string | undefined {
  const { outputLabels } = editorDefinition(type);
  if (!outputLabels) return undefined;
  const catalog = englishCatalog(type);
  const label = outputLabels.call(
    { _: (key: string) => String(lookUp(catalog, key) ?? key) },
    index,
  );
  return typeof label === 'string' ? label : undefined;
}

/** The credentials the node type registers in the runtime (from its schema), name → type. */
export function runtimeCredentials(type: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(credentialsOf(schemaOf(type))).map(([name, credential]) => [
      name,
      credential.type,
    ]),
  );
}

/** A `<dt>` of a help's `<dl class="message-properties">`: one name of it (a dt may give two). */
export interface HelpProperty {
  name: string;
  type: string;
  optional: boolean;
}

export interface Help {
  /** the whole help text */
  html: string;
  /** the properties under "Inputs"; undefined when the help has no such section */
  inputs?: HelpProperty[];
  /**
   * the properties of each output: one list per `<li>` of `<ol class="node-ports">`, or a
   * single list when the section has no such list (a node with one output); empty without an
   * "Outputs" section
   */
  outputs: HelpProperty[][];
}

export function englishHelp(type: string): Help {
  const html = readFileSync(localeFile(type, 'en-US', 'html'), 'utf8');
  const inputs = section(html, 'Inputs');
  const outputs = section(html, 'Outputs');
  let ports: HelpProperty[][] = [];
  if (outputs !== undefined) {
    const list = /<ol class="node-ports">([\s\S]*?)<\/ol>/.exec(outputs);
    ports = list
      ? [...list[1].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((item) => propertiesIn(item[1]))
      : [propertiesIn(outputs)];
  }
  return {
    html,
    inputs: inputs === undefined ? undefined : propertiesIn(inputs),
    outputs: ports,
  };
}

/** The text from `<h3>title</h3>` to the next heading or the end of the help. */
function section(html: string, title: string): string | undefined {
  const start = html.indexOf(`<h3>${title}</h3>`);
  if (start < 0) return undefined;
  const rest = html.slice(start + title.length + 9);
  const end = rest.search(/<h3>|<\/script>/);
  return end < 0 ? rest : rest.slice(0, end);
}

function propertiesIn(html: string): HelpProperty[] {
  const properties: HelpProperty[] = [];
  for (const [, attributes = '', content] of html.matchAll(/<dt([^>]*)>([\s\S]*?)<\/dt>/g)) {
    const [names, type = ''] = content.split(/<span class="property-type">/);
    const optional = /class="[^"]*\boptional\b/.test(attributes);
    // `callId, call <span …>string, object</span>`: a type each
    const all = textOf(names)
      .split(/\s*,\s*/)
      .filter(Boolean);
    const types = textOf(type).split(/\s*,\s*/);
    all.forEach((name, index) =>
      properties.push({
        name,
        type: types.length === all.length ? types[index] : textOf(type),
        optional,
      }),
    );
  }
  return properties;
}

/** The words of the names the help shows as code: `<code>msg.callId</code>` gives `msg.callId`. */
export function codeIn(html: string): Set<string> {
  return new Set(
    [...html.matchAll(/<code\s*>([\s\S]*?)<\/code\s*>/g)].map((match) => textOf(match[1])),
  );
}

function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
