/**
 * The levels of a shift, an override's cover or the otherwise row: one people field per level,
 * primary first, then backup, …; the + button adds a level. Empty fields are not saved.
 */
import { peopleInput, peopleOf } from './duty-people';
import type { EditorNode } from './node';
import type { ListComponent } from './parts';

const LEVEL = 'xassist-duty-level';
/** fields shown for a row of fewer levels: primary and backup, as most schedules have */
const SHOWN = 2;

function levelName(node: EditorNode, index: number): string {
  if (index === 0) return node._('xassist-duty-schedule.placeholder.primary');
  if (index === 1) return node._('xassist-duty-schedule.placeholder.backup');
  return node._('xassist-duty-schedule.placeholder.level', { level: index + 1 });
}

/** Levels as a flow may hold them: a list of texts, or one text (the runtime takes both). */
export function savedLevels(levels: unknown): string[] {
  if (typeof levels === 'string') return [levels];
  return Array.isArray(levels)
    ? levels.filter((level): level is string => typeof level === 'string')
    : [];
}

/** The fields of `levels`, in a box that `levelsIn` reads. */
export function levelsEditor(levels: unknown, node: EditorNode): JQuery {
  const box = $('<div class="xassist-duty-levels" style="display: inline-block; width: 100%">');
  const add = (value: string) => {
    const index = box.find(`.${LEVEL}`).length;
    peopleInput(levelName(node, index), value)
      .addClass(LEVEL)
      .css({ width: 'calc(50% - 24px)', 'margin-right': '4px', 'margin-bottom': '2px' })
      .insertBefore(more);
  };
  const more = $('<button type="button" class="red-ui-button red-ui-button-small">')
    .attr('title', node._('xassist-duty-schedule.label.add-level'))
    .append('<i class="fa fa-plus"></i>')
    .on('click', () => add(''))
    .appendTo(box);
  const shown = savedLevels(levels);
  while (shown.length < SHOWN) shown.push('');
  shown.forEach(add);
  return box;
}

/** The levels a box holds, primary first, without the empty fields. */
export function levelsIn(box: JQuery): string[] {
  return box
    .find(`.${LEVEL}`)
    .map((_index, element) => peopleOf($(element)))
    .get()
    .filter((level: string) => level !== '');
}

/** The otherwise row: its levels in place of the list the form has for it. */
export const otherwiseLevels: ListComponent<string> = {
  prepare(list, levels, node) {
    const box = levelsEditor(levels, node);
    list.replaceWith(box.attr('id', list.attr('id') ?? '').css('width', '70%'));
  },
  read: (list) => levelsIn(list),
};
