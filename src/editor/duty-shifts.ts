/**
 * A duty schedule's weekly table: one row per shift, its days, from and to (local time; a to
 * at or before the from runs past midnight) and its levels. Rows are read in order: the first
 * shift that holds a moment gives who is on duty.
 */
import { daysEditor, daysIn } from './duty-days';
import { levelsEditor, levelsIn } from './duty-levels';
import { editableList, rowsOf } from './lists';
import type { EditorNode } from './node';
import type { ListComponent } from './parts';

/** A row as the schedule saves it. */
interface Shift {
  days?: unknown;
  from?: string;
  to?: string;
  levels?: unknown;
}

/** `7:30` → `07:30`: what a time input shows; anything else as it is, for the check to name. */
export function asTimeInput(time: unknown): string {
  const match = typeof time === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(time.trim()) : null;
  return match ? `${match[1].padStart(2, '0')}:${match[2]}` : '';
}

/** A time input and its label: `from 22:00`. */
export function timeField(node: EditorNode, part: 'from' | 'to', value: unknown): JQuery[] {
  const input = $(`<input type="time" class="xassist-duty-${part}" style="width: 110px">`);
  // an end at 24:00, which a time input cannot show, is the end at the next day's 00:00
  input.val(part === 'to' && value === '24:00' ? '00:00' : asTimeInput(value));
  const label = $('<span style="margin: 0 4px">').text(
    node._(`xassist-duty-schedule.label.${part}`),
  );
  return [label, input];
}

export const shiftList: ListComponent<Shift> = {
  prepare(list, shifts, node) {
    editableList<Shift>(
      list,
      {
        addItem(row, _index, shift) {
          const times = $('<span style="white-space: nowrap">').append(
            ...timeField(node, 'from', shift.from),
            ...timeField(node, 'to', shift.to),
          );
          const when = $('<div style="margin-bottom: 4px">').append(
            daysEditor(shift.days, node),
            ' ',
            times,
          );
          row.append(when, levelsEditor(shift.levels, node));
        },
      },
      shifts,
      {},
    );
  },
  read: (list) =>
    rowsOf(list, (row) => {
      const from = String(row.find('.xassist-duty-from').val() ?? '');
      const to = String(row.find('.xassist-duty-to').val() ?? '');
      const levels = levelsIn(row);
      // a row left blank is no shift
      if (!from && !to && levels.length === 0) return null;
      return { days: daysIn(row), from, to, levels };
    }),
};
