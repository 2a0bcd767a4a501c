import { dutyRowsCheck } from '../../editor/duty-rows';
import { registerEditor } from '../../editor/registry';
import { stepList } from '../../editor/steps';
import type { StepSetting } from '../../escalation/plan';
import { ESCALATE_SCHEMA } from './schema';

registerEditor(ESCALATE_SCHEMA, {
  label(node) {
    const count = ((node.steps as StepSetting[] | undefined) ?? []).filter((step) => step.v).length;
    return count
      ? node._('xassist-escalate.label.steps', { count })
      : node._('xassist-escalate.label.palette');
  },
  outputs: ['output-joined', 'output-exhausted', 'output-ended', 'output-progress'],
  lists: { steps: stepList },
  checks: { steps: dutyRowsCheck('steps') },
  save(node) {
    // the fourth output only when asked for: existing flows keep their wiring
    node.outputs = $('#node-input-progress').prop('checked') ? 4 : 3;
  },
});
