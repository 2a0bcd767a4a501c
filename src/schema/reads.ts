import type { NumberField } from './fields';

/** Read every: seconds between two reads of a call, in every node that follows calls. */
export const POLL_INTERVAL = {
  kind: 'number',
  default: 5,
  required: true,
  min: 0.1,
  max: 3600,
  icon: 'refresh',
  unit: 'seconds',
} as const satisfies NumberField;
