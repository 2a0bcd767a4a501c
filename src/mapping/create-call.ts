import {
  CALL_REASONS,
  CALL_TYPES,
  type CallLogContact,
  type CallReason,
  type CallType,
  type Team,
} from '../xassist/types';
import { FieldError } from './field-error';
import { isPlainObject, kind } from './values';

/** The createCall fields a message or a node setting may give, by their API names. */
export const CALL_FIELDS = [
  'callTitle',
  'callReason',
  'callType',
  'invitedContacts',
  'invitedTeams',
  'joinAnonymousAllowed',
  'informOthersDirectly',
  'creatorUser',
  'plannedDateTime',
] as const;

export type CallField = (typeof CALL_FIELDS)[number];
export type CallFields = Partial<Record<CallField, unknown>>;

/** Fields where null is a value of its own ("none"), sent as null. */
const NULLABLE: ReadonlySet<CallField> = new Set(['creatorUser', 'plannedDateTime']);
const MAX_TITLE_LENGTH = 1000;
const MAX_INVITEES = 500;
/** the longest email address there is */
const MAX_NAME_LENGTH = 254;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** An invitee as given: a contact object, or a login name or an email to look up. */
export type InviteeRef = CallLogContact | string;

/** A valid request whose contacts and creator may still need a look-up in users/list. */
export interface CallDraft {
  callTitle?: string;
  callReason?: CallReason;
  callType?: CallType;
  invitedContacts: InviteeRef[];
  invitedTeams?: Team[];
  joinAnonymousAllowed?: boolean;
  informOthersDirectly?: boolean;
  /** a user db id, a login name or email to look up, or null */
  creatorUser?: number | string | null;
  plannedDateTime?: string | null;
}

/**
 * Precedence: a field of `payload` (a plain object) wins; then the node's setting; otherwise
 * the field is left out and the server's default applies (callType alone gets SFU, in
 * validateCall). `undefined`, and `null` for a field
 * that cannot be null, count as not given. Keys that are not createCall fields are ignored.
 */
export function mergeFields(payload: unknown, settings: CallFields): CallFields {
  const fromPayload = isPlainObject(payload) ? payload : {};
  const merged: CallFields = {};
  for (const field of CALL_FIELDS) {
    const own = Object.prototype.hasOwnProperty.call(fromPayload, field)
      ? fromPayload[field]
      : undefined;
    const value = given(field, own) ? own : settings[field];
    if (given(field, value)) merged[field] = value;
  }
  return merged;
}

function given(field: CallField, value: unknown): boolean {
  return value !== undefined && (value !== null || NULLABLE.has(field));
}

/**
 * Checks every field and names the first that is wrong; throws a FieldError. `inviteesLater`:
 * the invitees are added when the call is made (whoever is on duty then), none may be given yet.
 */
export function validateCall(
  fields: CallFields,
  { inviteesLater = false }: { inviteesLater?: boolean } = {},
): CallDraft {
  const draft: CallDraft = { invitedContacts: invitees(fields.invitedContacts) };
  if (fields.callTitle !== undefined) draft.callTitle = title(fields.callTitle);
  if (fields.callReason !== undefined) {
    draft.callReason = oneOf('callReason', fields.callReason, CALL_REASONS);
  }
  // SFU works for any number of invitees; the server may not have a default of its own
  draft.callType =
    fields.callType === undefined ? 'SFU' : oneOf('callType', fields.callType, CALL_TYPES);
  if (fields.invitedTeams !== undefined) draft.invitedTeams = teams(fields.invitedTeams);
  for (const field of ['joinAnonymousAllowed', 'informOthersDirectly'] as const) {
    if (fields[field] !== undefined) draft[field] = boolean(field, fields[field]);
  }
  if (fields.creatorUser !== undefined) draft.creatorUser = creator(fields.creatorUser);
  if (fields.plannedDateTime !== undefined) {
    draft.plannedDateTime = plannedDate(fields.plannedDateTime);
  }

  const count = draft.invitedContacts.length + (draft.invitedTeams?.length ?? 0);
  if (count === 0 && !inviteesLater) {
    throw new FieldError(
      'invitedContacts',
      'nobody is invited: add an invitee in the node or give msg.payload.invitedContacts',
    );
  }
  if (
    draft.callType === 'MESH' &&
    (draft.invitedContacts.length > 1 || draft.invitedTeams?.length)
  ) {
    throw new FieldError('callType', 'a MESH call has exactly one invitee: use SFU for more');
  }
  return draft;
}

