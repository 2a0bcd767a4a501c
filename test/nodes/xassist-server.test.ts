import { once } from 'node:events';
import type { Node, NodeStatus } from 'node-red';
import should from 'should';
import type { CheckReport } from '../../src/check/run';
import type { XAssistServerNode } from '../../src/node-red/types';
import { CHECK_TIME_LIMIT_MS, checkServer } from '../../src/nodes/server/check';
import type { Simulator } from '../../src/sim';
import { Capture } from '../support/capture';
import {
  activeResources,
  type FlowNode,
  handlesReleased,
  callStatusNode,
  createCallNode,
  helper,
  httpProxyNode,
  loadFlow,
  loggedTexts,
  serverNode,
  statusesOf,
  statusMatching,
  tlsConfigNode,
} from '../support/node-red';
import { startProxy } from '../support/proxy';
import { CONNECTOR, nextRequest, startSimulator } from '../support/simulator';
import { loopbackCertificate } from '../support/tls';

const NODES = [serverNode, createCallNode, callStatusNode, tlsConfigNode, httpProxyNode];
const red = (status: NodeStatus) => status.fill === 'red' && status.shape === 'ring';

interface FlowOptions {
  url?: string;
  password?: string;
  server?: Record<string, unknown>;
  extra?: FlowNode[];
  credentials?: Record<string, Record<string, string>>;
}

