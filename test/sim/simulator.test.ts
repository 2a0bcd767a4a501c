import { once } from 'node:events';
import { setTimeout } from 'node:timers/promises';
import should from 'should';
import type { AnsweredCallLog, Simulator } from '../../src/sim';
import type { CallEvent, CallLog } from '../../src/xassist';
import { CONNECTOR, startCall, startSimulator } from '../support/simulator';
import { startSimulatorCli } from '../support/simulator-cli';
import { call, simulatorApis } from '../support/http-call';
import { shouldBeSpringError } from '../support/spring';

describe('xAssist simulator', function () {
  let sim: Simulator;
  let token: string;
  const { api, control } = simulatorApis(
    () => sim,
    () => token,
  );
  const createCall = async () =>
    (
      await api('rtc/createCall', 'POST', {
        callType: 'MESH',
        invitedContacts: [{ userId: 'expert1', userDbId: 9 }],
      })
    ).body as unknown as CallLog;

  beforeEach(async function () {
    sim = await startSimulator({ tokenLifetimeMs: 60_000 });
    token = String((await api('login', 'POST', { ...CONNECTOR, agreedToTos: true })).body.token);
  });

  afterEach(async function () {
    await sim.close();
  });

  it('answers like Spring: status, error, message and path', async function () {
    const unauthenticated = await call(`${sim.tenantUrl}users/list`);
    shouldBeSpringError(unauthenticated, 401, {
      error: 'Unauthorized',
      path: '/acme/users/list',
    });
    const invalid = await api('rtc/createCall', 'POST', { callType: 'VIDEO' });
    should(invalid.status).equal(400);
    should(invalid.body.message).match(/Enum class: \[MESH, SFU\]/);
    const wrongLogin = await api('login', 'POST', { ...CONNECTOR, password: 'nope' });
    should(wrongLogin.body).containEql({ status: 401, message: 'Bad credentials' });
    const notFound = await api('rtc/getCallLogById?callId=00000000-0000-0000-0000-000000000000');
    should(notFound.status).equal(404);
  });

  it('rotates refresh tokens: each works once', async function () {
    const login = await api('login', 'POST', CONNECTOR);
    const first = await api('refresh', 'POST', { refreshToken: login.body.refreshToken });
    should(first.status).equal(200);
    should(first.body.refreshToken).not.equal(login.body.refreshToken);
    const again = await api('refresh', 'POST', { refreshToken: login.body.refreshToken });
    should(again.status).equal(401);
  });

  it('issues JWTs with the configured lifetime', async function () {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    should(claims.exp * 1000 - claims.iat * 1000).be.within(59_000, 61_000);
  });

  it('finds users as users/list does, by real name', async function () {
    const page = await api('users/list?userid=expert&page=0&size=100');
    should((page.body.content as Array<{ userId: string }>).map((user) => user.userId)).eql([
      'expert2',
      'expert1',
      'expert3',
    ]);
    should(JSON.stringify(page.body)).not.containEql('password');
  });

  it('plays a call by itself: invitees join, then everyone leaves and it ends', async function () {
    await sim.close();
    sim = await startSimulator({ autoplay: { joinAfterMs: 20, endAfterMs: 60 } });
    token = String((await api('login', 'POST', CONNECTOR)).body.token);
    const created = await createCall();
    should(created.callStatus).equal('Started');
    const seen: CallEvent[] = [];
    sim.on('event', (callId, event) => callId === created.callId && seen.push(event));
    while (seen.length < 4) await once(sim, 'event');
    const log = (await api(`rtc/getCallLogById?callId=${created.callId}`))
      .body as unknown as CallLog;
    should(log.callStatus).equal('Ended');
    should(log.callEvents?.map((event) => `${event.type}:${event.contact?.userId}`)).eql([
      'Created:connector',
      'Join:connector',
      'Join:expert1',
      'Leave:connector',
      'Leave:expert1',
    ]);
    const ids = log.callEvents?.map((event) => event.id) ?? [];
    should(ids).eql([...ids].sort((a, b) => a - b));
  });

  it('is driven through its control API: join, leave, any event, end', async function () {
    const created = await createCall();
    await control(`calls/${created.callId}/join`, 'POST', { userId: 'expert1' });
    await control(`calls/${created.callId}/events`, 'POST', {
      type: 'ScreenShare',
      userId: 'expert1',
      comment: 'hi',
    });
    await control(`calls/${created.callId}/leave`, 'POST', { userId: 'expert1' });
    await control(`calls/${created.callId}/end`);
    const log = (await api(`rtc/getCallLogById?callId=${created.callId}`))
      .body as unknown as CallLog;
    should(log.callEvents?.map((event) => event.type)).eql([
      'Created',
      'Join',
      'ScreenShare',
      'Leave',
    ]);
    should(log.callEvents?.[2].comment).equal('hi');
    should(log.callStatus).equal('Ended');
    const list = (await api('rtc/getFilteredCallLogsV2?size=5')).body.content as CallLog[];
    should(list.map((entry) => entry.callId)).eql([created.callId]);
  });

  it('injects faults through its control API and counts requests by endpoint', async function () {
    await control('faults', 'POST', [
      { endpoint: 'users/list', type: 'status', status: 429, retryAfter: 7 },
      { endpoint: 'users/list', type: 'status', status: 503, count: 2 },
    ]);
    const limited = await api('users/list');
    should(limited.status).equal(429);
    should(limited.headers.get('retry-after')).equal('7');
    should((await api('users/list')).status).equal(503);
    should((await api('users/list')).status).equal(503);
    should((await api('users/list')).status).equal(200);

    await control('faults', 'POST', { endpoint: 'users/list', type: 'drop' });
    await should(api('users/list')).be.rejected();

    await control('tokens/revoke', 'POST', {});
    should((await api('users/list')).status).equal(401);

    const stats = await control('stats', 'GET');
    should(stats.body.requests).eql({ login: 1, 'users/list': 6 });
  });

  it('answers dates as epoch milliseconds when asked, and keeps its calls in ISO', async function () {
    const switched = await control('variants', 'POST', { dates: 'epoch' });
    should(switched.body).containEql({ dates: 'epoch', expiredStatus: 401, refreshFault: null });
    should((await control('variants', 'POST', { dates: 'unix' })).status).equal(400);
    const created = await createCall();
    await control(`calls/${created.callId}/end`);
    const planned = await api('rtc/createCall', 'POST', {
      callType: 'SFU',
      invitedContacts: [{ userId: 'expert2' }],
      plannedDateTime: '2030-01-02T03:04:05Z',
    });
    should(planned.body.plannedDateTime).equal(Date.parse('2030-01-02T03:04:05Z'));
    should(planned.body.callStart).be.null();

    const answers = [
      created,
      (await api(`rtc/getCallLogById?callId=${created.callId}`)).body,
      ...((await api('rtc/getFilteredCallLogsV2?size=5')).body.content as unknown[]),
      ...((await control('calls', 'GET')).body as unknown as unknown[]),
    ] as AnsweredCallLog[];
    for (const answer of answers) {
      should(answer.plannedDateTime ?? 0).be.a.Number();
      for (const event of answer.callEvents ?? []) should(event.time).be.a.Number();
    }
    const ended = answers[1];
    should(ended.callStart).be.a.Number();
    should(ended.callEnd).be.a.Number();
    should(Number(ended.callEnd)).be.aboveOrEqual(Number(ended.callStart));
    should(sim.calls.get(created.callId)?.callStart).be.a.String();

    sim.variants.dates = 'iso';
    const iso = (await api(`rtc/getCallLogById?callId=${created.callId}`)).body;
    should(iso.callStart).equal(new Date(Number(ended.callStart)).toISOString());
  });

  it('answers 403 to a missing or revoked token when asked, as some Spring setups do', async function () {
    await sim.close();
    sim = await startSimulator({ variants: { expiredStatus: 403 } });
    token = String((await api('login', 'POST', CONNECTOR)).body.token);
    should((await api('users/list')).status).equal(200);
    const missing = await call(`${sim.tenantUrl}users/list`);
    shouldBeSpringError(missing, 403, {
      error: 'Forbidden',
      message: 'Access Denied',
      path: '/acme/users/list',
    });
    await control('tokens/revoke', 'POST', {});
    should((await api('rtc/getFilteredCallLogsV2?size=1')).status).equal(403);
    sim.variants.expiredStatus = 401;
    should((await api('users/list')).body).containEql({ status: 401, error: 'Unauthorized' });
  });

  it('plays a missing or broken refresh endpoint without spending the refresh token', async function () {
    const { refreshToken } = (await api('login', 'POST', CONNECTOR)).body;
    const refresh = () =>
      fetch(`${sim.tenantUrl}refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
        redirect: 'manual',
      });

    sim.variants.refreshFault = 'none';
    const absent = await refresh();
    should(absent.status).equal(404);
    should(await absent.json()).containEql({ error: 'Not Found', path: '/acme/refresh' });

    await control('variants', 'POST', { refreshFault: '500' });
    const failed = await refresh();
    should(failed.status).equal(500);
    should(await failed.json()).containEql({ status: 500, error: 'Internal Server Error' });

    sim.variants.refreshFault = 'html';
    const page = await refresh();
    should(page.status).equal(200);
    should(page.headers.get('content-type')).startWith('text/html');
    should(await page.text()).match(/^<!DOCTYPE html>.*<form/);

    sim.variants.refreshFault = 'redirect';
    const redirected = await refresh();
    should(redirected.status).equal(302);
    should(redirected.headers.get('location')).equal(`${sim.tenantUrl}login-page`);

    sim.variants.refreshFault = 'no-token';
    const tokenless = await refresh();
    should(tokenless.status).equal(200);
    const profile = (await tokenless.json()) as Record<string, unknown>;
    should(profile).containEql({ displayName: 'Connector (technical user)' });
    should(profile).not.have.property('token');

    should(sim.count('refresh')).equal(5);
    const working = await control('variants', 'POST', { refreshFault: null });
    should(working.body.refreshFault).be.null();
    const refreshed = await refresh();
    should(refreshed.status).equal(200);
    should(await refreshed.json()).have.property('token');
  });

  it('pages call logs newest first, oldest first unless sorted, or shuffled, as asked', async function () {
    const ids: number[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(Number(startCall(sim).id));
    const newest = [...ids].reverse();
    const page = async (query: string) => {
      const answer = await api(`rtc/getFilteredCallLogsV2?${query}`);
      return { ...answer.body, ids: (answer.body.content as CallLog[]).map((log) => log.id) };
    };

    should(await page('size=2&sort=id,asc')).containEql({
      ids: newest.slice(0, 2),
      totalElements: 5,
      totalPages: 3,
      number: 0,
      size: 2,
    });
    should((await page('size=2&page=2')).ids).eql(newest.slice(4));

    await control('variants', 'POST', { listOrder: 'asc' });
    should((await page('size=2')).ids).eql(ids.slice(0, 2));
    should((await page('size=2&page=1')).ids).eql(ids.slice(2, 4));
    should((await page('size=2&sort=id,desc')).ids).eql(newest.slice(0, 2));
    should((await page('size=3&page=1&sort=id,desc')).ids).eql(newest.slice(3));
    should((await page('size=2&sort=id,asc')).ids).eql(ids.slice(0, 2));

    sim.variants.listOrder = 'shuffle';
    const orders = new Set<string>();
    for (let i = 0; i < 30 && orders.size < 2; i += 1) {
      const shuffled = await page('size=4&sort=id,desc');
      should([...shuffled.ids].sort()).eql(newest.slice(0, 4).sort());
      should(shuffled).containEql({ totalElements: 5, totalPages: 2, number: 0, size: 4 });
      orders.add(shuffled.ids.join());
    }
    should(orders.size).equal(2);
  });

  it('plays an outage window, then serves again', async function () {
    const requests: string[] = [];
    sim.on('request', (endpoint) => requests.push(endpoint));
    const window = await control('outage', 'POST', { ms: 200 });
    const until = Number(window.body.until);
    should(window.body).containEql({ status: 503, endpoints: null });
    const down = await api('users/list');
    shouldBeSpringError(down, 503, {
      error: 'Service Unavailable',
      message: 'Simulated outage',
      path: '/acme/users/list',
    });
    should((await api('login', 'POST', CONNECTOR)).status).equal(503);
    should((await control('stats', 'GET')).status).equal(200);

    // a timer may fire a little before Date.now() reaches its end
    while (Date.now() < until) await setTimeout(until - Date.now());
    should((await api('users/list')).status).equal(200);
    should(requests).eql(['users/list', 'login', 'users/list']);
    should(sim.count('users/list')).equal(2);

    sim.outage(60_000, { status: 0, endpoints: ['login'] });
    await should(api('login', 'POST', CONNECTOR)).be.rejected();
    should((await api('users/list')).status).equal(200);
    sim.outage(0);
    should((await api('login', 'POST', CONNECTOR)).status).equal(200);
    should((await control('outage', 'POST', { ms: -1 })).status).equal(400);
  });

  it('runs from its command line and says where it listens', async function () {
    const cli = await startSimulatorCli(['--port', '0', '--tenant', 'plant7']);
    try {
      const { url } = cli;
      should(url).match(/^http:\/\/127\.0\.0\.1:\d+\/plant7\/$/);
      const login = await call(`${url}login`, 'POST', CONNECTOR);
      should(login.status).equal(200);
    } finally {
      await cli.stop();
    }
  });

  it('plays the variants from its command line, with an outage from the start', async function () {
    const cli = await startSimulatorCli([
      ...['--port', '0'],
      ...['--dates', 'epoch', '--expired-status', '403', '--refresh-fault', 'html'],
      ...['--list-order', 'shuffle', '--outage', '60'],
    ]);
    try {
      const { url } = cli;
      should((await call(`${url}login`, 'POST', CONNECTOR)).status).equal(503);
      const controlUrl = new URL('/_sim/', url).toString();
      const variants = await call(`${controlUrl}variants`);
      should(variants.body).eql({
        dates: 'epoch',
        expiredStatus: 403,
        refreshFault: 'html',
        listOrder: 'shuffle',
        pageSizeCap: null,
        userOrder: 'realName',
      });
      await call(`${controlUrl}outage`, 'POST', { ms: 0 });
      should((await call(`${url}login`, 'POST', CONNECTOR)).status).equal(200);
      should((await call(`${url}users/list`)).status).equal(403);
    } finally {
      await cli.stop();
    }
  });
});
