/**
 * The bundled editor code's one global, `window.xassistEditor`: each node type's definition
 * functions, made from its schema and what its editor adds, for the definition that the node's
 * `.html` registers (see page.ts).
 */
import type { NodeSchema } from '../schema/fields';
import { definitionOf } from './definition';
import type { EditorDefinition, EditorParts } from './parts';

export interface XAssistEditor {
  definitions: Record<string, EditorDefinition>;
  definition(type: string): EditorDefinition;
}

/** Adds the node type's definition to the page's, made once however often the file is loaded. */
export function registerEditor(schema: NodeSchema, parts: EditorParts): void {
  const editor = (window.xassistEditor ??= {
    definitions: {},
    definition(type) {
      const definition = this.definitions[type];
      if (!definition) throw new Error(`xassist editor: no definition for ${type}`);
      return definition;
    },
  });
  editor.definitions[schema.type] = definitionOf(schema, parts);
}
