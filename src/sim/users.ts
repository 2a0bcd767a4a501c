import type { CallLogContact, XAssistUser } from '../xassist/types';

export interface SimUser extends XAssistUser {
  realName: string;
  email: string;
  phoneNumber: string;
  domainTag: string;
  password: string;
  /** false for a user who never answers a call the simulator plays by itself */
  answers?: boolean;
}

/** The simulator's seeded accounts; `connector` is the technical user integrations log in with. */
export function seedUsers(domain: string): SimUser[] {
  const user = (id: number, userId: string, realName: string, teams: string[] = []): SimUser => ({
    id,
    userId,
    realName,
    email: `${userId}@example.com`,
    phoneNumber: '',
    domainTag: domain,
    password: `${userId}-password`,
    teams: teams.map((name, index) => ({ id: index + 1, name })),
  });
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
  const { password: _password, answers: _answers, ...rest } = user;
  return rest;
}
