import { COMMON, defineSchema } from '../../schema/fields';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 100_000;

export const CALL_HISTORY_SCHEMA = defineSchema({
  type: 'xassist-call-history',
  look: {
    category: 'xAssist',
    color: '#8EC5EF',
    icon: 'xassist-history.svg',
    inputs: 1,
    outputs: 1,
  },
  fields: {
    name: COMMON.name,
    server: COMMON.server,
    // calls at most; empty: msg.limit, else DEFAULT_LIMIT
    limit: {
      kind: 'number',
      default: '',
      min: 1,
      max: MAX_LIMIT,
      integer: true,
      fallback: DEFAULT_LIMIT,
      icon: 'list-ol',
      width: '100px',
      placeholder: true,
      unit: 'calls',
    },
    // hours back; empty: msg.since, else no bound
    hours: {
      kind: 'number',
      default: '',
      above: 0,
      fallback: 24,
      icon: 'clock-o',
      width: '100px',
      placeholder: true,
      unit: 'hoursUnit',
    },
    pageSize: {
      kind: 'number',
      default: 100,
      required: true,
      min: 1,
      max: 1_000,
      integer: true,
      icon: 'file-o',
      width: '100px',
      unit: 'calls',
    },
    maxPages: {
      kind: 'number',
      default: 100,
      required: true,
      min: 1,
      integer: true,
      icon: 'files-o',
      width: '100px',
    },
  },
  form: ['server', 'limit', 'hours', 'pageSize', 'maxPages', 'name'],
});
