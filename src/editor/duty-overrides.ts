/**
 * A duty schedule's overrides: a range of local dates (a date alone is the whole day; an end
 * date is included) or dates and times, with who covers it (levels, as a shift's) and who is
 * away, or both.
 */
import { levelsEditor, levelsIn } from './duty-levels';
import { peopleInput, peopleOf } from './duty-people';
import { asTimeInput } from './duty-shifts';
import { editableList, rowsOf } from './lists';
import type { EditorNode } from './node';
import type { ListComponent } from './parts';

/** A row as the schedule saves it. */
interface Override {
  from?: string;
  to?: string;
  cover?: unknown;
  away?: string | string[];
}

/** A local date and time, `2026-12-31T20:00` or `2026-12-24`, as a date and a time input show it. */
function datePartsOf(value: unknown): { date: string; time: string } {
  const match =
    typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}))?$/.exec(value) : null;
  return match ? { date: match[1], time: asTimeInput(match[2]) } : { date: '', time: '' };
}

function whenField(node: EditorNode, part: 'from' | 'to', value: unknown): JQuery {
  const { date, time } = datePartsOf(value);
  return $('<span style="white-space: nowrap">').append(
    $(`<input type="date" class="xassist-duty-${part}-date" style="width: 150px">`).val(date),
    ' ',
    $(`<input type="time" class="xassist-duty-${part}-time" style="width: 110px">`)
      .attr('title', node._('xassist-duty-schedule.label.whole-day'))
      .val(time),
  );
}

/** `2026-12-24`, or with a time `2026-12-24T20:00`; '' when no date is given. */
function whenIn(row: JQuery, part: 'from' | 'to'): string {
  const date = String(row.find(`.xassist-duty-${part}-date`).val() ?? '');
  const time = String(row.find(`.xassist-duty-${part}-time`).val() ?? '');
  return date && time ? `${date}T${time}` : date;
}

function labelled(node: EditorNode, key: string, content: JQuery): JQuery {
  return $('<div style="display: flex; align-items: baseline; margin-bottom: 4px">').append(
    $('<span style="flex: 0 0 70px">').text(node._(`xassist-duty-schedule.label.${key}`)),
    content.css('flex', '1 1 auto'),
  );
}

export const overrideList: ListComponent<Override> = {
  prepare(list, overrides, node) {
    editableList<Override>(
      list,
      {
        addItem(row, _index, override) {
          const away = Array.isArray(override.away) ? override.away.join(', ') : override.away;
          const awayInput = peopleInput(
            node._('xassist-duty-schedule.placeholder.away'),
            away ?? '',
          ).addClass('xassist-duty-away');
          row.append(
            labelled(node, 'starts', whenField(node, 'from', override.from)),
            labelled(node, 'ends', whenField(node, 'to', override.to)),
            labelled(node, 'away', awayInput),
            labelled(node, 'cover', levelsEditor(override.cover, node)),
          );
        },
      },
      // a new node's schedule has no override: no blank row to fill in or to drop
      overrides,
      undefined,
    );
  },
  read: (list) =>
    rowsOf(list, (row) => {
      const from = whenIn(row, 'from');
      const to = whenIn(row, 'to');
      const cover = levelsIn(row);
      const away = peopleOf(row.find('.xassist-duty-away'));
      if (!from && !to && cover.length === 0 && !away) return null;
      return {
        from,
        to,
        ...(cover.length ? { cover } : {}),
        ...(away ? { away } : {}),
      };
    }),
};
