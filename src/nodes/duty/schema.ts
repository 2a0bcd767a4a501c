import { COMMON, defineSchema } from '../../schema/fields';

export const DUTY_SCHEMA = defineSchema({
  type: 'xassist-duty',
  look: {
    category: 'xAssist',
    color: '#8EC5EF',
    icon: 'xassist-duty.svg',
    inputs: 1,
    outputs: 1,
  },
  fields: {
    name: COMMON.name,
    schedule: {
      kind: 'config',
      default: '',
      nodeType: 'xassist-duty-schedule',
      required: true,
      icon: 'calendar',
    },
  },
  form: ['schedule', 'name'],
});
