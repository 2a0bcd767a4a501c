import type { UserDirectory } from '../xassist/directory';
import { XAssistError } from '../xassist/errors';
import type { CallLogContact, CreateCallRequest } from '../xassist/types';
import type { CallDraft, InviteeRef } from './create-call';
import { FieldError } from './field-error';

/**
 * Completes a valid draft into the createCall body: login names and emails become full
 * contacts, a creator given by name becomes its id. Contacts with a userDbId are sent as given.
 */
export async function resolveCall(
  draft: CallDraft,
  directory: Pick<UserDirectory, 'find' | 'contact'>,
): Promise<CreateCallRequest> {
  const { invitedContacts, creatorUser, ...rest } = draft;
  const body: CreateCallRequest = {
    ...rest,
    invitedContacts: await Promise.all(
      invitedContacts.map((ref, index) => invitee(ref, `invitedContacts[${index}]`, directory)),
    ),
  };
  if (typeof creatorUser === 'string') {
    body.creatorUser = await named('creatorUser', () => directory.find(creatorUser)).then(
      (user) => user.id,
    );
  } else if (creatorUser !== undefined) {
    body.creatorUser = creatorUser;
  }
  return body;
}

async function invitee(
  ref: InviteeRef,
  field: string,
  directory: Pick<UserDirectory, 'contact'>,
): Promise<CallLogContact> {
  if (typeof ref === 'string') return named(field, () => directory.contact(ref));
  if (typeof ref.userDbId === 'number') return ref;
  const name = (ref.userId || ref.email) as string;
  const found = await named(field, () => directory.contact(name));
  const given = Object.fromEntries(Object.entries(ref).filter(([, value]) => value != null));
  return { ...found, ...given };
}

/** A user that is not found, or found twice, is a mistake in that field. */
async function named<T>(field: string, lookUp: () => Promise<T>): Promise<T> {
  try {
    return await lookUp();
  } catch (err) {
    if (
      err instanceof XAssistError &&
      (err.code === 'USER_NOT_FOUND' || err.code === 'USER_AMBIGUOUS')
    ) {
      throw new FieldError(field, err.message);
    }
    throw err;
  }
}
