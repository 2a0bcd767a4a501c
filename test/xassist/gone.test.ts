import should from 'should';
import type { Simulator } from '../../src/sim';
import { XAssistError, type XAssistClient } from '../../src/xassist';
import { TestClients } from '../support/clients';
import { startGateway, type Gateway } from '../support/gateway';
import { startCall, startSimulator } from '../support/simulator';

const PROBE = 'rtc/getFilteredCallLogsV2';
const NO_SUCH_CALL = '00000000-0000-4000-8000-000000000000';

/** callIsGone: a 404 for a call is believed only as the server's JSON answer while it answers. */
describe('XAssistClient.callIsGone', function () {
  let sim: Simulator;
  const clients = new TestClients(() => sim);

  beforeEach(async () => (sim = await startSimulator()));
  afterEach(() => clients.closeAndCheckSecrets());

  /** What reading `callId` throws. */
  async function readError(xassist: XAssistClient, callId: string): Promise<XAssistError> {
    const err = await xassist.getCallLogById(callId).then(
      () => should.fail(undefined, undefined, 'the read succeeded'),
      (failure: unknown) => failure,
    );
    should(err).be.instanceOf(XAssistError);
    return err as XAssistError;
  }

  it("believes the server's JSON 404 for a deleted call, at the cost of one small read", async function () {
    const xassist = clients.create();
    const call = startCall(sim);
    await xassist.getCallLogById(call.callId);
    sim.calls.clear();
    const err = await readError(xassist, call.callId);
    should(err).match({ status: 404, json: true, path: 'rtc/getCallLogById' });
    should(await xassist.callIsGone(err)).be.true();
    should(sim.count(PROBE)).equal(1);
    should(sim.paths.at(-1)).equal(`/acme/${PROBE}`);
  });

  it('asks once for any number of 404s answered meanwhile', async function () {
    const xassist = clients.create();
    await xassist.listUsers();
    const errors = await Promise.all(
      Array.from({ length: 10 }, () => readError(xassist, NO_SUCH_CALL)),
    );
    should(await Promise.all(errors.map((err) => xassist.callIsGone(err)))).matchEach(true);
    should(sim.count(PROBE)).equal(1);
  });

  it('asks nothing when a request sent after the 404 was answered', async function () {
    const xassist = clients.create();
    const err = await readError(xassist, NO_SUCH_CALL);
    await xassist.listUsers();
    should(await xassist.callIsGone(err)).be.true();
    should(sim.count(PROBE)).equal(0);
  });

  it('does not take a success sent before the 404 for one after it', async function () {
    const xassist = clients.create();
    await xassist.listUsers();
    sim.outage(60_000, { status: 404 });
    const err = await readError(xassist, NO_SUCH_CALL);
    should(err.json).be.true();
    should(await xassist.callIsGone(err)).be.false();
    should(sim.count(PROBE)).equal(1);
  });

  it('does not believe a JSON 404 while every request gets one (a URL without its tenant path)', async function () {
    const xassist = clients.create();
    const call = startCall(sim);
    await xassist.getCallLogById(call.callId);
    sim.outage(60_000, { status: 404 });
    const errors = await Promise.all([
      readError(xassist, call.callId),
      readError(xassist, call.callId),
    ]);
    should(await Promise.all(errors.map((err) => xassist.callIsGone(err)))).eql([false, false]);
    should(sim.count(PROBE)).equal(1);
  });

  describe('behind a gateway that answers a 404 of its own', function () {
    let gateway: Gateway;

    beforeEach(async function () {
      gateway = await startGateway(sim.url);
      gateway.pages = 'rtc/getCallLogById';
    });

    afterEach(async function () {
      await gateway.close();
    });

    const pages: Array<[string, { contentType: string; body: string }]> = [
      ['an HTML page', { contentType: 'text/html', body: '<html><body>Not Found</body></html>' }],
      ['an empty body', { contentType: 'text/plain', body: '' }],
      ['a text', { contentType: 'text/plain', body: 'Not Found' }],
      [
        'JSON labelled as HTML',
        { contentType: 'text/html', body: '{"status":404,"error":"Not Found"}' },
      ],
    ];
    for (const [what, page] of pages) {
      it(`believes no 404 with ${what}, and asks nothing`, async function () {
        gateway.page = page;
        const xassist = clients.create({ url: `${gateway.url}${sim.tenant}/` });
        await xassist.listUsers();
        const err = await readError(xassist, startCall(sim).callId);
        should(err).match({ status: 404, json: false });
        await xassist.listUsers();
        should(await xassist.callIsGone(err)).be.false();
        should(sim.count(PROBE)).equal(0);
        should(gateway.pagesSent).equal(1);
      });
    }
  });

  it('believes no other failure', async function () {
    const xassist = clients.create();
    await xassist.listUsers();
    sim.addFault({ endpoint: 'rtc/getCallLogById', type: 'status', status: 500 });
    const failures = [
      await readError(xassist, NO_SUCH_CALL),
      new Error('404'),
      new XAssistError('http', 'xAssist users/list failed: 404', {
        status: 404,
        path: 'users/list',
        json: true,
        mayHaveReachedServer: true,
      }),
    ];
    for (const err of failures) should(await xassist.callIsGone(err)).be.false();
    should(sim.count(PROBE)).equal(0);
  });
});
