import { once } from 'node:events';
import should from 'should';
import { Simulator, type SimUser } from '../../src/sim';
import type { CallEvent, CallLog } from '../../src/xassist';
import { CONNECTOR, startCall, startSimulator } from '../support/simulator';
import { spawnSimulatorCli, startSimulatorCli } from '../support/simulator-cli';
import { shouldBeSpringError } from '../support/spring';

interface Answer {
  status: number;
  headers: Headers;
  /** the body as JSON; {} when it is not JSON */
  body: Record<string, unknown>;
  text: string;
}

async function call(
  url: string,
  options: { method?: string; body?: unknown; token?: string; signal?: AbortSignal } = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: {
      'Content-Type': 'application/json',
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.startsWith('application/json');
  return {
    status: response.status,
    headers: response.headers,
    body: json ? JSON.parse(text) : {},
    text,
  };
}

const NEW_CALL = { callType: 'MESH', invitedContacts: [{ userId: 'expert1', userDbId: 9 }] };

/** The login names in a users/list page, the ids in a call-log page. */
const userIds = (answer: Answer) =>
  (answer.body.content as Array<{ userId: string }>).map((user) => user.userId);
const callIds = (answer: Answer) => (answer.body.content as CallLog[]).map((log) => log.id);
/** A Spring page's metadata: the first of 3 pages of 3 items, 7 in all. */
const FIRST_OF_3_PAGES_OF_7 = {
  totalElements: 7,
  totalPages: 3,
  number: 0,
  size: 3,
  numberOfElements: 3,
  first: true,
  last: false,
  empty: false,
};

describe('xAssist simulator: server behaviours of a real deployment', function () {
  let sim: Simulator;
  let token: string;
  const api = (path: string, method = 'GET', body?: unknown, signal?: AbortSignal) =>
    call(`${sim.tenantUrl}${path}`, { method, body, token, signal });
  const control = (path: string, method = 'POST', body?: unknown) =>
    call(`${sim.url}_sim/${path}`, { method, body });
  const madeCalls = async () => (await control('calls', 'GET')).body as unknown as CallLog[];
  const logIn = async (credentials: Record<string, string> = CONNECTOR) => {
    const login = await api('login', 'POST', credentials);
    should(login.status).equal(200);
    token = String(login.body.token);
  };

  beforeEach(async function () {
    sim = await startSimulator();
    await logIn();
  });

  afterEach(async function () {
    await sim.close();
  });

  describe('what the simulator already played', function () {
    it('answers 503 to createCall alone for a while, and makes no call meanwhile', async function () {
      sim.outage(60_000, { endpoints: ['rtc/createCall'] });
      const refused = await api('rtc/createCall', 'POST', NEW_CALL);
      should(refused.status).equal(503);
      should(refused.body).containEql({ status: 503, error: 'Service Unavailable' });
      should((await api('rtc/getFilteredCallLogsV2?size=5')).status).equal(200);
      should((await api('users/list')).status).equal(200);
      should(await madeCalls()).have.length(0);
      sim.outage(0);
      should((await api('rtc/createCall', 'POST', NEW_CALL)).status).equal(200);
    });

    it('answers 429 with Retry-After: 1 to the first N createCalls, making none of them', async function () {
      sim.addFault({
        endpoint: 'rtc/createCall',
        type: 'status',
        status: 429,
        retryAfter: 1,
        count: 3,
      });
      for (let i = 0; i < 3; i += 1) {
        const limited = await api('rtc/createCall', 'POST', NEW_CALL);
        should(limited.status).equal(429);
        should(limited.headers.get('retry-after')).equal('1');
        should(limited.body).containEql({ status: 429, message: 'Too many requests' });
      }
      should(await madeCalls()).have.length(0);
      should((await api('rtc/createCall', 'POST', NEW_CALL)).status).equal(200);
      should(await madeCalls()).have.length(1);
      should(sim.count('rtc/createCall')).equal(4);
    });
  });

  describe('an answer lost or late after the call was made', function () {
    it('status-after: makes the call, then answers a Spring 502 as a proxy would', async function () {
      const added = await control('faults', 'POST', {
        endpoint: 'rtc/createCall',
        type: 'status-after',
        retryAfter: 2,
      });
      should(added.status).equal(200);
      const lost = await api('rtc/createCall', 'POST', NEW_CALL);
      shouldBeSpringError(lost, 502, { error: 'Bad Gateway', path: '/acme/rtc/createCall' });
      should(lost.headers.get('retry-after')).equal('2');
      const made = await madeCalls();
      should(made).have.length(1);
      should(made[0].invitedContacts?.map((contact) => contact.userId)).eql(['expert1']);
      should((await api('rtc/createCall', 'POST', NEW_CALL)).status).equal(200);
      should(await madeCalls()).have.length(2);
    });

    it('status-after with html: a proxy page with that status, the call made', async function () {
      sim.addFault({ endpoint: 'rtc/createCall', type: 'status-after', status: 504, html: true });
      const lost = await api('rtc/createCall', 'POST', NEW_CALL);
      should(lost.status).equal(504);
      should(lost.headers.get('content-type')).startWith('text/html');
      should(lost.text).startWith('<html>\r\n<head><title>504 Gateway Timeout</title></head>');
      should(lost.text).containEql('<center>nginx</center>');
      should(await madeCalls()).have.length(1);
    });

    it('latency-after: the call exists at once, the answer comes ms later', async function () {
      const created = new Promise<number>((resolve) =>
        sim.once('event', (_callId: string, event: CallEvent) => {
          if (event.type === 'Created') resolve(Date.now());
        }),
      );
      sim.addFault({ endpoint: 'rtc/createCall', type: 'latency-after', ms: 200 });
      const answer = await api('rtc/createCall', 'POST', NEW_CALL);
      const answeredAt = Date.now();
      should(answer.status).equal(200);
      should(answeredAt - (await created)).be.aboveOrEqual(190);

      sim.addFault({ endpoint: 'rtc/createCall', type: 'latency-after', ms: 60_000 });
      const impatient = api('rtc/createCall', 'POST', NEW_CALL, AbortSignal.timeout(150));
      await should(impatient).be.rejectedWith({ name: 'TimeoutError' });
      should(await madeCalls()).have.length(2);
    });

    it('checks faults over the control API and adds none of a list with a wrong one', async function () {
      const unknown = await control('faults', 'POST', { type: 'status-later' });
      should(unknown.status).equal(400);
      should(unknown.body.message).match(/one of .*latency-after.*status-after/);
      const wrong = [
        { type: 'status-after', status: 'bad' },
        { type: 'status', html: 'yes' },
        { type: 'latency-after', ms: -5 },
        { type: 'status', retryAfter: 1.5 },
      ];
      for (const fault of wrong) {
        const refused = await control('faults', 'POST', [
          { endpoint: 'users/list', type: 'status', status: 500 },
          fault,
        ]);
        should(refused.status).equal(400);
        should(refused.body.message).match(/^fault (status|html|ms|retryAfter) must be/);
      }
      should((await api('users/list')).status).equal(200);
    });

    it('answers an HTML page for a status fault with html', async function () {
      sim.addFault({ endpoint: 'users/list', type: 'status', status: 502, html: true });
      const page = await api('users/list');
      should(page.status).equal(502);
      should(page.text).containEql('<title>502 Bad Gateway</title>');
      should(await madeCalls()).have.length(0);
    });
  });

  describe('proxy error pages during outages', function () {
    it('plays a storm of HTML 404 pages on getCallLogById alone, then serves again', async function () {
      const made = startCall(sim);
      sim.outage(3000, { status: 404, endpoints: ['rtc/getCallLogById'], html: true });
      const missing = await api(`rtc/getCallLogById?callId=${made.callId}`);
      should(missing.status).equal(404);
      should(missing.headers.get('content-type')).startWith('text/html');
      should(missing.text).containEql('<title>404 Not Found</title>');
      should((await api('rtc/getFilteredCallLogsV2?size=1')).status).equal(200);
      should((await api('rtc/createCall', 'POST', NEW_CALL)).status).equal(200);
      sim.outage(0);
      should((await api(`rtc/getCallLogById?callId=${made.callId}`)).status).equal(200);
    });

    it('plays a JSON 404 outage, and HTML outages over the control API', async function () {
      const made = startCall(sim);
      await control('outage', 'POST', { ms: 60_000, status: 404 });
      const json = await api(`rtc/getCallLogById?callId=${made.callId}`);
      shouldBeSpringError(json, 404, { error: 'Not Found', message: 'Simulated outage' });
      should(json.headers.get('content-type')).startWith('application/json');

      const window = await control('outage', 'POST', { ms: 60_000, status: 503, html: true });
      should(window.body).containEql({ status: 503, endpoints: null, html: true });
      const page = await api('users/list');
      should(page.status).equal(503);
      should(page.text).containEql('<h1>503 Service Unavailable</h1>');
      should((await control('outage', 'POST', { ms: 1000, html: 'yes' })).body.message).equal(
        'outage html must be true or false',
      );
      should((await control('outage', 'GET')).body).containEql({ html: true });
    });
  });

  describe('pages', function () {
    it('caps the page size of call logs, with the metadata of the capped size', async function () {
      const ids = Array.from({ length: 7 }, () => Number(startCall(sim).id));
      const newest = [...ids].reverse();
      const changed = await control('variants', 'POST', { pageSizeCap: 3 });
      should(changed.body).containEql({ pageSizeCap: 3 });
      const first = await api('rtc/getFilteredCallLogsV2?size=100&sort=id,desc');
      should(callIds(first)).eql(newest.slice(0, 3));
      should(first.body).containEql(FIRST_OF_3_PAGES_OF_7);
      const third = await api('rtc/getFilteredCallLogsV2?size=100&page=2');
      should(callIds(third)).eql(newest.slice(6));
      should(third.body).containEql({ number: 2, size: 3, numberOfElements: 1, last: true });
      const beyond = await api('rtc/getFilteredCallLogsV2?size=100&page=3');
      should(beyond.body).containEql({ number: 3, numberOfElements: 0, empty: true, last: true });
      const smaller = await api('rtc/getFilteredCallLogsV2?size=2&page=1');
      should(callIds(smaller)).eql(newest.slice(2, 4));
      should(smaller.body).containEql({ size: 2, totalPages: 4 });

      for (const pageSizeCap of [0, 2.5, '3', -1]) {
        const refused = await control('variants', 'POST', { pageSizeCap });
        should(refused.status).equal(400);
        should(refused.body.message).equal(
          'pageSizeCap must be a whole number of 1 or more, or null for no cap',
        );
      }
      should((await control('variants', 'POST', { pageSizeCap: null })).body.pageSizeCap).be.null();
      should(callIds(await api('rtc/getFilteredCallLogsV2?size=100'))).eql(newest);
    });

    it('asc-always: oldest first whatever sort asks, the newest calls on the last page', async function () {
      const ids = Array.from({ length: 5 }, () => Number(startCall(sim).id));
      should((await control('variants', 'POST', { listOrder: 'asc-always' })).body).containEql({
        listOrder: 'asc-always',
      });
      for (const sort of ['&sort=id,desc', '&sort=id,asc', '']) {
        should(callIds(await api(`rtc/getFilteredCallLogsV2?size=2${sort}`))).eql(ids.slice(0, 2));
        const last = await api(`rtc/getFilteredCallLogsV2?size=2&page=2${sort}`);
        should(callIds(last)).eql(ids.slice(4));
        should(last.body).containEql({ last: true, totalPages: 3 });
      }
      sim.variants.pageSizeCap = 2;
      should(callIds(await api('rtc/getFilteredCallLogsV2?size=50&page=1&sort=id,desc'))).eql(
        ids.slice(2, 4),
      );
      const refused = await control('variants', 'POST', { listOrder: 'oldest' });
      should(refused.body.message).equal(
        'listOrder must be one of "desc", "asc", "asc-always", "shuffle"',
      );
    });
  });

  describe('users/list', function () {
    const BY_REAL_NAME = [
      'expert2', // Ben Backup
      'callertest2', // Caller Test 2
      'connector', // Connector (technical user)
      'expert1', // Erika Expert
      'expert3', // Nina Nightshift
      'glasses1', // Smart Glasses 1
      'tester', // Tester
    ];

    it('answers Spring pages by real name across pages, capped', async function () {
      sim.variants.pageSizeCap = 3;
      const pages: Answer[] = [];
      for (let page = 0; page < 3; page += 1) {
        pages.push(await api(`users/list?page=${page}&size=100&sort=realName,asc`));
      }
      should(pages.flatMap(userIds)).eql(BY_REAL_NAME);
      should(pages[0].body).containEql(FIRST_OF_3_PAGES_OF_7);
      should(pages[2].body).containEql({
        number: 2,
        numberOfElements: 1,
        first: false,
        last: true,
      });

      sim.variants.pageSizeCap = null;
      for (const size of ['', '&size=0', '&size=abc']) {
        should((await api(`users/list?page=0${size}`)).body).containEql({
          size: 20,
          totalPages: 1,
        });
      }
      should(userIds(await api('users/list?displayname=E&page=0&size=2'))).eql([
        'expert2',
        'callertest2',
      ]);
    });

    it('orders equal real names by id, ignoring case; or as added with userOrder id', async function () {
      const extra = (id: number, userId: string, realName: string): SimUser => ({
        ...sim.users[0],
        id,
        userId,
        realName,
        email: `${userId}@example.com`,
      });
      sim.users.push(extra(101, 'zed-b', 'ada ZED'), extra(100, 'zed-a', 'Ada Zed'));
      should(userIds(await api('users/list?userid=zed'))).eql(['zed-a', 'zed-b']);
      should(userIds(await api('users/list?size=3'))).eql(['zed-a', 'zed-b', 'expert2']);

      should((await control('variants', 'POST', { userOrder: 'id' })).body).containEql({
        userOrder: 'id',
      });
      should(userIds(await api('users/list?size=100'))).eql([
        ...['connector', 'tester', 'expert1', 'expert2', 'expert3', 'callertest2', 'glasses1'],
        ...['zed-b', 'zed-a'],
      ]);
      const refused = await control('variants', 'POST', { userOrder: 'login' });
      should(refused.body.message).equal('userOrder must be one of "realName", "id"');
      should((await control('variants', 'GET')).body).eql({
        dates: 'iso',
        expiredStatus: 401,
        refreshFault: null,
        listOrder: 'desc',
        pageSizeCap: null,
        userOrder: 'id',
      });
    });
  });

  describe('many users', function () {
    it('builds 5,000 technicians fast, and finds them by substring fast, by real name', async function () {
      const started = process.hrtime.bigint();
      const big = new Simulator({ extraUsers: 5000 });
      const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
      should(buildMs).be.below(300);
      await sim.close();
      sim = big;
      await sim.listen();
      await logIn({ ...CONNECTOR, username: 'tech1', password: 'tech1-password' });

      const tech1 = sim.users.find((user) => user.userId === 'tech1');
      should(tech1).containEql({ id: 14, email: 'tech1@example.com' });
      should(sim.users.at(-1)).containEql({ id: 5013, userId: 'tech5000' });
      should(new Set(sim.users.map((user) => user.realName)).size).be.above(100);

      sim.variants.pageSizeCap = 100;
      const found: Array<{ id: number; userId: string; realName: string }> = [];
      const took: number[] = [];
      for (let page = 0; ; page += 1) {
        const before = process.hrtime.bigint();
        const answer = await api(`users/list?userid=TECH1&page=${page}&size=500`);
        took.push(Number(process.hrtime.bigint() - before) / 1e6);
        should(answer.body).containEql({ totalElements: 1111, totalPages: 12, size: 100 });
        found.push(...(answer.body.content as typeof found));
        if (answer.body.last) break;
      }
      should(found).have.length(1111);
      should(found.map((user) => user.userId)).containEql('tech1');
      const names = found.map((user) => user.realName.toLowerCase());
      should(names).eql([...names].sort());
      const byLogin = [...found].sort((a, b) => a.id - b.id);
      should(found.map((user) => user.userId)).not.eql(byLogin.map((user) => user.userId));
      const median = [...took].sort((a, b) => a - b)[Math.floor(took.length / 2)];
      should(median).be.below(20);
    });

    it('lets technicians answer calls like the experts', async function () {
      await sim.close();
      sim = await startSimulator({ extraUsers: 3, autoplay: { joinAfterMs: 10 } });
      await logIn();
      const joined = new Promise<string>((resolve) =>
        sim.on('event', (_callId: string, event: CallEvent) => {
          if (event.type === 'Join' && event.contact?.userId === 'tech2') resolve('tech2');
        }),
      );
      const made = await api('rtc/createCall', 'POST', {
        callType: 'MESH',
        invitedContacts: [{ userId: 'tech2' }],
      });
      should(made.status).equal(200);
      should(await joined).equal('tech2');
    });

    it('keeps the seeded history without the technicians', function () {
      const history = { calls: 30, endAt: Date.parse('2026-03-02T06:00:00.000Z') };
      should(new Simulator({ history, extraUsers: 50 }).history).eql(
        new Simulator({ history }).history,
      );
    });
  });

  describe('command line', function () {
    it('tells the new options in --help', async function () {
      const child = spawnSimulatorCli(['--help']);
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      await once(child, 'exit');
      for (const option of [
        '--users <n>',
        '--page-size-cap <n>',
        '--user-order <order>',
        'asc-always',
        '--outage-status',
        '--outage-endpoints',
        '--outage-html',
        'status-after',
        'latency-after',
        '"pageSizeCap"',
        '"html"',
      ]) {
        should(text).containEql(option);
      }
    });

    it('plays many users, the cap, the orders and an HTML outage of one endpoint', async function () {
      const cli = await startSimulatorCli(
        [
          ...['--port', '0', '--users', '5000', '--page-size-cap', '50'],
          ...['--list-order', 'asc-always', '--user-order', 'id'],
          ...['--outage', '60', '--outage-status', '404', '--outage-html'],
          ...['--outage-endpoints', 'rtc/getCallLogById'],
        ],
        'Ctrl+C',
      );
      try {
        const { printed, url } = cli;
        should(printed).containEql('and 5000 technicians tech1…tech5000');
        const controlUrl = new URL('/_sim/', url).toString();
        should((await call(`${controlUrl}variants`)).body).containEql({
          listOrder: 'asc-always',
          pageSizeCap: 50,
          userOrder: 'id',
        });
        should((await call(`${controlUrl}outage`)).body).containEql({
          status: 404,
          endpoints: ['rtc/getCallLogById'],
          html: true,
        });
        const login = await call(`${url}login`, {
          method: 'POST',
          body: { ...CONNECTOR, username: 'tech5000', password: 'tech5000-password' },
        });
        should(login.status).equal(200);
        const auth = { token: String(login.body.token) };
        const users = await call(`${url}users/list?userid=tech&size=100`, auth);
        should(users.body).containEql({ totalElements: 5000, size: 50, totalPages: 100 });
        should(userIds(users).slice(0, 2)).eql(['tech1', 'tech2']);
        const page = await call(`${url}rtc/getCallLogById?callId=x`, auth);
        should(page.status).equal(404);
        should(page.text).containEql('<title>404 Not Found</title>');
      } finally {
        await cli.stop();
      }
    });

    it('refuses a wrong number of users', async function () {
      const child = spawnSimulatorCli(
        ['--port', '0', '--users', 'many'],
        ['ignore', 'ignore', 'pipe'],
      );
      let text = '';
      child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number];
      should(code).equal(1);
      should(text).containEql('--users must be a number of users');
    });
  });
});