describe('xassist-server config node', function () {
  let sim: Simulator;
  let capture: Capture;

  function flow(options: FlowOptions = {}) {
    const nodes = [
      {
        id: 'server',
        type: 'xassist-server',
        url: options.url ?? sim.tenantUrl,
        domain: 'ubimax',
        ...options.server,
      },
      { id: 'flow', type: 'tab', label: 'test' },
      { id: 'create', type: 'xassist-create-call', z: 'flow', server: 'server', wires: [[]] },
      { id: 'follow', type: 'xassist-call-status', z: 'flow', server: 'server', wires: [[]] },
      ...(options.extra ?? []),
    ];
    const credentials = {
      server: { username: CONNECTOR.username, password: options.password ?? CONNECTOR.password },
      ...options.credentials,
    };
    return { nodes, credentials };
  }

  async function load(options: FlowOptions = {}) {
    const { nodes, credentials } = flow(options);
    await loadFlow(NODES, nodes, credentials);
    return { create: helper.getNode('create') as Node, follow: helper.getNode('follow') as Node };
  }

  /** Resolves once the server node's client is connected (nodes show no status for that). */
  async function connected(): Promise<void> {
    const client = (helper.getNode('server') as XAssistServerNode).api?.client;
    while (client && client.state !== 'connected') await once(client, 'state');
  }

  /** Records what a user could see of the flow before it is unloaded. */
  function captureFlow() {
    for (const id of ['create', 'follow']) {
      const node = helper.getNode(id) as Node | null;
      if (node) statusesOf(node).forEach((status) => capture.add(status));
    }
    loggedTexts().forEach((text) => capture.add(text));
  }

  beforeEach(async function () {
    sim = await startSimulator();
    capture = new Capture();
  });

  afterEach(async function () {
    captureFlow();
    await helper.unload();
    await sim.close();
    should(capture.leaks([CONNECTOR.password, 'wrong-password', ...sim.tokens.issued])).be.empty();
  });

  it('logs in once for all its nodes, and leaves their own status alone while it connects', async function () {
    const { create, follow } = await load();
    await connected();
    should(sim.counts).eql({ login: 1 });
    // a node shows what it does; the connection only when it has a problem
    for (const node of [create, follow]) {
      should(statusesOf(node).filter((status) => Object.keys(status).length)).eql([]);
    }
  });

  it('with a wrong password, shows "wrong credentials", warns once and does not retry at once', async function () {
    const { create, follow } = await load({ password: 'wrong-password' });
    const status = await statusMatching(create, red);
    should(status.text).equal('xassist-server.status.auth-failed');
    await statusMatching(follow, red);
    const warnings = loggedTexts().filter((text) => text.includes('xAssist refused the login'));
    should(warnings).have.length(1);
    should(warnings[0]).match(/check the username, password and login domain/);
    should(sim.counts).eql({ login: 1 });
  });

  it('shows "wrong credentials" again on a node deployed while the login waits', async function () {
    const { create } = await load({ password: 'wrong-password' });
    await statusMatching(create, red);
    const server = helper.getNode('server') as XAssistServerNode;
    server.deregister(create);
    server.deregister(helper.getNode('follow') as Node);
    const told: Array<NodeStatus | undefined> = [];
    server.register(create, (problem) => told.push(problem));
    // idle (no problem) as the client starts again, then the problem it still has
    should(told.at(-1)).eql({
      fill: 'red',
      shape: 'ring',
      text: 'xassist-server.status.auth-failed',
    });
    should(sim.counts).eql({ login: 1 });
  });

  it('with invalid settings, logs which one, shows "invalid settings" and sends nothing', async function () {
    const { create } = await load({ url: 'frontline.example.com/acme' });
    should(statusesOf(create)).eql([
      { fill: 'red', shape: 'ring', text: 'xassist-server.status.invalid' },
    ]);
    should(loggedTexts().some((text) => text.includes('Server URL is not a valid URL'))).be.true();
    should(sim.counts).eql({});
  });

  it('shows "unreachable" while the server is down, and the node\'s own status when it is back', async function () {
    const port = Number(new URL(sim.url).port);
    await sim.close();
    const { create } = await load();
    const status = await statusMatching(create, red);
    should(status.text).equal('xassist-server.status.unreachable');
    await sim.listen(port);
    // the problem is over: the node's own status (none yet) comes back
    const redAt = statusesOf(create).indexOf(status);
    const cleared = () =>
      statusesOf(create)
        .slice(redAt + 1)
        .some((shown) => Object.keys(shown).length === 0);
    while (!cleared()) await once(create as unknown as NodeJS.EventEmitter, 'call:status');
    should(sim.count('login')).equal(1);
  });

  describe('with a server whose certificate comes from a private CA', function () {
    let certificate: { key: string; cert: string };
    // as the editor saves a tls-config node whose CA was uploaded
    const tls = {
      id: 'tls',
      type: 'tls-config',
      cert: '',
      key: '',
      ca: '',
      certname: '',
      keyname: '',
      caname: 'ca.pem',
      servername: '',
      verifyservercert: true,
      alpnprotocol: '',
    };

    before(async function () {
      certificate = await loopbackCertificate();
    });

    beforeEach(async function () {
      await sim.close();
      sim = await startSimulator({ tls: certificate });
    });

    it('connects with the CA given in a tls-config node', async function () {
      await load({
        server: { tls: 'tls' },
        extra: [tls],
        credentials: { tls: { cadata: certificate.cert } },
      });
      await connected();
      should(sim.counts).eql({ login: 1 });
    });

    it('refuses the server without it, and says how to fix it', async function () {
      const { create } = await load({ server: { tls: 'tls' }, extra: [tls] });
      should((await statusMatching(create, red)).text).equal('xassist-server.status.tls-failed');
      should(loggedTexts().some((text) => text.includes('TLS certificate was refused'))).be.true();
      should(sim.counts).eql({});
    });
  });

  it('sends its requests through an http proxy config node', async function () {
    const proxy = await startProxy();
    try {
      await load({
        server: { proxy: 'proxy' },
        extra: [{ id: 'proxy', type: 'http proxy', url: proxy.url, noproxy: [] }],
        credentials: { proxy: { username: 'proxy-user', password: 'proxy-secret' } },
      });
      await connected();
      should(proxy.seen).be.above(0);
      should(sim.connections).equal(proxy.seen);
      should(proxy.authorizations[0]).equal(
        `Basic ${Buffer.from('proxy-user:proxy-secret').toString('base64')}`,
      );
    } finally {
      await proxy.close();
    }
  });

  it('on close leaves no timer or socket behind, even with a renewal in flight', async function () {
    await sim.close();
    sim = await startSimulator({ tokenLifetimeMs: 2_000 });
    const before = activeResources();
    await load();
    await connected();
    await nextRequest(sim, 'refresh');
    captureFlow();
    await helper.unload();
    await sim.close();
    await handlesReleased();
    should(activeResources().Timeout ?? 0).equal(before.Timeout ?? 0);
    should(activeResources().TCPSocketWrap ?? 0).be.belowOrEqual(before.TCPSocketWrap ?? 0);
  });

  it('stops renewing when its last node is gone and starts again with a new one', async function () {
    const { create } = await load();
    await connected();
    const server = helper.getNode('server') as XAssistServerNode;
    const follow = helper.getNode('follow') as Node;
    server.deregister(create);
    should(server.api?.client.state).equal('connected');
    server.deregister(follow);
    should(server.api?.client.state).equal('idle');
    server.register(create, () => undefined);
    should(server.api?.client.state).equal('connected');
    should(sim.counts).eql({ login: 1 });
  });

  describe('admin endpoints for the editor', function () {
    /** What the dialog sends: its fields as they are, `__PWRD__` for the stored password. */
    const check = (settings: Record<string, unknown>) =>
      helper.request().post('/xassist-server/check').send(settings).expect(200);
    const dialog = {
      id: 'server',
      url: '',
      domain: 'ubimax',
      username: 'connector',
      password: '__PWRD__',
    };

    it('checks settings with the stored password: the login, then the report, no secret in it', async function () {
      await load();
      await connected();
      const logins = sim.count('login');
      const stored = await check({ ...dialog, url: sim.tenantUrl });
      should(stored.body).have.properties({
        ok: true,
        message: "logged in as 'connector'; 7 users visible",
      });
      const report = stored.body.report as CheckReport;
      should(report.server).eql({ url: sim.tenantUrl, domain: 'ubimax', username: 'connector' });
      should(report.findings.map((finding) => finding.id)).containDeep(['login', 'refresh']);
      // the simulator with its defaults is the server the package expects
      should(report.findings.filter((finding) => finding.verdict === 'differs')).eql([]);
      should(report.findings.some((finding) => finding.setting)).be.false();
      should(report.ms).be.below(CHECK_TIME_LIMIT_MS);
      should(stored.body.simArgs).containDeep(['--token-lifetime']);
      // the stored password worked twice: the package's login, then the check's; it only read
      should(sim.count('login') - logins).equal(2);
      should(sim.count('rtc/createCall')).equal(0);

      const wrong = await check({ ...dialog, url: sim.tenantUrl, password: 'wrong-password' });
      should(wrong.body.ok).be.false();
      should(wrong.body.message).match(
        /^xAssist refused the login of 'connector' in domain 'ubimax'/,
      );
      const invalid = await check({ url: 'nope' });
      should(invalid.body).eql({
        ok: false,
        message: 'Server URL is not a valid URL: use the form https://host/tenant/',
      });
      for (const answer of [stored, wrong, invalid]) {
        capture.add(answer.text);
        for (const secret of [CONNECTOR.password, 'wrong-password', ...sim.tokens.issued]) {
          should(answer.text).not.containEql(secret);
        }
      }
    });

    it('logs in once only when the login is refused: no second try from the check', async function () {
      await load();
      await connected();
      const before = sim.count('login');
      const wrong = await check({ ...dialog, url: sim.tenantUrl, password: 'wrong-password' });
      should(wrong.body.report).be.undefined();
      should(sim.count('login') - before).equal(1);
    });

    it('names the setting that handles a missing refresh endpoint, for the dialog to apply', async function () {
      await load();
      sim.variants.refreshFault = 'none';
      const answer = await check({ ...dialog, url: sim.tenantUrl, refreshPath: 'refresh' });
      const report = answer.body.report as CheckReport;
      const refresh = report.findings.find((finding) => finding.id === 'refresh');
      should(refresh).have.properties({
        verdict: 'differs',
        setting: { name: 'refreshPath', value: 'none' },
      });
      should(answer.body.simArgs).containDeep(['--refresh-fault', 'none']);
      // with that setting the check finds nothing left to set
      const applied = await check({ ...dialog, url: sim.tenantUrl, refreshPath: 'none' });
      const findings = (applied.body.report as CheckReport).findings;
      should(findings.filter((finding) => finding.setting)).eql([]);
      capture.add(answer.text);
      capture.add(applied.text);
    });

    it('ends within its time limit, login included, when the server stops answering reads', async function () {
      // the login and the first user read work; every call log read hangs until the server closes
      sim.addFault({
        endpoint: 'rtc/getFilteredCallLogsV2',
        type: 'latency',
        ms: 60_000,
        count: 0,
      });
      const started = Date.now();
      const answer = await checkServer(() => ({ url: sim.tenantUrl, ...CONNECTOR }), 2_000);
      // a margin for a loaded machine: the limit, and one turn of the check after it
      should(Date.now() - started).be.below(2_000 + 1_000);
      should(answer.ok).be.true();
      const calls = answer.report?.findings.find((finding) => finding.id === 'calls');
      should(calls).have.properties({ verdict: 'unknown' });
      should(calls?.found).startWith('no answer');
      capture.add(JSON.stringify(answer));
    });

    it('registers the check behind the write permission, the user list behind read', async function () {
      const routes = adminRoutes();
      should(routes.permissions).eql({
        'POST /xassist-server/check': 'xassist-server.write',
        'GET /xassist-server/:id/users': 'xassist-server.read',
      });
      // Node-RED's own rule: a user who may only read is refused before any request is made
      const readOnly = await routes.call('POST /xassist-server/check', ['read'], {
        ...dialog,
        url: sim.tenantUrl,
        password: CONNECTOR.password,
      });
      should(readOnly.status).equal(401);
      should(sim.counts).eql({});
      const writer = await routes.call('POST /xassist-server/check', ['read', 'write'], {
        ...dialog,
        id: undefined,
        url: sim.tenantUrl,
        password: CONNECTOR.password,
      });
      should(writer.status).equal(200);
      should(writer.body).have.properties({ ok: true });
      capture.add(JSON.stringify(writer.body));
    });

    it('lists users by login name, display name or email, without secrets', async function () {
      await load();
      const byName = await helper
        .request()
        .get('/xassist-server/server/users?q=expert')
        .expect(200);
      // in the server's order: by real name (Ben Backup, Erika Expert, Nina Nightshift)
      should(byName.body.map((user: { userId: string }) => user.userId)).eql([
        'expert2',
        'expert1',
        'expert3',
      ]);
      should(byName.body[1]).eql({
        userId: 'expert1',
        realName: 'Erika Expert',
        email: 'expert1@example.com',
      });
      const byEmail = await helper
        .request()
        .get('/xassist-server/server/users?q=test@test.de')
        .expect(200);
      should(byEmail.body.map((user: { userId: string }) => user.userId)).eql(['tester']);
      await helper.request().get('/xassist-server/nothing/users').expect(404);
      capture.add(byName.text);
      should(byName.text).not.containEql('password');
    });
  });
});

