import should from 'should';
import { CallMaker } from '../../src/calls/call-maker';
import { CallLedger } from '../../src/calls/ledger';
import type { Simulator } from '../../src/sim';
import type { CreateCallRequest } from '../../src/xassist';
import { TestClients } from '../support/clients';
import { startCall, startSimulator } from '../support/simulator';

/** A lost answer found on servers that page their calls differently (shared/xassist-api.md). */
describe('CallMaker against server variants', function () {
  let sim: Simulator;
  const clients = new TestClients(() => sim);

  beforeEach(async () => (sim = await startSimulator()));
  afterEach(() => clients.closeAndCheckSecrets());

  const body: CreateCallRequest = {
    callType: 'SFU',
    callTitle: 'Press 7',
    invitedContacts: [{ userId: 'expert1', userDbId: 9 }],
  };

  async function lostAnswer() {
    // older calls than a page holds, some just like this one
    for (let i = 0; i < 120; i++) startCall(sim, ['expert1']);
    sim.resetCounts();
    sim.addFault({ endpoint: 'rtc/createCall', type: 'drop-after' });
    const maker = new CallMaker(clients.create(), new CallLedger());
    return maker.make(() => Promise.resolve(body), {
      until: Date.now() + 10_000,
      wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
  }

  it('finds it on the last page of a server that ignores sort (oldest first)', async function () {
    sim.variants.listOrder = 'asc-always';
    const made = await lostAnswer();
    should(made.recovered).be.true();
    should(made.call.title).equal('Press 7');
    should(sim.calls.all()).have.length(121);
    should(sim.count('rtc/createCall')).equal(1);
    // the first page holds the oldest calls; the last (21 calls) has it, and the one before is
    // read as the last is not full
    should(sim.count('rtc/getFilteredCallLogsV2')).equal(3);
  });

  it('finds it on the first page of a server that caps the page size', async function () {
    sim.variants.pageSizeCap = 20;
    const made = await lostAnswer();
    should(made.recovered).be.true();
    should(sim.calls.all()).have.length(121);
    // newest first, as asked: the first page has it; the last two are read as well
    should(sim.count('rtc/getFilteredCallLogsV2')).equal(3);
  });

  it('finds it on a server that caps the page size and ignores sort, behind a newer call', async function () {
    sim.variants.pageSizeCap = 20;
    sim.variants.listOrder = 'asc-always';
    // another client makes a call once ours is made: ours is no longer on the last page alone
    sim.once('event', () => startCall(sim, ['expert2']));
    const made = await lostAnswer();
    should(made.recovered).be.true();
    should(made.call.title).equal('Press 7');
    should(sim.calls.all()).have.length(122);
    // 122 calls, 20 a page: the last page holds 2, the one before the 20 older
    should(sim.count('rtc/getFilteredCallLogsV2')).equal(3);
  });
});
