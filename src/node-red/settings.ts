import type { NumberField } from '../schema/fields';
import { isEmpty, isValidNumber } from '../schema/numbers';

export { isEmpty };

/** What a number field gives: a number, or undefined when it is not set (a default of ''). */
export type NumberOf<F extends NumberField> = F['default'] extends number
  ? number
  : number | undefined;

/**
 * The number a node setting gives, by its field in the node's schema: the default when it is
 * empty (undefined for a field whose default is ''); when it is not a number the field takes,
 * the field's fallback, and `warn` says so once, naming the setting (as the core MQTT node does
 * with a bad topic), rather than falling back silently.
 */
export function numberSetting<F extends NumberField>(
  value: unknown,
  field: F,
  label: string,
  warn: (label: string, value: string, fallback: number | string) => void,
): NumberOf<F> {
  const unset = field.default === '' ? undefined : field.default;
  if (isEmpty(value)) return unset as NumberOf<F>;
  if (isValidNumber(field, value)) return Number(value);
  const fallback = field.fallback ?? unset;
  warn(label, String(value), fallback ?? '');
  return fallback as NumberOf<F>;
}
