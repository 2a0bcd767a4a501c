/** A node type's definition functions: labels, the dialog's preparing and saving. */
import type { NodeSchema } from '../schema/fields';
import { prepareInputs, showDefaults } from './inputs';
import { prefixOf } from './names';
import { translate, type EditorNode } from './node';
import type { EditorDefinition, EditorParts } from './parts';
import { validatorsOf } from './validators';

export function definitionOf(schema: NodeSchema, parts: EditorParts): EditorDefinition {
  const prefix = prefixOf(schema.look.category);
  const listOf = (name: string) => $(`#${prefix}-${name}-list`);
  const t = (node: EditorNode, key: string) => translate(node, schema, key);
  return {
    validate: validatorsOf(schema, parts.checks),
    paletteLabel(this: EditorNode) {
      return t(this, 'label.palette');
    },
    label(this: EditorNode) {
      return this.name || parts.label(this);
    },
    labelStyle(this: EditorNode) {
      return this.name ? 'node_label_italic' : '';
    },
    outputLabels(this: EditorNode, index: number) {
      const key = parts.outputs?.[index];
      return key ? t(this, `label.${key}`) : undefined;
    },
    oneditprepare(this: EditorNode) {
      showDefaults(this, schema);
      prepareInputs(this, schema);
      for (const [name, list] of Object.entries(parts.lists ?? {})) {
        const saved = parts.entries?.[name]?.(this) ?? this[name];
        list.prepare(listOf(name), Array.isArray(saved) ? saved : [], this);
      }
      for (const [name, fill] of Object.entries(parts.slots ?? {})) {
        fill($(`[data-xassist-slot="${name}"]`), this);
      }
    },
    oneditsave(this: EditorNode) {
      for (const [name, list] of Object.entries(parts.lists ?? {})) {
        this[name] = list.read(listOf(name));
      }
      parts.save?.(this);
    },
  };
}
