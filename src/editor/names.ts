/**
 * What the editor file the build writes and the bundled editor code agree on: the ids of a
 * dialog's inputs, the keys of its labels, the functions a definition takes from the bundle and
 * which settings have a validator. Pure: it runs at build time and in the browser.
 */
import type { Field } from '../schema/fields';

/** The functions of a node's definition that the bundled editor code gives. */
export const EDITOR_FUNCTIONS = [
  'paletteLabel',
  'label',
  'labelStyle',
  'outputLabels',
  'oneditprepare',
  'oneditsave',
] as const;

export type EditorFunction = (typeof EDITOR_FUNCTIONS)[number];

/** A config node has no place in the palette, and no ports: its dialog's title is its type. */
const FLOW_NODE_ONLY: readonly EditorFunction[] = ['paletteLabel', 'labelStyle', 'outputLabels'];

/** The functions a node of the category takes from the bundle. */
export function functionsOf(category: string): EditorFunction[] {
  return EDITOR_FUNCTIONS.filter((name) => category !== 'config' || !FLOW_NODE_ONLY.includes(name));
}

/** The ids of a dialog's inputs: node-input-<setting>, or node-config-input-… for a config node. */
export function prefixOf(category: string): string {
  return category === 'config' ? 'node-config-input' : 'node-input';
}

/** A setting's label: `<type>.label.<setting>`, another key of the node's, or a key as it is. */
export function labelKey(type: string, name: string, field: Field): string {
  const label = ('label' in field && field.label) || name;
  return label.includes(':') ? label : `${type}.label.${label}`;
}

/** Whether the editor checks the setting beyond Node-RED's own `required`. */
export function hasValidator(field: Field): boolean {
  switch (field.kind) {
    case 'text':
      return field.pattern !== undefined || field.check !== undefined;
    case 'number':
      return true;
    case 'typed':
      return true;
    case 'list':
      // the editor checks what its rows name (a duty schedule), beside the schema's check
      return true;
    default:
      return false;
  }
}
