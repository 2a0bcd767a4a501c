import type { XAssistClient } from './api';
import { XAssistError } from './errors';
import type { CallLogContact, XAssistUser } from './types';

export interface DirectoryOptions {
  /** how long a found user is remembered (default 5 minutes) */
  ttlMs?: number;
  /** how many users are remembered at most (default 1,000) */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Turns a login name or an email into the user's full contact through users/list, and
 * remembers the answer for a while. Concurrent look-ups of the same name share one request.
 */
export class UserDirectory {
  private readonly cache = new Map<string, { user: Promise<XAssistUser>; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly client: Pick<XAssistClient, 'listUsers'>,
    options: DirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.maxEntries = options.maxEntries ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** The one user whose login name (or email, when it has an @) is `name`; throws otherwise. */
  find(name: string): Promise<XAssistUser> {
    const key = name.trim().toLowerCase();
    const cached = this.cache.get(key);
    if (cached && this.now() < cached.expiresAt) return cached.user;
    const user = this.lookUp(key);
    this.cache.delete(key);
    this.cache.set(key, { user, expiresAt: this.now() + this.ttlMs });
    if (this.cache.size > this.maxEntries)
      this.cache.delete(this.cache.keys().next().value as string);
    user.catch(() => this.cache.delete(key));
    return user;
  }

  async contact(name: string): Promise<CallLogContact> {
    return contactOf(await this.find(name));
  }

  clear(): void {
    this.cache.clear();
  }

  private async lookUp(key: string): Promise<XAssistUser> {
    const byEmail = key.includes('@');
    const page = await this.client.listUsers(byEmail ? { email: key } : { userid: key });
    // users/list matches parts of names: keep exact matches only
    const matches = page.content.filter(
      (user) => (byEmail ? user.email : user.userId)?.toLowerCase() === key,
    );
    const what = byEmail ? 'email' : 'login name';
    if (matches.length === 1) return matches[0];
    throw new XAssistError(
      'response',
      matches.length === 0
        ? `no xAssist user has the ${what} '${key}'`
        : `${matches.length} xAssist users have the ${what} '${key}'`,
      {
        path: 'users/list',
        code: matches.length === 0 ? 'USER_NOT_FOUND' : 'USER_AMBIGUOUS',
        mayHaveReachedServer: true,
      },
    );
  }
}

export function contactOf(user: XAssistUser): CallLogContact {
  return {
    displayName: user.realName ?? user.userId,
    domain: user.domainTag ?? null,
    email: user.email ?? null,
    phoneNumber: user.phoneNumber ?? null,
    userDbId: user.id,
    userId: user.userId,
  };
}
