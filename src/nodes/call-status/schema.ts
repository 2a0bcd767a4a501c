import { COMMON, defineSchema } from '../../schema/fields';
import { MAX_WAIT_S } from '../../schema/limits';

export const CALL_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export const CALL_STATUS_SCHEMA = defineSchema({
  type: 'xassist-call-status',
  look: {
    category: 'xAssist',
    color: '#8EC5EF',
    icon: 'xassist-call-status.svg',
    inputs: 1,
    outputs: 4,
  },
  fields: {
    name: COMMON.name,
    server: COMMON.server,
    callId: {
      kind: 'text',
      default: '',
      pattern: CALL_ID,
      icon: 'video-camera',
      placeholder: true,
    },
    pollInterval: COMMON.pollInterval,
    // empty or 0: no NoJoin message
    joinTimeout: {
      kind: 'number',
      default: '',
      min: 0,
      max: MAX_WAIT_S,
      fallback: 0,
      icon: 'hourglass-half',
      placeholder: true,
      unit: 'seconds',
    },
    skipHistory: { kind: 'flag', default: false },
    property: COMMON.property,
  },
  form: ['server', 'callId', 'pollInterval', 'joinTimeout', 'skipHistory', 'property', 'name'],
});
