/** The dialog's inputs made into what their fields are: typed inputs, spinners and outputs. */
import { typeSettingOf, typesOf, type NodeSchema, type TypeOption } from '../schema/fields';
import { spinnerMin } from '../schema/numbers';
import { prefixOf } from './names';
import type { EditorNode } from './node';

/**
 * The typedInput types of a field: its own, then the sources. Each is a copy (the widget keeps
 * what it is given), with its pattern as the widget's `validate`.
 */
export function widgetTypes(own: readonly TypeOption[]): unknown[] {
  return typesOf(own).map((type) => {
    if (typeof type === 'string') return type;
    const { pattern, options, ...rest } = type;
    return { ...rest, options: options && structuredClone(options), validate: pattern };
  });
}

export function prepareInputs(node: EditorNode, schema: NodeSchema): void {
  const prefix = prefixOf(schema.look.category);
  for (const [name, field] of Object.entries(schema.fields)) {
    const input = $(`#${prefix}-${name}`);
    if (!input.length) continue;
    if (field.kind === 'typed') {
      const types = widgetTypes(field.types);
      input.typedInput({
        default: (node[typeSettingOf(name)] as string) || field.defaultType,
        types: types as never,
        typeField: `#${prefix}-${typeSettingOf(name)}`,
      });
    } else if (field.kind === 'number') {
      input.spinner({ min: spinnerMin(field), max: field.max, step: field.step ?? 1 });
    } else if (field.kind === 'output') {
      if (!node[name]) input.val(field.default);
      input.typedInput({ default: 'msg', types: ['msg'] });
    }
  }
}
