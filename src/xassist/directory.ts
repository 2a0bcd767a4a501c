import type { XAssistClient } from './api';
import { XAssistError } from './errors';
import { closeNames } from './close-names';
import type { CallLogContact, Page, UserQuery, XAssistUser } from './types';

/** users/list pages one look-up reads at most: 5,000 users */
export const MAX_PAGES = 50;
const PAGE_SIZE = 100;
/** the order public clients ask for: without one, Spring's pages may overlap or leave users out */
const SORT = 'realName,asc';

export interface DirectoryOptions {
  /** how long a found user is remembered (default 5 minutes) */
  ttlMs?: number;
  /** how many users are remembered at most (default 1,000) */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Turns a login name or an email into the user's full contact through users/list, and
 * remembers the answer for a while. Concurrent look-ups of the same name share the requests.
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

  /**
   * The user read afresh, not from what is remembered (which it then replaces): for what
   * changes by the minute, such as presence.
   */
  findFresh(name: string): Promise<XAssistUser> {
    this.cache.delete(name.trim().toLowerCase());
    return this.find(name);
  }

  async contact(name: string): Promise<CallLogContact> {
    return contactOf(await this.find(name));
  }

  clear(): void {
    this.cache.clear();
  }

  private async lookUp(key: string): Promise<XAssistUser> {
    const field: Field = key.includes('@') ? 'email' : 'userId';
    const what = field === 'email' ? 'email' : 'login name';
    const found = await this.matching(field, key);
    if (found.matches.length > 1) {
      throw lookUpError(
        `${found.matches.length} xAssist users have the ${what} '${key}'`,
        'USER_AMBIGUOUS',
      );
    }
    if (!found.complete) {
      throw lookUpError(
        `the look-up of the ${what} '${key}' was cut short: users/list had more than ` +
          `${MAX_PAGES} pages of users for it`,
        'USER_LOOKUP_CUT_SHORT',
      );
    }
    if (found.matches.length === 1) return found.matches[0];
    const suggestions = await this.suggestionsFor(field, key, found.names);
    const didYouMean = suggestions.length ? ` (did you mean ${orList(suggestions)}?)` : '';
    throw lookUpError(`no xAssist user has the ${what} '${key}'${didYouMean}`, 'USER_NOT_FOUND');
  }

  /**
   * The users whose `field` is `key`, page by page: users/list matches parts of names, so
   * `tech1` may be the 101st user that contains it. A login name is one user's (it is what the
   * user logs in with): the pages stop at the first that has it. An email may be shared, so its
   * pages are read to the end, or to a second user with it. `complete` is false when the
   * pages went on past MAX_PAGES; `names` are every user's `field` read on the way.
   */
  private async matching(
    field: Field,
    key: string,
  ): Promise<{ matches: XAssistUser[]; names: Set<string>; complete: boolean }> {
    const enough = field === 'userId' ? 1 : 2;
    const matches: XAssistUser[] = [];
    const names = new Set<string>();
    const seen = new Set<string>();
    let page = 0;
    for (let read = 0; read < MAX_PAGES; read++) {
      const answer = await this.client.listUsers({ ...filterOf(field, key), ...pageOf(page) });
      let unseen = 0;
      for (const user of answer.content) {
        // a page may repeat users of the previous one (a user added meanwhile moves the rest)
        const identity = identityOf(user);
        if (seen.has(identity)) continue;
        seen.add(identity);
        unseen++;
        const name = nameOf(user, field);
        if (name === undefined) continue;
        names.add(name);
        if (name.toLowerCase() === key) matches.push(user);
      }
      // a page of users already read: the server ignores `page`, nothing new will come
      const end = unseen === 0 || isLastPage(answer, page);
      if (matches.length >= enough || end) return { matches, names, complete: true };
      page = nextPage(answer, page);
    }
    return { matches, names, complete: false };
  }

  /**
   * The names `key` may be a typo of: among those already read, else on the first page of
   * users whose `field` contains `key` without its last character, else its first three: at
   * most two requests. A failed search is no suggestion, not a failed look-up.
   */
  private async suggestionsFor(field: Field, key: string, read: Set<string>): Promise<string[]> {
    const candidates = new Set(read);
    let close = closeNames(key, candidates);
    for (const part of searchesFor(key)) {
      if (close.length) break;
      try {
        const answer = await this.client.listUsers({ ...filterOf(field, part), ...pageOf(0) });
        for (const user of answer.content) {
          const name = nameOf(user, field);
          if (name !== undefined) candidates.add(name);
        }
      } catch {
        return [];
      }
      close = closeNames(key, candidates);
    }
    return close;
  }
}

type Field = 'userId' | 'email';

/** The users/list parameter that filters by `field`. */
function filterOf(field: Field, value: string): UserQuery {
  return field === 'email' ? { email: value } : { userid: value };
}

/** Page `page` in the order public clients ask users/list for. */
function pageOf(page: number): UserQuery {
  return { page, size: PAGE_SIZE, sort: SORT };
}

function nameOf(user: XAssistUser, field: Field): string | undefined {
  const name: unknown = user[field];
  return typeof name === 'string' || typeof name === 'number' ? String(name) : undefined;
}

function identityOf(user: XAssistUser): string {
  return typeof user.id === 'number' ? `id ${user.id}` : `${user.userId} ${user.email}`;
}

/**
 * The server's own metadata says where the pages end: a server that gives fewer users a page
 * than asked counts its pages in its own size. Without metadata, an empty page is the end.
 */
function isLastPage(answer: Page<XAssistUser>, page: number): boolean {
  if (answer.last === true) return true;
  const totalPages = answer.totalPages;
  return typeof totalPages === 'number' && indexOf(answer, page) + 1 >= totalPages;
}

function nextPage(answer: Page<XAssistUser>, page: number): number {
  return Math.max(indexOf(answer, page), page) + 1;
}

/** The index of `answer` as the server tells it, else the one asked. */
function indexOf(answer: Page<XAssistUser>, page: number): number {
  const number = answer.number;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : page;
}

/** Parts of `key` that a name close to it likely has: all but its last character; its start. */
function searchesFor(key: string): string[] {
  const parts = [key.slice(0, -1), key.slice(0, 3)];
  return [...new Set(parts)].filter((part) => part.length >= 2 && part !== key);
}

function orList(names: string[]): string {
  return names.length === 1
    ? names[0]
    : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function lookUpError(message: string, code: string): XAssistError {
  return new XAssistError('response', message, {
    path: 'users/list',
    code,
    mayHaveReachedServer: true,
  });
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
