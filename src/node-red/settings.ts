/** A number a node takes from its settings, and what makes it valid. */
export interface NumberSetting {
  /** the setting as the editor labels it, for the warning */
  label: string;
  fallback: number;
  min: number;
  max?: number;
  integer?: boolean;
}

/** A setting or msg property left empty: it is as if it were not there. */
export function isEmpty(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}

/**
 * The number a node setting gives: `fallback` when it is empty; when it is not a valid number,
 * `fallback` too, and `warn` says so once, naming the setting (as the core MQTT node does with
 * a bad topic), rather than falling back silently.
 */
export function numberSetting(
  value: unknown,
  setting: NumberSetting,
  warn: (label: string, value: string, fallback: number) => void,
): number {
  if (isEmpty(value)) return setting.fallback;
  const number = Number(value);
  const valid =
    Number.isFinite(number) &&
    number >= setting.min &&
    (setting.max === undefined || number <= setting.max) &&
    (!setting.integer || Number.isInteger(number));
  if (valid) return number;
  warn(setting.label, String(value), setting.fallback);
  return setting.fallback;
}
