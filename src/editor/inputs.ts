/** The dialog's inputs made into what their fields are: typed inputs, spinners and outputs. */
import { typeSettingOf, typesOf, type NodeSchema, type TypeOption } from '../schema/fields';
import { savedFields } from '../schema/defaults';
import { spinnerMin } from '../schema/numbers';
import { completeWith, matching } from './complete';
import { prefixOf } from './names';
import type { EditorNode } from './node';

/**
 * The typedInput types of a field: its own, then the sources. Each is a copy (the widget keeps
 * what it is given), with its pattern or check as the widget's `validate`.
 */
export function widgetTypes(own: readonly TypeOption[]): unknown[] {
  return typesOf(own).map((type) => {
    if (typeof type === 'string') return type;
    const { pattern, check, options, ...rest } = type;
    return { ...rest, options: options && structuredClone(options), validate: pattern ?? check };
  });
}

/**
 * The default of each setting the node was saved without, in its input: the dialog shows, and
 * saves, what the runtime reads for it (Node-RED leaves the input empty).
 */
export function showDefaults(node: EditorNode, schema: NodeSchema): void {
  const prefix = prefixOf(schema.look.category);
  for (const [name, field] of savedFields(schema)) {
    const input = $(`#${prefix}-${name}`);
    if (node[name] !== undefined || !input.length) continue;
    if (field.kind === 'flag') input.prop('checked', field.default);
    else if (field.kind !== 'config' && field.kind !== 'list') input.val(field.default as string);
    if (field.kind === 'typed' && node[typeSettingOf(name)] === undefined) {
      $(`#${prefix}-${typeSettingOf(name)}`).val(field.defaultType);
    }
  }
}

export function prepareInputs(node: EditorNode, schema: NodeSchema): void {
  const prefix = prefixOf(schema.look.category);
  for (const [name, field] of Object.entries(schema.fields)) {
    const input = $(`#${prefix}-${name}`);
    if (!input.length) continue;
    if (field.kind === 'typed') {
      const typeField = $(`#${prefix}-${typeSettingOf(name)}`);
      const empty = input.val() === '' && field.emptyType;
      // the widget starts with the type its type field holds
      const type = empty || String(typeField.val() || '') || field.defaultType;
      typeField.val(type);
      input.typedInput({ default: type, types: widgetTypes(field.types) as never, typeField });
    } else if (field.kind === 'number') {
      input.spinner({ min: spinnerMin(field), max: field.max, step: field.step ?? 1 });
    } else if (field.kind === 'text' && field.completions) {
      const all = field.completions();
      completeWith(input, (text, done) => done(matching(all, text)));
    } else if (field.kind === 'output') {
      if (!node[name]) input.val(field.default);
      input.typedInput({ default: 'msg', types: ['msg'] });
    }
  }
}
