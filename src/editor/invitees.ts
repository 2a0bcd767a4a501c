/**
 * The invitee list: one typed input per person, level of a duty schedule or source, with Find
 * users below it.
 */
import { dutyTypeFor } from './duty-rows';
import { editableList, entryOf, fillOrAdd, rowsOf, typedEntry, type Entry } from './lists';
import { findUsers } from './find-users';
import type { ListComponent } from './parts';

const input = (row: JQuery) => row.find('input').first();

export function inviteeList(placeholder: string): ListComponent<Entry> {
  return {
    prepare(list, entries, node) {
      const duty = dutyTypeFor();
      editableList<Partial<Entry>>(
        list,
        {
          addItem(row, _index, entry) {
            const field = $('<input type="text" style="width: 100%">').appendTo(row);
            field.attr('placeholder', node._(placeholder));
            typedEntry(field, ['str', duty(entry)], entry);
          },
        },
        entries,
        { v: '', vt: 'str' },
      );
      findUsers(list.closest('.form-row'), (userId) =>
        fillOrAdd(list, input, { v: userId, vt: 'str' }),
      );
    },
    read: (list) => rowsOf(list, (row) => entryOf(input(row))),
  };
}
