import type { StepSetting } from '../../escalation/plan';
import { COMMON, defineSchema, type ListField } from '../../schema/fields';
import { MAX_WAIT_S } from '../../schema/limits';
import { timeoutOf } from '../../escalation/roster';

export const DEFAULT_TIMEOUT_S = 120;
export const MAX_ROUNDS = 100;

const STEPS: ListField<StepSetting> = {
  kind: 'list',
  // the dialog shows a blank row for none, and saves no blank row
  default: [],
  icon: 'list-ol',
  label: 'stepsList',
  // a step's own wait as the runtime reads it: empty for the node's default
  check(steps) {
    if (!Array.isArray(steps)) return 'must be a list of steps';
    try {
      steps.forEach((step: StepSetting, index) => {
        if (step?.timeout !== '' && step?.timeout !== undefined)
          timeoutOf(step.timeout, `steps[${index}]`);
      });
      return true;
    } catch (err) {
      return (err as Error).message;
    }
  },
};

export const ESCALATE_SCHEMA = defineSchema({
  type: 'xassist-escalate',
  look: {
    category: 'xAssist',
    color: '#8EC5EF',
    icon: 'xassist-escalate.svg',
    inputs: 1,
    outputs: 3,
  },
  fields: {
    name: COMMON.name,
    server: COMMON.server,
    steps: STEPS,
    // seconds each step waits for a join, unless the step says otherwise
    timeout: {
      kind: 'number',
      default: DEFAULT_TIMEOUT_S,
      required: true,
      above: 0,
      max: MAX_WAIT_S,
      icon: 'hourglass-half',
      unit: 'seconds',
    },
    // how many times the list is called through
    rounds: {
      kind: 'number',
      default: 1,
      required: true,
      min: 1,
      max: MAX_ROUNDS,
      integer: true,
      icon: 'repeat',
      unit: 'times',
    },
    // skip people the server reports offline, read afresh as each step is called
    presence: { kind: 'flag', default: false },
    callTitle: COMMON.callTitle,
    creatorUser: COMMON.creatorUser,
    dedupKey: COMMON.dedupKey,
    pollInterval: COMMON.pollInterval,
    // a fourth output: every open escalation (and the latest ended) on every change
    progress: { kind: 'flag', default: false },
    outputs: { kind: 'hidden', default: 3 },
  },
  form: [
    'server',
    'steps',
    'timeout',
    'rounds',
    'presence',
    'callTitle',
    'creatorUser',
    'dedupKey',
    'pollInterval',
    'progress',
    'name',
  ],
});
