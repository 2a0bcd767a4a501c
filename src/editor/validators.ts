/**
 * The editor's check of each setting, from its field: true, or what is wrong as Node-RED 3.1
 * and later show it beside the node (a validator of two arguments may return a text).
 */
import { savedFields } from '../schema/defaults';
import {
  typeSettingOf,
  type Field,
  type NodeSchema,
  type NumberField,
  type Problem,
} from '../schema/fields';
import { isEmpty, isValidNumber } from '../schema/numbers';
import { hasValidator, labelKey } from './names';
import { shared, type EditorNode } from './node';

export type Validator = (this: EditorNode, value: unknown, opt?: object) => true | string;

type Check = (this: EditorNode, value: unknown, opt?: object) => true | string | Problem;

/**
 * `checks` are the editor's own checks of some settings (of what only the editor knows, such as
 * the workspace's config nodes), run before the schema's.
 */
export function validatorsOf(
  schema: NodeSchema,
  checks: Record<string, Validator> = {},
): Record<string, Validator> {
  const validators: Record<string, Validator> = {};
  for (const [name, field] of savedFields(schema)) {
    if (!hasValidator(field)) continue;
    const check = both(checks[name], checkOf(name, field));
    validators[name] = function (value, opt) {
      // a setting the node was saved without is its default, for the dialog as for the runtime
      const setting = value === undefined ? field.default : value;
      const required = 'required' in field && field.required === true;
      const result =
        required && setting === '' ? shared('validation.required') : check.call(this, setting, opt);
      if (result === true) return true;
      const problem =
        typeof result === 'string' ? result : this._(`${schema.type}.${result.key}`, result.values);
      return `${this._(labelKey(schema.type, name, field))}: ${problem}`;
    };
  }
  return validators;
}

/** The first's problem, else the second's. */
function both(first: Validator | undefined, second: Check): Check {
  if (!first) return second;
  return function (value, opt) {
    const result = first.call(this, value, opt);
    return result === true ? second.call(this, value, opt) : result;
  };
}

function checkOf(name: string, field: Field): Check {
  switch (field.kind) {
    case 'text': {
      const { pattern, check } = field;
      return (value) => {
        if (isEmpty(value)) return true;
        if (pattern && !pattern.test(String(value)))
          return RED._('validator.errors.invalid-regexp');
        return check ? check(value) : true;
      };
    }
    case 'number':
      return (value) =>
        (isEmpty(value) && !field.required) || isValidNumber(field, value)
          ? true
          : numberProblem(field);
    case 'typed': {
      const typeSetting = typeSettingOf(name);
      const suits = RED.validators.typedInput(typeSetting) as unknown as Validator;
      return function (this: EditorNode, value: unknown, opt?: object) {
        if (isEmpty(value) && !field.checkEmpty) return true;
        const type = $(`#node-input-${typeSetting}`).val() || this[typeSetting];
        if (field.checkText && type === 'str' && value !== '' && !field.checkText(String(value))) {
          return RED._('validator.errors.invalid-regexp');
        }
        const result = suits.call(this, value, opt ?? {});
        return result === true ? true : String(result || RED._('validator.errors.invalid-prop'));
      };
    }
    case 'list':
      return (value) => (field.check ? field.check(value) : true);
    default:
      return () => true;
  }
}

/** "must be a whole number from 1 to 100", from the field's own bounds. */
function numberProblem(field: NumberField): string {
  const kind = shared(field.integer ? 'validation.whole' : 'validation.number');
  const { min, above, max } = field;
  if (min !== undefined && max !== undefined) return shared('validation.range', { kind, min, max });
  if (above !== undefined && max !== undefined) {
    return shared('validation.above-max', { kind, above, max });
  }
  if (above !== undefined) return shared('validation.above', { kind, above });
  if (min !== undefined) return shared('validation.min', { kind, min });
  return shared('validation.any', { kind });
}
