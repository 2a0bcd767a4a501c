import http from 'node:http';
import type { AddressInfo } from 'node:net';
import should from 'should';
import { validateCall } from '../../src/mapping/create-call';
import { FieldError } from '../../src/mapping/field-error';
import { resolveCall } from '../../src/mapping/resolve-call';
import { Simulator, type Fault, type SimUser } from '../../src/sim';
import { closeNames, editDistance } from '../../src/xassist/close-names';
import { MAX_PAGES } from '../../src/xassist/directory';
import { isTransient, UserDirectory, XAssistClient, XAssistError } from '../../src/xassist';
import type { XAssistUser } from '../../src/xassist';
import { CONNECTOR } from '../support/simulator';

const range = (count: number) => Array.from({ length: count }, (_, index) => index);
const three = (index: number) => String(index).padStart(3, '0');

function simUser(id: number, userId: string, realName: string, email?: string): SimUser {
  return {
    id,
    userId,
    realName,
    email: email ?? `${userId}@example.com`,
    phoneNumber: '',
    domainTag: 'ubimax',
    password: `${userId}-password`,
  };
}

/**
 * Users whose place among the matches of a filter is the same whether the server answers in
 * the order they were added or sorted by real name: each group lists its users in real-name
 * order.
 */
function tenant(): SimUser[] {
  const users: SimUser[] = [];
  const add = (userId: string, realName: string, email?: string) =>
    users.push(simUser(users.length + 1, userId, realName, email));
  add('connector', 'Connector');
  // 101 logins contain tech1; tech1 itself is the 101st
  for (const i of range(99)) add(`tech1-${three(i)}`, `Tech ${three(i)}`);
  add('tech12', 'Tech 999');
  add('tech1', 'Zz Tech One');
  // 401 contain crew; crew is the 251st: on page 3 of 5
  for (const i of range(250)) add(`crew-a${three(i)}`, `Crew A ${three(i)}`);
  add('crew', 'Crew M');
  for (const i of range(150)) add(`crew-z${three(i)}`, `Crew Z ${three(i)}`);
  // 300 contain worker, none is worker
  for (const i of range(299)) add(`worker-${three(i)}`, `Worker ${three(i)}`);
  add('worker1', 'Worker One');
  for (const n of [1, 2, 3]) add(`expert${n}`, `Expert ${n}`);
  // 152 emails contain shared@example.com; two are it, on pages 1 and 2
  add('sharer1', 'Aa Sharer', 'shared@example.com');
  for (const i of range(150))
    add(`share-${three(i)}`, `Share ${three(i)}`, `${three(i)}shared@example.com`);
  add('sharer2', 'Zz Sharer', 'SHARED@example.com');
  return users;
}

function clientFor(url: string): XAssistClient {
  return new XAssistClient({ url, ...CONNECTOR });
}

/** Adds `fault` so that it hits the `nth` users/list request from now. */
function faultAt(sim: Simulator, nth: number, fault: Fault): void {
  let seen = 0;
  const onRequest = (endpoint: string) => {
    if (endpoint !== 'users/list' || ++seen < nth) return;
    sim.off('request', onRequest);
    // the simulator takes its faults right after telling of the request: this one included
    sim.addFault(fault);
  };
  sim.on('request', onRequest);
}

async function rejection(promise: Promise<unknown>): Promise<XAssistError> {
  const err = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  should(err).be.instanceOf(XAssistError);
  return err as XAssistError;
}

