import type { Probe } from './probe';
import type { Session } from './connection';
import { countOf, countsText } from './dates';
import { differs, expected, objectOf, pageItems, unknown, type Finding } from './finding';

/** what the check asks for a page: more than most servers cap a page at */
export const LARGE_PAGE = 1_000;

/** users/list: the page-size cap, the order, what users carry, and how a filter matches. */
export async function checkUsers(probe: Probe, session: Session): Promise<Finding[]> {
  const answer = await probe.send('users/list', {
    params: { page: 0, size: LARGE_PAGE, sort: 'realName,asc' },
    token: session.token,
  });
  const users = answer && pageItems(answer.json);
  if (!answer || !users) {
    const why = answer ? `HTTP ${answer.status}, not a page` : `no answer: ${probe.lastError}`;
    return [unknown('users', 'users/list', why)];
  }
  return [
    pageCap('users-page', 'users/list page size', answer.json, users.length),
    userOrder(users),
    userFields(users),
    await userFilter(probe, session, users),
  ];
}

/** A cap shows as the page's `size` (Spring's max-page-size), or fewer items than there are. */
export function pageCap(id: string, title: string, page: unknown, items: number): Finding {
  const meta = objectOf(page);
  const size = typeof meta?.size === 'number' ? meta.size : undefined;
  const total = typeof meta?.totalElements === 'number' ? meta.totalElements : undefined;
  const cap = size !== undefined && size < LARGE_PAGE ? size : undefined;
  const short = cap === undefined && total !== undefined && items < Math.min(total, LARGE_PAGE);
  if (cap === undefined && !short) return expected(id, title, `${LARGE_PAGE} asked, not capped`);
  const at = cap ?? items;
  return differs(
    id,
    title,
    `capped at ${at}`,
    'the package reads page after page: nothing to set',
    ['--page-size-cap', String(at)],
  );
}

function userOrder(users: Array<Record<string, unknown>>): Finding {
  const title = 'users/list order';
  const names = users.map((user) => String(user.realName ?? '').toLowerCase());
  if (names.length < 2) return unknown('users-order', title, 'fewer than 2 users');
  const sorted = names.every((name, i) => i === 0 || names[i - 1].localeCompare(name) <= 0);
  return sorted
    ? expected('users-order', title, 'by real name, as asked')
    : differs(
        'users-order',
        title,
        'sort=realName,asc not followed',
        'the package reads every page before it calls a name unknown: nothing to set',
        ['--user-order', 'id'],
      );
}

function userFields(users: Array<Record<string, unknown>>): Finding {
  const statuses = countOf(
    users.filter((user) => 'status' in user).map((user) => String(user.status)),
  );
  const withTeams = users.filter((user) => Array.isArray(user.teams)).length;
  const status = statuses.size ? `status: ${countsText(statuses)}` : 'no status';
  const found = `${users.length} users; ${status}; teams on ${withTeams}`;
  if (!statuses.size) return expected('users-fields', 'what users carry', found);
  return differs(
    'users-fields',
    'what users carry',
    found,
    'the package looks users up for their contact only and reads no status: nothing to set',
    ['--user-status'],
  );
}

/** How the `userid` filter matches: exactly, as a part of the name, or not at all. */
async function userFilter(
  probe: Probe,
  session: Session,
  users: Array<Record<string, unknown>>,
): Promise<Finding> {
  const title = 'users/list userid filter';
  const login = users.map((user) => user.userId).find((id): id is string => typeof id === 'string');
  if (!login || login.length < 3) return unknown('users-filter', title, 'no user to look up');
  const part = login.slice(0, Math.ceil(login.length / 2));
  const [whole, partial, shouted] = await Promise.all(
    [login, part, login.toUpperCase()].map((userid) =>
      probe.send('users/list', { params: { page: 0, size: 50, userid }, token: session.token }),
    ),
  );
  const found = (answer: typeof whole) => (answer ? pageItems(answer.json) : undefined);
  const wholeUsers = found(whole);
  const partUsers = found(partial);
  if (!wholeUsers || !partUsers) return unknown('users-filter', title, 'not a page');
  if (wholeUsers.length >= users.length && users.length > 1) {
    return differs(
      'users-filter',
      title,
      'ignored',
      'the package compares names itself, page by page: nothing to set',
    );
  }
  const matching = partUsers.some((user) => user.userId === login) ? 'a part of' : 'the whole';
  const anyCase = found(shouted)?.some((user) => user.userId === login);
  const casing = login === login.toUpperCase() ? '' : anyCase ? ', in any case' : ', case as given';
  return expected('users-filter', title, `matches ${matching} login name${casing}`);
}
