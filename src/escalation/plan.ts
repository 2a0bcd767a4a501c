import { mergeFields, validateCall, type CallDraft, type CallFields } from '../mapping/create-call';
import { FieldError } from '../mapping/field-error';
import { resolveCall } from '../mapping/resolve-call';
import type { UserDirectory } from '../xassist/directory';
import type { DutyStep, Step } from './escalation';
import { rosterOf, stepOf, timeoutOf, type StepPlan } from './roster';

/** A row of the node's "Call in order" list. */
export interface StepSetting {
  /** who: a login name or email (several, comma-separated), team ids, or a msg/flow/… source */
  v: string;
  vt: string;
  /** seconds; empty: the node's default wait */
  timeout?: string | number;
}

/** A typed-input setting as the editor saves it: a value and its type (str, msg, env, …). */
export interface TypedSetting {
  value: unknown;
  type?: string;
}

/** A typed-input setting evaluated for the message being handled. */
export type Evaluate = (setting: TypedSetting) => Promise<unknown>;

export interface PlanSettings {
  steps: StepSetting[];
  /** the typed-input settings every step's call shares */
  callTitle?: TypedSetting;
  creatorUser?: TypedSetting;
  defaultTimeoutMs: number;
  /** the texts of the two errors that are about the node's settings */
  errors: { noSteps: string; emptyStep: string };
}

export interface AlarmFields {
  payload?: unknown;
  roster?: unknown;
}

/**
 * Each step's call for an alarm, checked: from `msg.roster`, else from the node's list; the
 * shared fields from `msg.payload`, else the node's settings. Bad input throws a FieldError
 * naming the field (`roster[1].invitedContacts[0]`, `steps[0]`).
 */
export async function draftsFor(
  msg: AlarmFields,
  settings: PlanSettings,
  evaluate: Evaluate,
): Promise<Array<{ draft: CallDraft } & Step>> {
  const plans = await plansFor(msg, settings, evaluate);
  const shared = await sharedFields(msg, settings, evaluate);
  return plans.map((plan, index) =>
    within(fieldOf(msg, index), () => ({
      draft: validateCall(
        {
          ...shared,
          invitedContacts: plan.invitedContacts,
          invitedTeams: plan.invitedTeams.length ? plan.invitedTeams : undefined,
        },
        { inviteesLater: plan.duty !== undefined },
      ),
      timeoutMs: plan.timeoutMs ?? settings.defaultTimeoutMs,
      ...(plan.duty && { duty: plan.duty }),
    })),
  );
}

/**
 * The steps with their contacts looked up. A name that no user has is bad input (thrown); when
 * the server cannot answer now, `onLookUpLater` hears why and the steps keep their drafts, to be
 * looked up when each is called.
 */
export async function stepsFor(
  msg: AlarmFields,
  drafts: Array<{ draft: CallDraft } & Step>,
  directory: Pick<UserDirectory, 'find' | 'contact'>,
  onLookUpLater: (err: unknown) => void,
): Promise<Step[]> {
  try {
    return await Promise.all(
      drafts.map(async ({ draft, timeoutMs, duty }, index) =>
        // whoever is on duty is looked up when the step is called
        duty
          ? { draft, timeoutMs, duty }
          : {
              body: await withinAsync(fieldOf(msg, index), () => resolveCall(draft, directory)),
              timeoutMs,
            },
      ),
    );
  } catch (err) {
    if (err instanceof FieldError) throw err;
    onLookUpLater(err);
    return drafts.map(({ draft, timeoutMs, duty }) => ({
      draft,
      timeoutMs,
      ...(duty && { duty }),
    }));
  }
}

function fromRoster(msg: AlarmFields): boolean {
  return msg.roster !== undefined && msg.roster !== null;
}

function fieldOf(msg: AlarmFields, index: number): string {
  return fromRoster(msg) ? `roster[${index}]` : `steps[${index}]`;
}

/** The steps from msg.roster, or from the node's list. */
async function plansFor(
  msg: AlarmFields,
  settings: PlanSettings,
  evaluate: Evaluate,
): Promise<StepPlan[]> {
  if (fromRoster(msg)) return rosterOf(msg.roster, 'roster');
  const rows = settings.steps.filter((row) => row.v !== '');
  if (rows.length === 0) throw new FieldError('steps', settings.errors.noSteps);
  return Promise.all(
    rows.map(async (row, index) => {
      const field = `steps[${index}]`;
      const plan = await planOfRow(row, field, settings, evaluate);
      if (plan.timeoutMs === undefined && row.timeout !== undefined && row.timeout !== '') {
        plan.timeoutMs = timeoutOf(row.timeout, field);
      }
      return plan;
    }),
  );
}

async function planOfRow(
  row: StepSetting,
  field: string,
  settings: PlanSettings,
  evaluate: Evaluate,
): Promise<StepPlan> {
  if (row.vt === 'duty')
    return { invitedContacts: [], invitedTeams: [], duty: dutyStepOf(row.v, field) };
  if (row.vt === 'team') {
    const ids = String(row.v)
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean)
      .map((id) => (/^\d+$/.test(id) ? Number(id) : id));
    return { invitedContacts: [], invitedTeams: ids };
  }
  const value = await evaluate({ value: row.v, type: row.vt });
  if (value === undefined || value === null || value === '') {
    throw new FieldError(field, settings.errors.emptyStep);
  }
  return stepOf(value, field);
}

/** The call fields every step shares: msg.payload's, else the node's settings. */
async function sharedFields(
  msg: AlarmFields,
  settings: PlanSettings,
  evaluate: Evaluate,
): Promise<CallFields> {
  const fields: CallFields = {};
  for (const field of ['callTitle', 'creatorUser'] as const) {
    const setting = settings[field];
    if (setting) fields[field] = await evaluate(setting);
  }
  const {
    invitedContacts: _contacts,
    invitedTeams: _teams,
    ...shared
  } = mergeFields(msg.payload, fields);
  return shared;
}

function within<T>(prefix: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    throw err instanceof FieldError ? err.within(prefix) : err;
  }
}

async function withinAsync<T>(prefix: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw err instanceof FieldError ? err.within(prefix) : err;
  }
}

/** `<schedule node id>:<level>`, the level from 1 (the primary). */
export function dutyStepOf(value: string, field: string): DutyStep {
  const match = /^\s*([^:\s]+)\s*:\s*(\d+)\s*$/.exec(String(value));
  const level = match ? Number(match[2]) : 0;
  if (!match || level < 1) {
    throw new FieldError(
      field,
      `must be a duty schedule and a level, as <schedule>:<level>, not '${value}'`,
    );
  }
  return { schedule: match[1], level };
}
