import { once } from 'node:events';
import should from 'should';
import type { Simulator } from '../../src/sim';
import {
  XAssistError,
  type ClientOptions,
  type ServerSettings,
  type StateChange,
} from '../../src/xassist';
import type { Capture } from '../support/capture';
import { TestClients } from '../support/clients';
import { nextRequest, startSimulator } from '../support/simulator';

const SEED_BODY = JSON.parse(
  '{"callType":"SFU","invitedContacts":[{"userId":"tester","userDbId":8,"email":"test@test.com","domain":"ubimax","displayName":"Tester","phoneNumber":null}],"invitedTeams":[],"joinAnonymousAllowed":false,"callTitle":"New Call","plannedDateTime":null,"callReason":"STANDARD"}',
);

describe('XAssistClient against the simulator', function () {
  let sim: Simulator;
  let capture: Capture;
  const clients = new TestClients(() => sim);
  const client = (settings: Partial<ServerSettings> = {}, options: ClientOptions = {}) =>
    clients.create(settings, options);

  beforeEach(async function () {
    sim = await startSimulator();
    capture = clients.capture;
  });

  afterEach(async function () {
    // whatever a test did, nothing a user could see holds a secret
    await clients.closeAndCheckSecrets();
  });

  describe('login and requests', function () {
    it('logs in once with the contract body and sends the bearer token', async function () {
      const xassist = client();
      const call = await xassist.createCall(SEED_BODY);
      should(call.callId).match(/^[0-9a-f-]{36}$/);
      should(call.callType).equal('SFU');
      should(call.invitedContacts?.[0]?.userId).equal('tester');
      const read = await xassist.getCallLogById(call.callId);
      should(read.callEvents?.[0]?.type).equal('Created');
      should(sim.counts).eql({ login: 1, 'rtc/createCall': 1, 'rtc/getCallLogById': 1 });
    });

    it('keeps the tenant path, with or without a trailing slash', async function () {
      for (const url of [sim.tenantUrl, sim.tenantUrl.replace(/\/$/, '')]) {
        const xassist = client({ url });
        await xassist.listUsers({ userid: 'tester' });
        await xassist.getFilteredCallLogs(5);
      }
      should(new Set(sim.paths)).eql(
        new Set(['/acme/login', '/acme/users/list', '/acme/rtc/getFilteredCallLogsV2']),
      );
    });

    it('says to check the tenant path when the URL misses it, and does not retry every second', async function () {
      const xassist = client({ url: sim.url });
      const err = (await capture.settle(xassist.listUsers())) as XAssistError;
      should(err).be.instanceOf(XAssistError);
      should(err.kind).equal('not-xassist');
      should(err.message).equal(
        `there is no xAssist login at ${sim.url}login (404): check the tenant path, ` +
          'the URL is https://host/<tenant>/',
      );
      should(err.status).equal(404);
      should(xassist.state).equal('wrong-url');
      // the next request waits for a person (as after refused credentials): no second login
      const again = (await capture.settle(xassist.listUsers())) as XAssistError;
      should(again.kind).equal('not-xassist');
      should(sim.count('other')).equal(1);
    });

    it('says a server whose login answers with a page is not an xAssist server', async function () {
      sim.addFault({ endpoint: 'login', type: 'garbage' });
      const err = (await capture.settle(client().listUsers())) as XAssistError;
      should(err.kind).equal('not-xassist');
      should(err.message).equal(
        `${sim.tenantUrl} is not an xAssist server: its login answered without a token (200)`,
      );
    });

    it('rejects invalid settings before any request, naming the setting', function () {
      const cases: Array<[Partial<ServerSettings>, RegExp]> = [
        [{ url: '' }, /^Server URL is missing/],
        [{ url: 'frontline.example.com/acme' }, /^Server URL is not a valid URL/],
        [{ url: 'ftp://host/acme/' }, /^Server URL must start with https:\/\//],
        [{ url: 'https://user:hunter22@host/acme/' }, /must not contain a username or password/],
        [{ url: 'https://host/acme/?x=1' }, /must not contain \? or #/],
        [{ domain: ' ' }, /^Login domain is missing/],
        [{ username: '' }, /^Username is missing/],
        [{ password: '' }, /^Password is missing/],
        [{ refreshPath: 'https://elsewhere/refresh' }, /^Refresh path must be a path/],
        [{ timeoutMs: -1 }, /^Timeout must be/],
      ];
      for (const [settings, message] of cases) {
        const err = (() => {
          try {
            client(settings);
          } catch (thrown) {
            return thrown as XAssistError;
          }
        })();
        should(err?.kind).equal('config', String(message));
        should(err?.message).match(message);
        should(err?.message).not.containEql('hunter22');
      }
      should(sim.counts).eql({});
    });
  });

  describe('token renewal', function () {
    it('makes exactly one refresh for 50 concurrent requests on an expired token', async function () {
      let offset = 0;
      const xassist = client({}, { now: () => Date.now() + offset });
      await xassist.listUsers();
      offset = 16 * 60_000; // past the 15-minute token
      sim.tokens.revokeAccess();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => xassist.listUsers({ userid: 'expert' })),
      );
      should(results.every((page) => page.content.length === 3)).be.true(); // expert1, expert2, expert3
      should(sim.count('refresh')).equal(1);
      should(sim.count('login')).equal(1);
      should(sim.count('users/list')).equal(51);
    });

    it('makes exactly one refresh when 50 concurrent requests meet a revoked token (401)', async function () {
      const xassist = await clients.withRevokedToken();
      await Promise.all(Array.from({ length: 50 }, () => xassist.listUsers()));
      should(sim.count('refresh')).equal(1);
      should(sim.count('login')).equal(1);
      // each of the 50 was sent with the revoked token, then once more
      should(sim.count('users/list')).equal(1 + 50 + 50);
    });

    it('after a 401, refreshes once and repeats the request once', async function () {
      const xassist = client({}, { retry: { initialMs: 10, maxMs: 10 } });
      const call = await xassist.createCall(SEED_BODY);
      sim.addFault({ endpoint: 'rtc/getCallLogById', type: 'status', status: 401 });
      const read = await xassist.getCallLogById(call.callId);
      should(read.callId).equal(call.callId);
      should(sim.count('rtc/getCallLogById')).equal(2);
      should(sim.count('refresh')).equal(1);

      sim.addFault({ endpoint: 'rtc/getCallLogById', type: 'status', status: 401, count: 2 });
      const err = (await capture.settle(xassist.getCallLogById(call.callId))) as XAssistError;
      should(err.status).equal(401);
      should(err.message).match(/^xAssist rtc\/getCallLogById failed: 401 Unauthorized/);
      should(sim.count('rtc/getCallLogById')).equal(4);
      should(sim.count('refresh')).equal(2);
    });

    it('logs in again when the refresh is refused', async function () {
      const xassist = await clients.withRevokedToken();
      sim.tokens.revokeRefresh();
      await xassist.listUsers();
      should(sim.counts).eql({ login: 2, refresh: 1, 'users/list': 3 });
      should(capture.texts).containEql('xAssist token refresh failed (401): logging in again');
    });

    it('logs in again when the server has no refresh endpoint', async function () {
      sim.refreshPath = null;
      const xassist = await clients.withRevokedToken();
      await xassist.listUsers();
      should(sim.counts).eql({ login: 2, other: 1, 'users/list': 3 });
    });

    it('uses a configured refresh path under the tenant', async function () {
      sim.refreshPath = 'auth/token/refresh';
      const xassist = client({ refreshPath: '/auth/token/refresh' });
      await xassist.listUsers();
      sim.tokens.revokeAccess();
      await xassist.listUsers();
      should(sim.counts).eql({ login: 1, 'auth/token/refresh': 1, 'users/list': 3 });
      should(sim.paths).containEql('/acme/auth/token/refresh');
    });

    it('logs in without trying a refresh token known to be expired', async function () {
      let offset = 0;
      const xassist = client({}, { now: () => Date.now() + offset });
      await xassist.listUsers();
      offset = 25 * 3600_000; // past the 24-hour refresh token
      await xassist.listUsers();
      should(sim.counts).eql({ login: 2, 'users/list': 2 });
    });

    it('renews a JWT before it expires, so that no request meets a 401', async function () {
      await sim.close();
      sim = await startSimulator({ tokenLifetimeMs: 1_500 });
      const xassist = client();
      xassist.start();
      await nextRequest(sim, 'login');
      await nextRequest(sim, 'refresh');
      await xassist.listUsers();
      await nextRequest(sim, 'refresh');
      await xassist.listUsers();
      should(sim.count('login')).equal(1);
      should(sim.count('refresh')).equal(2);
      should(sim.count('users/list')).equal(2);
    });

    it('renews an opaque token after a 401', async function () {
      await sim.close();
      sim = await startSimulator({ jwt: false });
      const xassist = await clients.withRevokedToken();
      await xassist.listUsers();
      should(sim.counts).eql({ login: 1, refresh: 1, 'users/list': 3 });
    });
  });

  describe('lock-out safety and back-off', function () {
    it('with a wrong password, says so and tries one login however many requests come', async function () {
      const xassist = client({ password: 'not-the-password' });
      const states: string[] = [];
      xassist.on('state', (change) => states.push(change.state));
      xassist.start();
      const errors: XAssistError[] = [];
      const started = Date.now();
      while (Date.now() - started < 3_000) {
        errors.push((await capture.settle(xassist.listUsers())) as XAssistError);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      should(errors.length).be.above(50);
      should(sim.count('login')).equal(1);
      should(sim.count('users/list')).equal(0);
      for (const err of errors) {
        should(err.kind).equal('auth');
        should(err.mayHaveReachedServer).be.false();
        should(err.message).match(
          /^xAssist refused the login of 'connector' in domain 'ubimax': check the username, password and login domain \(Bad credentials\)/,
        );
      }
      should(errors.at(-1)?.message).match(/\(next attempt in \d+ s\)$/);
      should(states).eql(['connecting', 'auth-failed']);
      should(capture.leaks(['not-the-password'])).be.empty();
    });

    it('waits longer after each refused login', async function () {
      const waits: number[] = [];
      const xassist = client(
        { password: 'wrong-password' },
        { authRetry: { initialMs: 100, maxMs: 1_000 } },
      );
      // state changes are emitted synchronously, so retryAt - now is the wait chosen
      xassist.on('state', (change) => {
        if (change.state === 'auth-failed') waits.push((change.retryAt ?? 0) - Date.now());
      });
      xassist.start();
      while (sim.count('login') < 4) await nextRequest(sim, 'login');
      // equal jitter: the n-th wait lies in [step/2, step] with step = 100·2^n ms
      should(waits[0]).be.within(49, 100);
      should(waits[1]).be.within(99, 200);
      should(waits[2]).be.within(199, 400);
    });

    it('retries an unreachable server with growing waits and recovers when it is back', async function () {
      const port = Number(new URL(sim.url).port);
      await sim.close();
      const changes: StateChange[] = [];
      const waits: number[] = [];
      const xassist = client({}, { retry: { initialMs: 50, maxMs: 400 } });
      xassist.on('state', (change) => {
        changes.push(change);
        if (change.state === 'unreachable') waits.push((change.retryAt ?? 0) - Date.now());
      });
      xassist.start();
      for (let i = 0; i < 2; i++) {
        // the first request shares the failing login, the second meets the back-off
        const down = (await capture.settle(xassist.listUsers())) as XAssistError;
        should(down.kind).equal(i === 0 ? 'network' : 'unavailable');
        should(down.mayHaveReachedServer).be.false();
        should(down.message).match(/cannot reach the server \(ECONNREFUSED\)/);
      }
      while (changes.filter((change) => change.state === 'unreachable').length < 4) {
        await once(xassist, 'state');
      }
      await sim.listen(port);
      while (xassist.state !== 'connected') await once(xassist, 'state');
      const page = await xassist.listUsers();
      should(page.content.length).be.above(0);
      should(sim.count('login')).equal(1);
      should(waits[0]).be.within(24, 50);
      should(waits[1]).be.within(49, 100);
      should(waits[2]).be.within(99, 200);
      should(waits[3]).be.within(199, 400);
    });

    it('honours Retry-After on a 429 from login', async function () {
      sim.addFault({ endpoint: 'login', type: 'status', status: 429, retryAfter: 30 });
      const xassist = client();
      const err = (await capture.settle(xassist.listUsers())) as XAssistError;
      should(err.status).equal(429);
      should(err.retryAfterMs).equal(30_000);
      const again = (await capture.settle(xassist.listUsers())) as XAssistError;
      should(again.message).match(/next attempt in (29|30) s/);
      should(sim.count('login')).equal(1);
    });
  });

  describe('errors', function () {
    it('reports a timeout as one that may have reached the server', async function () {
      const xassist = client({ timeoutMs: 200 });
      await xassist.listUsers();
      sim.addFault({ endpoint: 'rtc/createCall', type: 'latency', ms: 1_000 });
      const err = (await capture.settle(xassist.createCall(SEED_BODY))) as XAssistError;
      should(err.kind).equal('timeout');
      should(err.mayHaveReachedServer).be.true();
      should(err.path).equal('rtc/createCall');
    });

    it('reports a connection dropped after the server acted as one that reached it', async function () {
      const xassist = client();
      sim.addFault({ endpoint: 'rtc/createCall', type: 'drop-after' });
      const err = (await capture.settle(xassist.createCall(SEED_BODY))) as XAssistError;
      should(err.kind).equal('network');
      should(err.mayHaveReachedServer).be.true();
      should(sim.calls.list(10)).have.length(1);
    });

    it('reports a refused connection as one that did not reach the server', async function () {
      await sim.close();
      const xassist = client();
      const err = (await capture.settle(xassist.createCall(SEED_BODY))) as XAssistError;
      should(err.kind).equal('network');
      should(err.path).equal('login');
      should(err.code).equal('ECONNREFUSED');
      should(err.mayHaveReachedServer).be.false();
    });

    it('gives the Spring message of a validation error', async function () {
      const xassist = client();
      const err = (await capture.settle(
        xassist.createCall({ ...SEED_BODY, callType: 'VIDEO' }),
      )) as XAssistError;
      should(err.status).equal(400);
      should(err.serverMessage).match(
        /not one of the values accepted for Enum class: \[MESH, SFU\]/,
      );
      should(err.message).startWith(
        'xAssist rtc/createCall failed: 400 Bad Request – JSON parse error',
      );
    });

    it('reports a body that is not the API’s', async function () {
      const xassist = client();
      sim.addFault({ endpoint: 'users/list', type: 'garbage' });
      const err = (await capture.settle(xassist.listUsers())) as XAssistError;
      should(err.kind).equal('response');
      should(err.message).equal('xAssist users/list answered with an unexpected body');
    });

    it('gives back no error that carries the request, its headers or a token', async function () {
      const xassist = client();
      await xassist.listUsers();
      sim.addFault({ endpoint: 'users/list', type: 'status', status: 500 });
      const err = (await capture.settle(xassist.listUsers())) as XAssistError;
      should(Object.keys(err)).not.containEql('config');
      should(Object.keys(err)).not.containEql('request');
      should(Object.keys(err)).not.containEql('cause');
    });
  });
});
