import type { SimUser } from './users';
import type { UserOrder } from './variants';

/**
 * The users users/list finds for `params`: those whose login name, email and real name contain
 * the `userid`, `email` and `displayname` parameters, ignoring case (a missing one: anything).
 */
export function matchingUsers(users: readonly SimUser[], params: URLSearchParams): SimUser[] {
  const part = (name: string) => (params.get(name) ?? '').toLowerCase();
  const [userid, email, displayname] = ['userid', 'email', 'displayname'].map(part);
  return users.filter(
    (user) =>
      user.userId.toLowerCase().includes(userid) &&
      user.email.toLowerCase().includes(email) &&
      user.realName.toLowerCase().includes(displayname),
  );
}

/** `users` in the order users/list answers them under `order` (see `Variants.userOrder`). */
export function inUserOrder(users: SimUser[], order: UserOrder): SimUser[] {
  if (order === 'id') return users;
  // each key lowered once, not at every comparison: thousands of users are sorted per request
  const keyed = users.map((user) => ({ user, key: user.realName.toLowerCase() }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.user.id - b.user.id));
  return keyed.map(({ user }) => user);
}