function title(value: unknown): string {
  if (typeof value !== 'string')
    throw new FieldError('callTitle', `must be text, not ${kind(value)}`);
  if (value.length > MAX_TITLE_LENGTH) {
    throw new FieldError('callTitle', `must be at most ${MAX_TITLE_LENGTH} characters`);
  }
  return value;
}

function oneOf<T extends string>(field: CallField, value: unknown, allowed: readonly T[]): T {
  const text = typeof value === 'string' ? value.trim().toUpperCase() : undefined;
  const match = allowed.find((option) => option === text);
  if (!match) {
    const shown = typeof value === 'string' ? `'${value.slice(0, 40)}'` : kind(value);
    throw new FieldError(field, `must be ${allowed.join(' or ')}, not ${shown}`);
  }
  return match;
}

function invitees(value: unknown): InviteeRef[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_INVITEES) {
    throw new FieldError('invitedContacts', `must list at most ${MAX_INVITEES} invitees`);
  }
  return list.map((item: unknown, index) => {
    const field = `invitedContacts[${index}]`;
    if (typeof item === 'string' && item.trim()) return userName(field, item);
    if (isPlainObject(item)) return contact(field, item);
    throw new FieldError(
      field,
      `must be a login name, an email or a contact object, not ${kind(item)}`,
    );
  });
}

function contact(field: string, item: Record<string, unknown>): CallLogContact {
  const { userDbId, userId, email } = item;
  if (userDbId !== undefined && userDbId !== null && !isId(userDbId)) {
    throw new FieldError(`${field}.userDbId`, `must be a user's numeric id, not ${kind(userDbId)}`);
  }
  for (const [name, text] of [
    ['userId', userId],
    ['email', email],
  ] as const) {
    if (text !== undefined && text !== null && typeof text !== 'string') {
      throw new FieldError(`${field}.${name}`, `must be text, not ${kind(text)}`);
    }
  }
  if (!isId(userDbId) && !userId && !email) {
    throw new FieldError(field, 'a contact needs a userDbId, a userId (login name) or an email');
  }
  if (!isId(userDbId)) userName(field, String(userId || email));
  return item as CallLogContact;
}

function teams(value: unknown): Team[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item: unknown, index) => {
    if (isId(item)) return { id: item };
    if (isPlainObject(item) && (isId(item.id) || typeof item.name === 'string'))
      return item as Team;
    throw new FieldError(
      `invitedTeams[${index}]`,
      `must be a team object or a team's numeric id, not ${kind(item)} (teams cannot be looked up by name)`,
    );
  });
}

function boolean(field: CallField, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new FieldError(field, `must be true or false, not ${kind(value)}`);
  return value;
}

function creator(value: unknown): number | string | null {
  if (value === null || isId(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  if (typeof value === 'string' && value.trim()) return userName('creatorUser', value);
  throw new FieldError(
    'creatorUser',
    `must be a user's numeric id or login name, not ${kind(value)}`,
  );
}

function plannedDate(value: unknown): string | null {
  if (value === null) return null;
  const date = value instanceof Date || typeof value === 'number' ? new Date(value) : undefined;
  // beyond ±8.64e15 ms a Date is invalid: toISOString() would throw
  if (date && !Number.isNaN(date.getTime())) return date.toISOString();
  if (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) &&
    !Number.isNaN(Date.parse(value))
  ) {
    return value;
  }
  throw new FieldError(
    'plannedDateTime',
    `must be a date (a Date, an ISO 8601 text or epoch milliseconds), not ${kind(value)}`,
  );
}

/** A login name or an email to look up: short, and text that can travel in a URL. */
function userName(field: string, value: string): string {
  const name = value.trim();
  if (name.length > MAX_NAME_LENGTH || LONE_SURROGATE.test(name)) {
    throw new FieldError(
      field,
      `must be a login name or an email of at most ${MAX_NAME_LENGTH} characters`,
    );
  }
  return name;
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