describe('UserDirectory against the simulator', function () {
  let sim: Simulator;
  let client: XAssistClient;
  let directory: UserDirectory;
  const lists = () => sim.count('users/list');

  before(async function () {
    sim = new Simulator({ users: tenant() });
    await sim.listen();
    client = clientFor(sim.tenantUrl);
  });

  beforeEach(function () {
    directory = new UserDirectory(client);
    sim.faults.clear();
    sim.resetCounts();
  });

  after(async function () {
    await client.close();
    await sim.close();
  });

  it('finds the 101st user whose login contains the name, on the second page', async function () {
    const user = await directory.find('tech1');
    should(user).containEql({ userId: 'tech1', realName: 'Zz Tech One' });
    should(lists()).equal(2);
  });

  it('stops at the page that has the name: page 3 of 5', async function () {
    should(await directory.contact('Crew')).containEql({ userId: 'crew', displayName: 'Crew M' });
    should(lists()).equal(3);
  });

  it('shares the requests of concurrent look-ups of one name, and remembers the user', async function () {
    const [first, second] = await Promise.all([directory.find('tech1'), directory.find(' TECH1')]);
    should(first).equal(second);
    await directory.find('tech1');
    should(lists()).equal(2);
  });

  const notFound = [
    {
      title: 'reads every matching page of a name nobody has, and suggests one it read',
      name: 'worker',
      suggested: 'worker1',
      lists: 3,
    },
    // the look-up's empty page, then 'exprt' and 'exp'
    {
      title: 'suggests expert1 for exprt1 with two more requests',
      name: 'exprt1',
      suggested: 'expert1',
      lists: 3,
    },
    {
      title: 'suggests tech12 for tech12x with one more request',
      name: 'tech12x',
      suggested: 'tech12',
      lists: 2,
    },
    { title: 'suggests nothing for a name far from every login', name: 'zorro', lists: 3 },
  ];
  for (const { title, name, suggested, lists: count } of notFound) {
    it(title, async function () {
      const err = await rejection(directory.find(name));
      should(err.code).equal('USER_NOT_FOUND');
      should(err.message).equal(
        `no xAssist user has the login name '${name}'` +
          (suggested ? ` (did you mean ${suggested}?)` : ''),
      );
      should(lists()).equal(count);
    });
  }

  it('suggests nothing, and still says not found, when the suggestion search fails', async function () {
    faultAt(sim, 2, { endpoint: 'users/list', type: 'status', status: 503 });
    const err = await rejection(directory.find('exprt1'));
    should(err.code).equal('USER_NOT_FOUND');
    should(err.message).equal("no xAssist user has the login name 'exprt1'");
    should(lists()).equal(2);
  });

  it('rejects with the transient error of a page that failed, and does not remember it', async function () {
    faultAt(sim, 2, { endpoint: 'users/list', type: 'status', status: 503 });
    const err = await rejection(directory.find('tech1'));
    should(err.status).equal(503);
    should(isTransient(err)).be.true();
    should(await directory.find('tech1')).containEql({ userId: 'tech1' });
    should(lists()).equal(4);
  });

  it('calls two users with the email found on two pages ambiguous', async function () {
    const err = await rejection(directory.find('Shared@Example.com'));
    should(err.code).equal('USER_AMBIGUOUS');
    should(err.message).equal("2 xAssist users have the email 'shared@example.com'");
    should(lists()).equal(2);
  });

  it('finds a user by email', async function () {
    should(await directory.find('expert2@example.com')).containEql({ userId: 'expert2' });
    should(lists()).equal(1);
  });

  describe('what resolveCall makes of it', function () {
    it('names the field of a login nobody has, with the suggestion', async function () {
      const draft = validateCall({ invitedContacts: ['expert2', 'exprt1'] });
      const err = await resolveCall(draft, directory).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      should(err).be.instanceOf(FieldError);
      should((err as FieldError).message).equal(
        "invitedContacts[1]: no xAssist user has the login name 'exprt1' (did you mean expert1?)",
      );
    });

    it('completes the contact of a user found on a later page', async function () {
      const body = await resolveCall(validateCall({ invitedContacts: ['tech1'] }), directory);
      should(body.invitedContacts).eql([
        {
          displayName: 'Zz Tech One',
          domain: 'ubimax',
          email: 'tech1@example.com',
          phoneNumber: '',
          userDbId: 102,
          userId: 'tech1',
        },
      ]);
    });
  });
});

describe('UserDirectory on a tenant larger than its page bound', function () {
  let sim: Simulator;
  let client: XAssistClient;

  before(async function () {
    const bulk = range(MAX_PAGES * 100 + 50).map((i) =>
      simUser(i + 2, `bulk-${String(i).padStart(4, '0')}`, `Bulk ${String(i).padStart(4, '0')}`),
    );
    sim = new Simulator({ users: [simUser(1, 'connector', 'Connector'), ...bulk] });
    await sim.listen();
    client = clientFor(sim.tenantUrl);
  });

  after(async function () {
    await client.close();
    await sim.close();
  });

  it(`reads ${MAX_PAGES} pages, then says the look-up was cut short: not bad input`, async function () {
    const err = await rejection(new UserDirectory(client).find('bulk'));
    should(err.code).equal('USER_LOOKUP_CUT_SHORT');
    should(err.message).equal(
      "the look-up of the login name 'bulk' was cut short: users/list had more than 50 pages of users for it",
    );
    should(sim.count('users/list')).equal(MAX_PAGES);
    const draft = validateCall({ invitedContacts: ['bulk'] });
    const viaResolve = await rejection(resolveCall(draft, new UserDirectory(client)));
    should(viaResolve).not.be.instanceOf(FieldError);
    should(viaResolve.code).equal('USER_LOOKUP_CUT_SHORT');
  });
});

interface ServerWays {
  /** the most users a page holds, whatever is asked */
  cap?: number;
  /** false: answers every user whatever the filter */
  filters?: boolean;
  /** false: answers page 0 whatever is asked */
  pages?: boolean;
  /** false: answers `{content}` alone */
  metadata?: boolean;
}

