/** What a node's editor gives to make its definition, and the definition it gets. */
import type { EditorFunction } from './names';
import type { EditorNode } from './node';
import type { Validator } from './validators';

/** The rows of a list setting: made from the saved entries, read back on save. */
export interface ListComponent<T = unknown> {
  prepare(list: JQuery, entries: T[], node: EditorNode): void;
  read(list: JQuery): T[];
}

/** What a node's editor adds to what its schema gives. */
export interface EditorParts {
  /** the node's label when it has no name: a key of its catalogue, or a text */
  label(node: EditorNode): string;
  /** the keys, under `label.`, of each output's label */
  outputs?: string[];
  /** the entries a list setting shows when the dialog opens (saved ones, migrated) */
  entries?: Record<string, (node: EditorNode) => unknown[]>;
  lists?: Record<string, ListComponent>;
  /** the editor's own checks of settings, before the schema's: true, or what is wrong */
  checks?: Record<string, Validator>;
  /** the parts of the dialog that a slot of the form holds */
  slots?: Record<string, (slot: JQuery, node: EditorNode) => void>;
  /** after the settings are read from the dialog */
  save?(node: EditorNode): void;
}

export type EditorDefinition = Record<EditorFunction, unknown> & {
  validate: Record<string, Validator>;
};
