import type { CallLogContact, XAssistUser } from '../xassist/types';
import { Prng } from './prng';
import type { Variants } from './variants';

export interface SimUser extends XAssistUser {
  realName: string;
  email: string;
  phoneNumber: string;
  domainTag: string;
  password: string;
  /** false for a user who never answers a call the simulator plays by itself */
  answers?: boolean;
  /**
   * The presence users/list gives the user: a status (`ONLINE`, `OFFLINE`), `null` for none
   * (a server that tells this user's presence not), or unset for what the variant says.
   */
  presence?: string | null;
}

const FIRST_NAMES = (
  'Ada Bruno Chiara Dmitri Elif Farid Greta Hiro Ines Jonas ' +
  'Kemal Lena Mateo Nora Oskar Priya Quentin Rosa Sven Tara'
).split(' ');
const LAST_NAMES = (
  'Albers Brandt Costa Dahl Engel Fischer Gomez Haas Ivanova Jung ' +
  'Keller Lorenz Meyer Novak Ortega Petrov Quinn Richter Sato Weber'
).split(' ');
/** any fixed number: the technicians' names are the same at every start */
const TECHNICIANS_SEED = 7;

/** The simulator's seeded accounts; `connector` is the technical user integrations log in with. */
export function seedUsers(domain: string): SimUser[] {
  const user = (id: number, userId: string, realName: string, teams: string[] = []) =>
    account(domain, id, userId, realName, teams);
  return [
    user(1, 'connector', 'Connector (technical user)'),
    { ...user(8, 'tester', 'Tester'), email: 'test@test.de' },
    user(9, 'expert1', 'Erika Expert', ['Experts']),
    user(10, 'expert2', 'Ben Backup', ['Experts']),
    { ...user(13, 'expert3', 'Nina Nightshift', ['Experts']), answers: false },
    user(11, 'callertest2', 'Caller Test 2'),
    user(12, 'glasses1', 'Smart Glasses 1', ['Line 7']),
  ];
}

/**
 * `count` technicians `tech1`…`tech<count>`, with ids from `firstId` on, who answer calls like
 * the experts. Their real names are drawn by a seeded generator, the same at every start, so
 * that their order by real name is not their order by login.
 */
export function technicians(domain: string, count: number, firstId: number): SimUser[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError('extra users must be a whole number, 0 or more');
  }
  const random = new Prng(TECHNICIANS_SEED);
  return Array.from({ length: count }, (_, index) => {
    const realName = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
    return account(domain, firstId + index, `tech${index + 1}`, realName);
  });
}

function account(
  domain: string,
  id: number,
  userId: string,
  realName: string,
  teams: string[] = [],
): SimUser {
  return {
    id,
    userId,
    realName,
    email: `${userId}@example.com`,
    phoneNumber: '',
    domainTag: domain,
    password: `${userId}-password`,
    teams: teams.map((name, index) => ({ id: index + 1, name })),
  };
}

export function contactOf(user: SimUser): CallLogContact {
  return {
    displayName: user.realName,
    domain: user.domainTag,
    email: user.email,
    phoneNumber: user.phoneNumber,
    userDbId: user.id,
    userId: user.userId,
  };
}

/** users/list without the password, as the API answers it. */
export function publicUser(user: SimUser): XAssistUser {
  const { password: _password, answers: _answers, presence: _presence, ...rest } = user;
  return rest;
}

/**
 * A user as users/list answers it under `variants`: with the presence `status` set for the user
 * (none for `null`); else, when the variant asks, `ONLINE` for a user who answers calls and
 * `OFFLINE` for one who never does.
 */
export function listedUser(user: SimUser, variants: Pick<Variants, 'userStatus'>): XAssistUser {
  const listed = publicUser(user);
  if (user.presence === null) return listed;
  if (typeof user.presence === 'string') return { ...listed, status: user.presence };
  return variants.userStatus
    ? { ...listed, status: user.answers === false ? 'OFFLINE' : 'ONLINE' }
    : listed;
}
