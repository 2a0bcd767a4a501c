/**
 * The escalation's steps: who is called together (login names, emails, team ids, a level of a
 * duty schedule or a source) and how long they have, one row each, with Find users below the
 * list.
 */
import type { StepSetting } from '../escalation/plan';
import type { OwnType } from '../schema/fields';
import { dutyTypeFor } from './duty-rows';
import { findUsers } from './find-users';
import { editableList, entryOf, fillOrAdd, rowsOf, typedEntry } from './lists';
import type { EditorNode } from './node';
import type { ListComponent } from './parts';

const who = (row: JQuery) => row.find('.node-input-step-who');

/** Team ids: numbers, comma-separated. */
function teamType(node: EditorNode): OwnType {
  return {
    value: 'team',
    label: node._('xassist-escalate.label.team'),
    icon: 'fa fa-sitemap',
    pattern: /^\s*\d+(\s*,\s*\d+)*\s*$/,
  };
}

export const stepList: ListComponent<StepSetting> = {
  prepare(list, steps, node) {
    const t = (key: string) => node._(`xassist-escalate.${key}`);
    const team = teamType(node);
    const duty = dutyTypeFor();
    const header = $('<div>').append(
      $('<div style="display: inline-block; width: 70%">').text(t('label.who')),
      $('<div style="display: inline-block">').text(t('label.wait')),
    );
    editableList<StepSetting>(
      list,
      {
        header,
        addItem(row, _index, step) {
          const person = $('<input type="text" class="node-input-step-who" style="width: 68%">');
          person.attr('placeholder', t('placeholder.who'));
          const wait = $('<input type="text" class="node-input-step-timeout" style="width: 22%">');
          wait.attr('placeholder', t('placeholder.wait'));
          row.append(person, ' ', wait);
          typedEntry(person, ['str', team, duty(step)], step);
          wait.val(step.timeout === undefined ? '' : String(step.timeout));
        },
      },
      steps,
      { v: '', vt: 'str', timeout: '' },
    );
    findUsers(list.closest('.form-row'), (userId) =>
      fillOrAdd(list, who, { v: userId, vt: 'str', timeout: '' }),
    );
  },
  read: (list) =>
    rowsOf(list, (row) => {
      const step = entryOf(who(row));
      return (
        step && { ...step, timeout: String(row.find('.node-input-step-timeout').val()).trim() }
      );
    }),
};
