import should from 'should';
import type { Simulator } from '../../src/sim';
import { runCheck } from '../../src/check/run';
import { startGateway, type Gateway } from '../support/gateway';
import { loopbackCertificate } from '../support/tls';
import { CONNECTOR, startSimulator } from '../support/simulator';

/** What the check looks for beyond the REST API: live notifications, and an opt-in test call. */
describe('the server check: live notifications and the test call', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let gateway: Gateway | undefined;
  beforeEach(async () => (sim = await startSimulator({ history: { calls: 5 } })));
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    await sim.close();
  });

  const live = (url: string) =>
    runCheck({ url, ...CONNECTOR }).then((report) =>
      report.findings.find((finding) => finding.id === 'live'),
    );

  it('says nothing answers at the usual WebSocket paths of a server without them', async function () {
    should(await live(sim.tenantUrl)).have.properties({ verdict: 'expected' });
    should((await live(sim.tenantUrl))?.found).startWith('nothing at 6 usual paths');
  });

  it('names a SockJS endpoint where one answers, and subscribes to nothing', async function () {
    gateway = await startGateway(sim.url);
    gateway.pages = 'acme/ws/info';
    gateway.page = {
      status: 200,
      contentType: 'application/json',
      body: '{"entropy":1,"origins":["*:*"],"cookie_needed":true,"websocket":true}',
    };
    const finding = await live(`${gateway.url}acme/`);
    should(finding?.found).startWith('SockJS at ws/info (websocket: true)');
    should(gateway.pagesSent).equal(1);
  });

  it('makes one call to the technical user alone only when asked, reads it back, and ends in time', async function () {
    const started = Date.now();
    const report = await runCheck(
      { url: sim.tenantUrl, ...CONNECTOR },
      { createTestCall: true, timeLimitMs: 20_000 },
    );
    const made = sim.calls.all().filter((call) => call.title?.startsWith('xassist-check'));
    should(made).have.length(1);
    should(made[0].invitedContacts?.map((contact) => contact.userId)).eql([CONNECTOR.username]);
    const finding = report.findings.find((each) => each.id === 'test-call');
    should(finding).have.properties({ verdict: 'expected' });
    should(finding?.found).match(/^made and read back: status \w+, events .*Created/);
    should(Date.now() - started).be.below(20_000);
  });
});

describe('the server check over TLS', function () {
  this.timeout(30_000);
  let sim: Simulator;
  afterEach(() => sim.close());

  const reach = async (url: string, tls?: { ca: string; servername?: string }) => {
    const report = await runCheck({ url, ...CONNECTOR, tls });
    return report.findings.find((finding) => finding.id === 'reach');
  };

  it('says which certificate problem stops it: a private CA, or another name', async function () {
    const tls = await loopbackCertificate();
    sim = await startSimulator({ tls });
    const url = sim.tenantUrl;
    should(await reach(url)).have.properties({ verdict: 'unknown' });
    should((await reach(url))?.found).match(/private CA; give that CA in a TLS config node/);
    const otherName = { ca: tls.cert, servername: 'xassist.example.com' };
    should((await reach(url, otherName))?.found).match(/for another name than the URL's host/);
    should(await reach(url, { ca: tls.cert })).have.properties({ verdict: 'expected' });
  });
});
