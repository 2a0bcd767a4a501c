import type { CallLogContact } from '../xassist/types';
import type { NewCall } from './calls';
import type { SimUser } from './users';

/** A 400 as Spring would give it: the message says which field is wrong. */
export class BadRequest extends Error {}

const CALL_TYPES = ['MESH', 'SFU'];
const CALL_REASONS = ['STANDARD', 'SERVICE_REQUEST'];

/** Checks a createCall body the way the real server's JSON binding and validation would. */
export function parseCreateCall(body: unknown, caller: SimUser, users: SimUser[]): NewCall {
  if (!isObject(body)) throw new BadRequest('Required request body is missing or not an object');
  const callType = enumField(body, 'callType', CALL_TYPES, 'CallType');
  const callReason = enumField(body, 'callReason', CALL_REASONS, 'CallReason') ?? 'STANDARD';
  if (!callType) throw new BadRequest('callType: must not be null');
  const invitedContacts = arrayField(body, 'invitedContacts').map((contact, index) => {
    if (!isObject(contact)) {
      throw new BadRequest(`invitedContacts[${index}]: Cannot deserialize CallLogContact`);
    }
    return contact as CallLogContact;
  });
  const invitedTeams = arrayField(body, 'invitedTeams');
  const creatorUser = body.creatorUser;
  let creator = caller;
  if (creatorUser !== undefined && creatorUser !== null) {
    if (typeof creatorUser !== 'number' || !Number.isInteger(creatorUser)) {
      throw new BadRequest('creatorUser: Cannot deserialize value of type `java.lang.Long`');
    }
    const found = users.find((user) => user.id === creatorUser);
    if (!found) throw new BadRequest(`creatorUser: no user with id ${creatorUser}`);
    creator = found;
  }
  const plannedDateTime = body.plannedDateTime ?? null;
  if (
    plannedDateTime !== null &&
    (typeof plannedDateTime !== 'string' || Number.isNaN(Date.parse(plannedDateTime)))
  ) {
    throw new BadRequest(
      'plannedDateTime: Cannot deserialize value of type `java.time.ZonedDateTime`',
    );
  }
  return {
    callTitle: stringField(body, 'callTitle') ?? '',
    callType,
    callReason,
    invitedContacts,
    invitedTeams,
    joinAnonymousAllowed: booleanField(body, 'joinAnonymousAllowed'),
    informOthersDirectly: booleanField(body, 'informOthersDirectly'),
    plannedDateTime,
    creator,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function enumField(body: Record<string, unknown>, field: string, allowed: string[], type: string) {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new BadRequest(
      `JSON parse error: Cannot deserialize value of type \`${type}\` from String ${JSON.stringify(String(value))}: ` +
        `not one of the values accepted for Enum class: [${allowed.join(', ')}]`,
    );
  }
  return value;
}

function arrayField(body: Record<string, unknown>, field: string): unknown[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new BadRequest(`${field}: Cannot deserialize value of type \`java.util.List\``);
  return value;
}

function stringField(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadRequest(`${field}: must be a string`);
  return value;
}

function booleanField(body: Record<string, unknown>, field: string): boolean {
  const value = body[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean')
    throw new BadRequest(`${field}: Cannot deserialize value of type \`boolean\``);
  return value;
}