/** A tiny users/list server on loopback that plays the ways a real one may differ. */
async function usersServer(users: XAssistUser[], ways: ServerWays) {
  const queries: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reply = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/acme/login') return reply({ token: 'not-a-jwt' });
    queries.push(url.searchParams);
    const userid = url.searchParams.get('userid') ?? '';
    const matches =
      ways.filters === false ? users : users.filter((user) => user.userId.includes(userid));
    const size = Math.min(Number(url.searchParams.get('size')), ways.cap ?? Infinity);
    const number = ways.pages === false ? 0 : Number(url.searchParams.get('page'));
    const content = matches.slice(number * size, number * size + size);
    const totalPages = Math.ceil(matches.length / size);
    reply(
      ways.metadata === false
        ? { content }
        : {
            content,
            totalElements: matches.length,
            totalPages,
            number,
            size,
            last: number >= totalPages - 1,
          },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = clientFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}/acme/`);
  return {
    directory: new UserDirectory(client),
    queries,
    async close() {
      await client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('UserDirectory against servers that page their own way', function () {
  const tech = [
    ...range(100).map((i) => ({ id: i + 1, userId: `tech1-${three(i)}`, realName: `Tech ${i}` })),
    { id: 101, userId: 'tech1', realName: 'Zz Tech One' },
  ];
  const servers: Array<{ close(): Promise<void> }> = [];
  const serve = async (users: XAssistUser[], ways: ServerWays) => {
    const server = await usersServer(users, ways);
    servers.push(server);
    return server;
  };

  after(async function () {
    await Promise.all(servers.map((server) => server.close()));
  });

  it('follows the pages of a server that caps their size, by its own metadata', async function () {
    const server = await serve(tech, { cap: 20 });
    should(await server.directory.find('tech1')).containEql({ id: 101 });
    should(server.queries.map((query) => query.get('page'))).eql(['0', '1', '2', '3', '4', '5']);
    should(server.queries[0].get('size')).equal('100');
    should(server.queries[0].get('sort')).equal('realName,asc');
    server.queries.length = 0;
    const err = await rejection(server.directory.find('tech'));
    should(err.message).equal("no xAssist user has the login name 'tech' (did you mean tech1?)");
    // its totalPages ends the pages: no empty page asked, no suggestion search needed
    should(server.queries).have.length(6);
  });

  it('reads a capped server without metadata to its empty page', async function () {
    const server = await serve(tech, { cap: 20, metadata: false });
    should(await server.directory.find('tech1')).containEql({ id: 101 });
    should(server.queries).have.length(6);
    server.queries.length = 0;
    await rejection(server.directory.find('tech'));
    should(server.queries).have.length(7);
  });

  it('finds the user on a server that ignores the filter', async function () {
    const others = range(250).map((i) => ({ id: i + 1, userId: `user${i}`, realName: `U ${i}` }));
    const server = await serve([...others, { id: 999, userId: 'tech1' }], { filters: false });
    should(await server.directory.find('tech1')).containEql({ id: 999 });
    should(server.queries).have.length(3);
  });

  it('stops when a server without metadata answers the same page again', async function () {
    const server = await serve(tech, { filters: false, pages: false, metadata: false, cap: 50 });
    const err = await rejection(server.directory.find('zorro'));
    should(err.code).equal('USER_NOT_FOUND');
    // the look-up's two pages, then the searches for 'zorr' and 'zor'
    should(server.queries.map((query) => query.get('userid'))).eql([
      'zorro',
      'zorro',
      'zorr',
      'zor',
    ]);
  });
});

describe('closeNames', function () {
  it('counts insertions, deletions, replacements and swaps of neighbours as one edit each', function () {
    should(editDistance('exprt1', 'expert1')).equal(1);
    should(editDistance('tech12x', 'tech12')).equal(1);
    should(editDistance('expetr1', 'expert1')).equal(1);
    should(editDistance('kitten', 'sitting')).equal(3);
    should(editDistance('', 'abc')).equal(3);
    should(editDistance('same', 'same')).equal(0);
  });

  it('keeps the fewest edits away, alphabetically, at most three', function () {
    should(closeNames('exprt1', ['expert2', 'expert1', 'expert3'])).eql(['expert1']);
    should(closeNames('tech12x', ['tech2', 'tech120', 'tech12'])).eql(['tech12', 'tech120']);
    should(closeNames('tech1', ['tech14', 'tech13', 'tech12', 'tech11'])).eql([
      'tech11',
      'tech12',
      'tech13',
    ]);
  });

  it('allows one edit up to four characters, two up to eight, three beyond', function () {
    should(closeNames('abc', ['axx'])).eql([]);
    should(closeNames('abc', ['abx'])).eql(['abx']);
    should(closeNames('abcdefgh', ['abcdefxx'])).eql(['abcdefxx']);
    should(closeNames('abcdefgh', ['abcdexxx'])).eql([]);
    should(closeNames('abcdefghijklm', ['abcdefghijxxx'])).eql(['abcdefghijxxx']);
    should(closeNames('abcdefghijklm', ['abcdefghixxxx'])).eql([]);
  });

  it('suggests neither the name itself, in any case, nor anything from no candidates', function () {
    should(closeNames('Expert1', ['expert1'])).eql([]);
    should(closeNames('expert1', [])).eql([]);
  });
});
