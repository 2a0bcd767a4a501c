import { once } from 'node:events';
import should from 'should';
import { CallMaker } from '../../src/calls/call-maker';
import { CallLedger, SharedClaims } from '../../src/calls/ledger';
import type { Simulator } from '../../src/sim';
import { SharedState } from '../../src/state/shared-state';
import { XAssistClient } from '../../src/xassist';
import { RedisServer } from '../support/redis';
import { CONNECTOR, startSimulator } from '../support/simulator';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** One Node-RED instance's server node, as far as making calls goes: its client and ledger. */
async function instance(redis: RedisServer, sim: Simulator, name: string) {
  const shared = new SharedState(
    { url: redis.url, prefix: 'claims-test:', leaseMs: 2_000 },
    quiet,
    name,
  );
  if (shared.status !== 'ready') await once(shared, 'status');
  should(shared.status).equal('ready');
  const client = new XAssistClient({ url: sim.tenantUrl, ...CONNECTOR });
  const ledger = new CallLedger(undefined, new SharedClaims(shared, 'server', () => undefined));
  return { shared, client, ledger, maker: new CallMaker(client, ledger) };
}

describe('the ledger of calls taken, shared by an active-active pair in Redis', function () {
  this.timeout(30_000);
  const redis = new RedisServer();
  let sim: Simulator;
  before(() => redis.start());
  after(() => redis.stop());
  beforeEach(async () => (sim = await startSimulator()));
  afterEach(() => sim.close());

  it('lets one instance only take a call, and gives two identical alarms whose answers were lost at both instances a call each', async function () {
    const a = await instance(redis, sim, 'a');
    const b = await instance(redis, sim, 'b');
    try {
      should(await a.ledger.claim('call-x')).be.true();
      should(await b.ledger.claim('call-x')).be.false();

      const body = {
        callType: 'SFU' as const,
        callTitle: 'Line 7',
        invitedContacts: [{ userId: 'expert1', userDbId: 9 }],
      };
      sim.addFault({ endpoint: 'rtc/createCall', type: 'drop-after', count: 2 });
      const attempt = {
        until: Date.now() + 10_000,
        // the back-off's wait (a quarter to half a second): both requests have landed by then
        wait: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
      };
      const [fromA, fromB] = await Promise.all([
        a.maker.make(() => Promise.resolve(body), attempt),
        b.maker.make(() => Promise.resolve(body), attempt),
      ]);
      should([fromA.recovered, fromB.recovered]).eql([true, true]);
      should(fromA.call.callId).not.equal(fromB.call.callId);
      should(sim.calls.all()).have.length(2);

      // A's answer is slow; B's is lost, and B's look-up finds A's call before A's answer comes
      sim.addFault({ endpoint: 'rtc/createCall', type: 'latency-after', ms: 1_500 });
      const sent = new Promise<void>((resolve) =>
        sim.on('request', (endpoint) => endpoint === 'rtc/createCall' && resolve()),
      );
      const slow = a.maker.make(() => Promise.resolve(body), attempt);
      await sent;
      sim.addFault({ endpoint: 'rtc/createCall', type: 'drop-after' });
      const lost = await b.maker.make(() => Promise.resolve(body), attempt);
      const answered = await slow;
      should(lost.recovered).be.true();
      // A's own call was taken: A takes the call of B's lost request instead
      should(answered.recovered).be.true();
      should(answered.call.callId).not.equal(lost.call.callId);
      should(sim.calls.all()).have.length(4);
    } finally {
      await Promise.all([a.client.close(), b.client.close(), a.shared.close(), b.shared.close()]);
    }
  });
});
