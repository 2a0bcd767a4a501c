/**
 * Presence: whom to call of a step's people, by the status the server gives each (users/list's
 * `status`, ONLINE or OFFLINE in public client code). Offline people are skipped, so that an
 * escalation does not wait on someone who is not there; where the server gives no status, all
 * are called as planned. Whether a step left with nobody is passed over is the escalation's to
 * decide: an alarm never ends with nobody called because of presence.
 */
import type { XAssistUser } from '../xassist/types';

export type Presence = 'online' | 'offline' | 'unknown';

/**
 * Each name's presence, read afresh for a step (not from the users remembered for minutes): a
 * name that cannot be read now is `unknown`, and so called as planned.
 */
export async function presenceRead(
  names: string[],
  directory: { findFresh(name: string): Promise<XAssistUser> },
): Promise<(name: string) => Presence> {
  const read = await Promise.all(
    names.map(async (name) => {
      try {
        return [name, presenceOf(await directory.findFresh(name))] as const;
      } catch {
        return [name, 'unknown'] as const;
      }
    }),
  );
  const byName = new Map<string, Presence>(read);
  return (name) => byName.get(name) ?? 'unknown';
}

/** A user's presence from users/list: `unknown` when the server gives no status it names. */
export function presenceOf(user: { [field: string]: unknown }): Presence {
  const status = typeof user.status === 'string' ? user.status.trim().toUpperCase() : '';
  if (status === 'ONLINE') return 'online';
  if (status === 'OFFLINE') return 'offline';
  return 'unknown';
}

export interface PresenceChoice {
  /** the people to call: everyone but those offline; empty when all are */
  call: string[];
  /** those left out, and why */
  skipped: Array<{ name: string; why: 'offline' }>;
  /** the server told no one's presence: everyone is called, as planned */
  unknown: boolean;
}

export function choosePresent(
  names: string[],
  presence: (name: string) => Presence,
): PresenceChoice {
  const told = names.map((name) => ({ name, presence: presence(name) }));
  if (told.every((one) => one.presence === 'unknown')) {
    return { call: names, skipped: [], unknown: true };
  }
  return {
    call: told.filter((one) => one.presence !== 'offline').map((one) => one.name),
    skipped: told
      .filter((one) => one.presence === 'offline')
      .map((one) => ({ name: one.name, why: 'offline' as const })),
    unknown: false,
  };
}

/**
 * The steps to call, in order, with presence: a step whose people are all offline is passed
 * over while a later step has someone who is not; when every step's people are offline (or the
 * server tells no one's presence), each is called as planned.
 */
export function stepsWithPresence(
  steps: string[][],
  presence: (name: string) => Presence,
): Array<{ step: number; choice: PresenceChoice }> {
  const choices = steps.map((names, step) => ({ step, choice: choosePresent(names, presence) }));
  if (choices.every(({ choice }) => choice.call.length === 0)) {
    return steps.map((names, step) => ({
      step,
      choice: { call: names, skipped: [], unknown: false },
    }));
  }
  return choices.filter(({ choice }) => choice.call.length > 0);
}
