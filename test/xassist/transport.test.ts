import should from 'should';
import type { Simulator } from '../../src/sim';
import { XAssistError, type ServerSettings } from '../../src/xassist';
import type { Capture } from '../support/capture';
import { TestClients } from '../support/clients';
import { startProxy, type CountingProxy } from '../support/proxy';
import { startSimulator } from '../support/simulator';
import { loopbackCertificate } from '../support/tls';

describe('XAssistClient transport: TLS and proxies', function () {
  let sim: Simulator;
  let capture: Capture;
  const clients = new TestClients(() => sim);
  const client = (settings: Partial<ServerSettings> = {}) => clients.create(settings);

  beforeEach(function () {
    capture = clients.capture;
  });

  afterEach(async function () {
    await clients.closeAndCheckSecrets();
  });

  describe('a server whose certificate no public CA signed', function () {
    let certificate: { key: string; cert: string };

    before(async function () {
      certificate = await loopbackCertificate();
    });

    beforeEach(async function () {
      sim = await startSimulator({ tls: certificate });
    });

    it('is trusted with its CA from the TLS settings', async function () {
      should(sim.tenantUrl).startWith('https://127.0.0.1:');
      const page = await client({ tls: { ca: certificate.cert } }).listUsers();
      should(page.content.length).be.above(0);
    });

    it('is refused without it, with a hint to add the CA, and nothing is sent', async function () {
      const err = (await capture.settle(client().listUsers())) as XAssistError;
      should(err.kind).equal('tls');
      should(err.mayHaveReachedServer).be.false();
      should(err.message).match(/TLS certificate was refused \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
      should(err.message).match(/add that CA in a TLS configuration/);
      should(sim.counts).eql({});
    });

    it('is accepted unverified only when the TLS settings turn verification off', async function () {
      const page = await client({ tls: { rejectUnauthorized: false } }).listUsers();
      should(page.content.length).be.above(0);
    });
  });

  describe('proxies', function () {
    let proxy: CountingProxy;
    const saved = { ...process.env };

    beforeEach(async function () {
      sim = await startSimulator();
      proxy = await startProxy();
    });

    afterEach(async function () {
      for (const name of [
        'http_proxy',
        'HTTP_PROXY',
        'https_proxy',
        'HTTPS_PROXY',
        'no_proxy',
        'NO_PROXY',
      ]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await proxy.close();
    });

    it('goes through a configured proxy, with its credentials', async function () {
      const xassist = client({
        proxy: { url: proxy.url, username: 'proxy-user', password: 'proxy-secret' },
      });
      await xassist.listUsers();
      await xassist.listUsers();
      // hpagent tunnels with CONNECT and keeps the tunnel: every connection the server saw is one
      should(proxy.seen).be.above(0);
      should(sim.connections).equal(proxy.seen);
      should(sim.counts).eql({ login: 1, 'users/list': 2 });
      should(proxy.authorizations[0]).equal(
        `Basic ${Buffer.from('proxy-user:proxy-secret').toString('base64')}`,
      );
      should(capture.leaks(['proxy-secret'])).be.empty();
    });

    it('bypasses a configured proxy for hosts on its no-proxy list', async function () {
      await client({
        proxy: { url: proxy.url, noProxy: ['example.com', '127.0.0.1'] },
      }).listUsers();
      should(proxy.seen).equal(0);
      should(sim.connections).be.above(0);
      should(sim.count('users/list')).equal(1);
    });

    it('follows http_proxy from the environment, and no_proxy', async function () {
      process.env.http_proxy = proxy.url;
      delete process.env.no_proxy;
      delete process.env.NO_PROXY;
      await client().listUsers();
      should(proxy.seen).be.above(0);
      should(sim.connections).equal(proxy.seen);

      process.env.no_proxy = 'localhost,127.0.0.1';
      const tunnels = proxy.seen;
      await client().listUsers();
      should(proxy.seen).equal(tunnels);
      should(sim.connections).be.above(tunnels);
    });

    it('reports a proxy that cannot be reached as a request that was not sent', async function () {
      await proxy.close();
      const err = (await capture.settle(
        client({ proxy: { url: proxy.url } }).listUsers(),
      )) as XAssistError;
      should(err.kind).equal('network');
      should(err.mayHaveReachedServer).be.false();
      should(sim.counts).eql({});
    });
  });
});
