/** Editable lists of typed entries, as the invitee and step lists have them. */
import type { TypeOption } from '../schema/fields';
import { widgetTypes } from './inputs';

/** A typed input's content as a list saves it: `{ v, vt }`. */
export interface Entry {
  v: string;
  vt: string;
}

/** An editable list of rows made by addRow, filled with entries (or one blank row, if given). */
export function editableList<T>(
  list: JQuery,
  options: { header?: JQuery; addItem: (row: JQuery, index: number, entry: T) => void },
  entries: T[],
  blank: T | undefined,
): JQuery {
  list.editableList({
    removable: true,
    sortable: true,
    height: 'auto',
    header: options.header,
    addItem: options.addItem as never,
  });
  const shown = entries.length || blank === undefined ? entries : [blank];
  for (const entry of shown) list.editableList('addItem', entry as never);
  return list;
}

/** A list row's typed input, showing the entry: a text by default. */
export function typedEntry(input: JQuery, own: readonly TypeOption[], entry: Partial<Entry>): void {
  input.typedInput({ default: 'str', types: widgetTypes(own) as never });
  input.typedInput('type', entry.vt || 'str');
  input.typedInput('value', entry.v || '');
}

/** What a list row's typed input holds; null when it is empty. */
export function entryOf(input: JQuery): Entry | null {
  const value = input.typedInput('value');
  return value === '' ? null : { v: value, vt: input.typedInput('type') };
}

/** The rows of an editable list read by readRow, without those it returns nothing for. */
export function rowsOf<T>(list: JQuery, readRow: (row: JQuery) => T | null): T[] {
  const rows: T[] = [];
  list.editableList('items').each(function () {
    const row = readRow($(this));
    if (row) rows.push(row);
  });
  return rows;
}

/**
 * A user picked from Find users goes to the first row whose input is empty, else to a new row:
 * a new node's one blank row is filled, not left above the pick.
 */
export function fillOrAdd<T extends Entry>(
  list: JQuery,
  input: (row: JQuery) => JQuery,
  entry: T,
): void {
  let filled = false;
  list.editableList('items').each(function () {
    const field = input($(this));
    if (filled || field.typedInput('value') !== '') return;
    field.typedInput('type', 'str');
    field.typedInput('value', entry.v);
    filled = true;
  });
  if (!filled) list.editableList('addItem', entry as never);
}
