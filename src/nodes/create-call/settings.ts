import type { NodeDef, NodeMessage } from 'node-red';
import type { DutyStep } from '../../escalation/escalation';
import { dutyStepOf } from '../../escalation/plan';
import { CALL_FIELDS, type CallFields } from '../../mapping/create-call';
import { peopleOnDuty, type DutyScheduleNode } from '../../node-red/duty-schedules';
import type { NodeKit } from '../../node-red/skeleton';
import { isEmpty } from '../../node-red/settings';
import type { TypedSetting } from '../../node-red/typed-input';
import { CREATE_CALL_SCHEMA } from './schema';

type TypedConfig = { [K in string]?: unknown };

export interface CreateCallConfig extends NodeDef, TypedConfig {
  server?: string;
  /** one typedInput each: a login name, an email, or a msg/flow/global/env/JSONata source */
  invitees?: Array<{ v: string; vt: string }>;
  dedupKey?: string;
  dedupKeyType?: string;
  /** seconds */
  dedupWindow?: string | number;
  /** send failures to a second output instead of to Catch nodes */
  errorOutput?: boolean;
  /** seconds a failure that may pass is tried again before it is reported */
  keepTrying?: string | number;
  /** the msg property the call goes to (default payload) */
  property?: string;
  /** skip the invitees the server reports offline (off by default) */
  presence?: boolean;
}

export interface CreateCallSettings {
  dedupKey: TypedSetting;
  dedupWindowMs: number;
  keepTryingMs: number;
  errorOutput: boolean;
  /** where the call goes */
  property: string;
  /** skip the invitees the server reports offline, unless all are (off by default) */
  presence: boolean;
  /** the createCall fields the node's settings give for a message, and who of them is on duty */
  fieldsFor(msg: NodeMessage): Promise<{ fields: CallFields; onDuty?: string[] }>;
}

const { fields } = CREATE_CALL_SCHEMA;
const BOOLEAN_FIELDS = new Set(['joinAnonymousAllowed', 'informOthersDirectly']);

export function createCallSettingsOf(config: CreateCallConfig, kit: NodeKit): CreateCallSettings {
  const { t } = kit;
  // only the settings that are set are evaluated for each message
  const fieldSettings = CALL_FIELDS.filter((field) => field !== 'invitedContacts')
    .map((field) => ({ field, value: config[field], type: config[`${field}Type`] as string }))
    .filter(({ value }) => !isEmpty(value));
  const inviteeSettings = [...(config.invitees ?? []).entries()].filter(
    ([, entry]) => entry.v !== '',
  );

  async function fieldsFor(msg: NodeMessage): Promise<{ fields: CallFields; onDuty?: string[] }> {
    const fields: CallFields = {};
    for (const { field, value, type } of fieldSettings) {
      const evaluated = await kit.evaluate(msg, { value, type });
      fields[field] = BOOLEAN_FIELDS.has(field) ? asBoolean(evaluated) : evaluated;
    }
    const invitees: unknown[] = [];
    let onDuty: string[] | undefined;
    for (const [index, entry] of inviteeSettings) {
      if (entry.vt === 'duty') {
        // whoever is on duty as the message comes: a call has no later step to decide at
        const people = await peopleOnDutyFor(kit, dutyStepOf(entry.v, `invitees[${index}]`));
        invitees.push(...people);
        onDuty = [...(onDuty ?? []), ...people];
        continue;
      }
      const value = await kit.evaluate(msg, { value: entry.v, type: entry.vt });
      if (Array.isArray(value)) invitees.push(...value);
      else if (value !== undefined && value !== '') invitees.push(value);
    }
    if (invitees.length) fields.invitedContacts = invitees;
    return { fields, ...(onDuty && { onDuty }) };
  }

  return {
    dedupKey: { value: config.dedupKey, type: config.dedupKeyType },
    dedupWindowMs:
      kit.number(config.dedupWindow, fields.dedupWindow, t('label.dedupWindow')) * 1000,
    keepTryingMs: kit.number(config.keepTrying, fields.keepTrying, t('label.keepTrying')) * 1000,
    errorOutput: config.errorOutput === true,
    presence: config.presence === true,
    property: isEmpty(config.property) ? 'payload' : String(config.property).trim(),
    fieldsFor,
  };
}

function peopleOnDutyFor(kit: NodeKit, duty: DutyStep): Promise<string[]> {
  const schedule = kit.RED.nodes.getNode(duty.schedule) as DutyScheduleNode | null;
  return peopleOnDuty(schedule, duty);
}

/** Settings from env vars or text give "true"/"false". */
function asBoolean(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}