type Handler = (request: AdminRequest, response: AdminResponse, next: () => void) => void;
interface AdminRequest {
  body: unknown;
  params: Record<string, string>;
  query: Record<string, string>;
  authInfo: { scope: string[] };
}
interface AdminResponse {
  status(code: number): AdminResponse;
  json(body: unknown): void;
  end(): void;
}

/**
 * The server node's admin routes, registered on a stand-in for Node-RED's admin app whose
 * `needsPermission` applies Node-RED's own scope rule, as it does with adminAuth set (the
 * helper's lets every request through): a route's permission, and a call of it by a user of
 * some scope.
 */
function adminRoutes() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { hasPermission } = require('@node-red/editor-api/lib/auth/permissions') as {
    hasPermission(scope: string[], permission: string): boolean;
  };
  const routes = new Map<string, Handler[]>();
  const permissions = new Map<Handler, string>();
  const needsPermission = (permission: string) => {
    const check: Handler = (request, response, next) =>
      hasPermission(request.authInfo.scope, permission) ? next() : response.status(401).end();
    permissions.set(check, permission);
    return check;
  };
  const route =
    (method: string) =>
    (path: string, ...handlers: Handler[]) =>
      routes.set(`${method} ${path}`, handlers);
  serverNode({
    httpAdmin: { post: route('POST'), get: route('GET') },
    auth: { needsPermission },
    nodes: { registerType: () => undefined, getCredentials: () => undefined, getNode: () => null },
    _: (key: string) => key,
  });
  return {
    permissions: Object.fromEntries(
      [...routes].map(([name, handlers]) => [
        name,
        handlers.map((handler) => permissions.get(handler) ?? '').join(''),
      ]),
    ),
    call(name: string, scope: string[], body: unknown): Promise<{ status: number; body: unknown }> {
      const handlers = routes.get(name) ?? [];
      return new Promise((resolve) => {
        let status = 200;
        const response: AdminResponse = {
          status: (code) => {
            status = code;
            return response;
          },
          json: (answer) => resolve({ status, body: answer }),
          end: () => resolve({ status, body: undefined }),
        };
        const request = { body, params: {}, query: {}, authInfo: { scope } };
        const step = (index: number): void =>
          handlers[index](request, response, () => step(index + 1));
        step(0);
      });
    },
  };
}
