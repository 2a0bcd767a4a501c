/**
 * Whom a step calls when who it is is decided as it is called: whoever is on duty at its level,
 * less the people the server reports offline (presence). Presence never leaves an alarm with
 * nobody called: a step whose people are all offline is passed over only while a later step has
 * someone who is not; otherwise everyone is called as planned.
 */
import { choosePresent, type Presence } from '../duty/presence';
import type { CallDraft, InviteeRef } from '../mapping/create-call';
import type { StepPeople } from './escalation';

/** Each name's presence, read afresh for this step. */
export type PresenceOf = (name: string) => Presence;

/** Thrown by a step that is passed over: its people are offline, a later step's are not. */
export class PassedOver extends Error {
  constructor(readonly people: StepPeople) {
    super('everyone of the step is offline, and a later step has someone who is not');
    this.name = 'PassedOver';
  }
}

/** The login name (or email) a contact's presence is read for. */
export function nameOf(contact: InviteeRef): string | undefined {
  if (typeof contact === 'string') return contact;
  return contact.userId ?? contact.email ?? undefined;
}

export function namesOf(draft: Pick<CallDraft, 'invitedContacts'>): string[] {
  return draft.invitedContacts.map(nameOf).filter((name): name is string => !!name);
}

/** Whether a step may be passed over: it has people and no teams (whose presence is unknown). */
export function hasOnlyPeople(draft: Pick<CallDraft, 'invitedContacts' | 'invitedTeams'>): boolean {
  return draft.invitedContacts.length > 0 && !draft.invitedTeams?.length;
}

export interface StepChoice {
  draft: CallDraft;
  people: StepPeople;
}

/**
 * Whom of `draft` to call at `position`, by `presence`; `laterHasSomeone` tells whether a later
 * step has someone who is not offline (asked only when every one of this step is).
 * Throws PassedOver when this step is to be passed over.
 */
export async function chooseFor(
  position: number,
  draft: CallDraft,
  presence: PresenceOf | undefined,
  laterHasSomeone: () => Promise<boolean>,
  onDuty?: string[],
): Promise<StepChoice> {
  const names = namesOf(draft);
  const planned = (state?: StepPeople['presence']): StepChoice => ({
    draft,
    people: {
      position,
      ...(onDuty && { onDuty }),
      invited: names,
      skipped: [],
      ...(state && { presence: state }),
    },
  });
  if (!presence) return planned();
  const choice = choosePresent(names, presence);
  if (choice.unknown) return planned('no-status');
  if (choice.call.length === 0 && hasOnlyPeople(draft)) {
    if (await laterHasSomeone()) {
      throw new PassedOver({
        position,
        ...(onDuty && { onDuty }),
        invited: [],
        skipped: choice.skipped,
        presence: 'passed-over',
      });
    }
    return planned('all-offline');
  }
  const offline = new Set(choice.skipped.map((one) => one.name));
  return {
    draft: {
      ...draft,
      invitedContacts: draft.invitedContacts.filter(
        (contact) => !offline.has(nameOf(contact) ?? ''),
      ),
    },
    people: {
      position,
      ...(onDuty && { onDuty }),
      invited: choice.call,
      skipped: choice.skipped,
    },
  };
}
