import type { NumberField } from './fields';

/** A setting or msg property left empty: it is as if it were not there. */
export function isEmpty(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}

/** What a number setting takes, for a message: its kind, then its bounds. */
export interface NumberRule {
  whole: boolean;
  min?: number;
  above?: number;
  max?: number;
}

export function ruleOf(field: NumberField): NumberRule {
  return { whole: field.integer === true, min: field.min, above: field.above, max: field.max };
}

/** Whether a value that is not empty is a number the field takes. */
export function isValidNumber(field: NumberField, value: unknown): boolean {
  if (typeof value !== 'number' && typeof value !== 'string') return false;
  if (typeof value === 'string' && value.trim() === '') return false;
  const number = Number(value);
  return (
    Number.isFinite(number) &&
    (field.min === undefined || number >= field.min) &&
    (field.above === undefined || number > field.above) &&
    (field.max === undefined || number <= field.max) &&
    (!field.integer || Number.isInteger(number))
  );
}

/** The lowest value the spinner's arrows go to: the minimum, or one step above the bound. */
export function spinnerMin(field: NumberField): number | undefined {
  if (field.min !== undefined) return field.min;
  return field.above === undefined ? undefined : field.above + (field.step ?? 1);
}
