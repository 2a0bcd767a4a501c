import { addPicked, forgetSelected } from '../../editor/duty-people';
import { otherwiseLevels, savedLevels } from '../../editor/duty-levels';
import { overrideList } from '../../editor/duty-overrides';
import { shiftList } from '../../editor/duty-shifts';
import { findUsers } from '../../editor/find-users';
import { registerEditor } from '../../editor/registry';
import { DUTY_SCHEDULE_SCHEMA } from './schema';

registerEditor(DUTY_SCHEDULE_SCHEMA, {
  label(node) {
    const zone = typeof node.zone === 'string' && node.zone ? ` (${node.zone})` : '';
    return node._('xassist-duty-schedule.label.node') + zone;
  },
  // otherwise as one text, which the runtime also takes, shows as the primary
  entries: { otherwise: (node) => savedLevels(node.otherwise) },
  lists: { shifts: shiftList, overrides: overrideList, otherwise: otherwiseLevels },
  slots: {
    'find-users'(slot) {
      forgetSelected();
      findUsers(slot, (userId) => addPicked(slot.closest('form'), userId), 'node-config-input');
    },
  },
});
