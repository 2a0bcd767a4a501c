/**
 * A node type's editor file, as the build writes it beside the node's `.js`: the definition
 * `RED.nodes.registerType('<type>', { ... })` with every default, credential, icon, colour and
 * port count written out (the Flow Library reads them from the file, not from a run), its
 * functions taken from the bundled editor code (`resources/editor.js`), and the dialog's form
 * rows made from the schema. Runs in Node, at build time: strings only, no DOM.
 */
import { typeSettingOf, type Field, type FormEntry, type NodeSchema } from '../schema/fields';
import { functionsOf, hasValidator, labelKey, prefixOf } from './names';

/** Where Node-RED serves the package's resources/ folder. */
export const BUNDLE_URL = 'resources/@frontline-flows/node-red-xassist/editor.js';

export function editorPage(schema: NodeSchema): string {
  return [
    `<script type="text/javascript" src="${BUNDLE_URL}"></script>`,
    '<script type="text/javascript">',
    definitionScript(schema),
    '</script>',
    '',
    `<script type="text/html" data-template-name="${schema.type}">`,
    formOf(schema),
    '</script>',
    '',
  ].join('\n');
}

function definitionScript(schema: NodeSchema): string {
  const { type, look } = schema;
  const lines = [`  (function (editor) {`, `    RED.nodes.registerType(${quote(type)}, {`];
  const add = (text: string) => lines.push(`      ${text}`);
  add(`category: ${quote(look.category)},`);
  if (look.color) add(`color: ${quote(look.color)},`);
  add('defaults: {');
  for (const [name, field] of Object.entries(schema.fields)) {
    if (field.kind === 'credential') continue;
    add(`  ${name}: ${defaultOf(name, field)},`);
    if (field.kind === 'typed') {
      add(`  ${typeSettingOf(name)}: { value: ${JSON.stringify(field.defaultType)} },`);
    }
  }
  add('},');
  const credentials = Object.entries(schema.fields).filter(([, f]) => f.kind === 'credential');
  if (credentials.length) {
    add('credentials: {');
    for (const [name, field] of credentials) {
      if (field.kind === 'credential') add(`  ${name}: { type: ${quote(field.type)} },`);
    }
    add('},');
  }
  if (look.inputs !== undefined) add(`inputs: ${look.inputs},`);
  if (look.outputs !== undefined) add(`outputs: ${look.outputs},`);
  if (look.icon) add(`icon: ${quote(look.icon)},`);
  for (const name of functionsOf(look.category)) add(`${name}: editor.${name},`);
  lines.push('    });', `  })(window.xassistEditor.definition(${quote(type)}));`);
  return lines.join('\n');
}

function defaultOf(name: string, field: Exclude<Field, { kind: 'credential' }>): string {
  const parts: string[] = [];
  // an optional config node has no value of its own, as the core nodes' tls and proxy
  if (field.kind !== 'config' || field.required)
    parts.push(`value: ${JSON.stringify(field.default)}`);
  if (field.kind === 'config') parts.push(`type: ${quote(field.nodeType)}`);
  if ('required' in field && field.required !== undefined)
    parts.push(`required: ${field.required}`);
  if (hasValidator(field)) parts.push(`validate: editor.validate.${name}`);
  return `{ ${parts.join(', ')} }`;
}

/** The dialog's rows, in the schema's order. */
export function formOf(schema: NodeSchema): string {
  return schema.form.map((entry) => `  ${entryOf(schema, entry)}`).join('\n');
}

function entryOf(schema: NodeSchema, entry: FormEntry): string {
  if (typeof entry !== 'string') {
    if ('heading' in entry) {
      return `<hr />\n  <h4 data-i18n="${schema.type}.label.${entry.heading}"></h4>`;
    }
    return `<div class="xassist-slot" data-xassist-slot="${entry.slot}"></div>`;
  }
  const field = schema.fields[entry];
  if (!field || field.kind === 'hidden') throw new Error(`${schema.type}: no row for ${entry}`);
  return rowOf(schema.type, prefixOf(schema.look.category), entry, field);
}

const CHECKBOX = 'display: inline-block; width: auto; vertical-align: top';

/** One setting's row, as Node-RED's own dialogs have it: an icon and a label, then the input. */
function rowOf(
  type: string,
  prefix: string,
  name: string,
  field: Exclude<Field, { kind: 'hidden' }>,
): string {
  const id = `${prefix}-${name}`;
  const label = labelKey(type, name, field);
  if (field.kind === 'flag') {
    return row(
      `<input type="checkbox" id="${id}" style="${CHECKBOX}" />`,
      `<label for="${id}" style="width: auto" data-i18n="${label}"></label>`,
    );
  }
  const icon = `<i class="fa fa-${field.icon ?? 'cog'}"></i> <span data-i18n="${label}"></span>`;
  if (field.kind === 'list') {
    return rowOfClass(`form-row ${id}-row`, `<label>${icon}</label>`, `<ol id="${id}-list"></ol>`);
  }
  const attributes: Record<string, string> = {
    type: field.kind === 'credential' ? field.type : 'text',
    id,
  };
  const width = widthOf(field);
  if (width) attributes.style = `width: ${width}`;
  if (field.placeholder) {
    const key = field.placeholder === true ? `${type}.placeholder.${name}` : field.placeholder;
    attributes['data-i18n'] = `[placeholder]${key}`;
  }
  if (field.example) attributes.placeholder = field.example;
  if ('autocomplete' in field && field.autocomplete) attributes.autocomplete = field.autocomplete;
  const parts = [`<label for="${id}">${icon}</label>`, `<input ${attributesOf(attributes)} />`];
  if (field.kind === 'typed') parts.push(`<input type="hidden" id="${id}Type" />`);
  if (field.kind === 'number' && field.unit) {
    parts.push(`<span data-i18n="${type}.label.${field.unit}"></span>`);
  }
  return row(...parts);
}

function widthOf(field: Exclude<Field, { kind: 'hidden' | 'list' | 'flag' }>): string | undefined {
  if (field.width) return field.width;
  if (field.kind === 'typed' || field.kind === 'output') return '70%';
  return field.kind === 'number' ? '80px' : undefined;
}

function row(...parts: string[]): string {
  return rowOfClass('form-row', ...parts);
}

function rowOfClass(className: string, ...parts: string[]): string {
  return `<div class="${className}">\n    ${parts.join('\n    ')}\n  </div>`;
}

function attributesOf(attributes: Record<string, string>): string {
  return Object.entries(attributes)
    .map(([name, value]) => `${name}="${escapeAttribute(value)}"`)
    .join(' ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
