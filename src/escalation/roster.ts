import { isPlainObject, kind } from '../mapping/values';
import { FieldError } from '../mapping/field-error';
import { MAX_WAIT_S } from '../schema/limits';
import type { DutyStep } from './escalation';

/** One step of an escalation as given: who is called together, and how long they have. */
export interface StepPlan {
  /** login names, emails or contact objects, checked when the call body is made */
  invitedContacts: unknown[];
  invitedTeams: unknown[];
  /** undefined: the node's default wait */
  timeoutMs?: number;
  /** whoever is on duty at a level of a schedule when the step is called */
  duty?: DutyStep;
}

export const MAX_STEPS = 50;
/** a step's wait, at most: a longer one is a mistake in the unit, not an escalation */
export const MAX_TIMEOUT_S = MAX_WAIT_S;
const STEP_KEYS = new Set(['invitees', 'invitedContacts', 'teams', 'invitedTeams', 'timeout']);

/**
 * A roster: a list of steps, called in order. A step is a login name or email (several,
 * comma-separated, are called together), a list of them or of contact objects, or an object
 * `{invitees, teams, timeout}` (timeout in seconds).
 */
export function rosterOf(value: unknown, field: string): StepPlan[] {
  if (!Array.isArray(value)) {
    throw new FieldError(field, `must be a list of steps, not ${kind(value)}`);
  }
  if (value.length === 0) throw new FieldError(field, 'must list at least one step');
  if (value.length > MAX_STEPS) {
    throw new FieldError(field, `must list at most ${MAX_STEPS} steps`);
  }
  return value.map((entry, index) => stepOf(entry, `${field}[${index}]`));
}

/** One step: see rosterOf. */
export function stepOf(value: unknown, field: string): StepPlan {
  if (typeof value === 'string') return { invitedContacts: namesIn(value), invitedTeams: [] };
  if (Array.isArray(value)) return { invitedContacts: value, invitedTeams: [] };
  if (isPlainObject(value) && Object.keys(value).some((key) => STEP_KEYS.has(key))) {
    const invitees = value.invitees ?? value.invitedContacts;
    const teams = value.teams ?? value.invitedTeams;
    return {
      invitedContacts: listOf(typeof invitees === 'string' ? namesIn(invitees) : invitees),
      invitedTeams: listOf(teams),
      timeoutMs: value.timeout === undefined ? undefined : timeoutOf(value.timeout, field),
    };
  }
  // a contact object on its own
  if (isPlainObject(value)) return { invitedContacts: [value], invitedTeams: [] };
  throw new FieldError(
    field,
    `must be a login name, an email, a list of them or {invitees, teams, timeout}, not ${kind(value)}`,
  );
}

/** Seconds, as a setting or a roster gives them, in ms. */
export function timeoutOf(value: unknown, field: string): number {
  const seconds = typeof value === 'string' && value.trim() ? Number(value) : value;
  if (typeof seconds !== 'number' || !(seconds > 0 && seconds <= MAX_TIMEOUT_S)) {
    throw new FieldError(
      `${field}.timeout`,
      `must be a number of seconds above 0 and at most ${MAX_TIMEOUT_S}, not ${kind(value)}`,
    );
  }
  return Math.round(seconds * 1000);
}

function namesIn(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
