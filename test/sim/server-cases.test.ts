import should from 'should';
import type { Simulator } from '../../src/sim';
import type { CallLog } from '../../src/xassist';
import { CONNECTOR, startSimulator } from '../support/simulator';

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
});
