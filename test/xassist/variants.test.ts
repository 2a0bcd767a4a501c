import should from 'should';
import type { Simulator } from '../../src/sim';
import { DATE_STYLES } from '../../src/sim/date-forms';
import type { RefreshFault } from '../../src/sim/variants';
import { flowDate, serverDate, XAssistError, type ServerSettings } from '../../src/xassist';
import { callsLike } from '../../src/calls/find-made';
import { TestClients } from '../support/clients';
import { startCall, startSimulator } from '../support/simulator';

/** What a real server may do differently (shared/xassist-api.md, "Variants"), client side. */
describe('XAssistClient against the server variants', function () {
  let sim: Simulator;
  const clients = new TestClients(() => sim);
  const client = (settings: Partial<ServerSettings> = {}) => clients.create(settings);

  beforeEach(async () => (sim = await startSimulator()));
  afterEach(() => clients.closeAndCheckSecrets());

  describe('serverDate', function () {
    it('reads ISO texts, epoch milliseconds and numeric texts, and nothing else', function () {
      const ms = Date.UTC(2026, 10, 25, 13, 0, 0);
      should(serverDate('2026-11-25T13:00:00Z')).equal(ms);
      should(serverDate('2026-11-25T13:00:00.000+00:00')).equal(ms);
      should(serverDate(ms)).equal(ms);
      should(serverDate(String(ms))).equal(ms);
      should(serverDate(` ${ms} `)).equal(ms);
      for (const none of [null, undefined, '', 'tomorrow', NaN, Infinity, {}, [], 1e20, 'Tue'])
        should(serverDate(none)).be.undefined();
    });

    describe('on a machine whose local time is not UTC', function () {
      const zone = process.env.TZ;
      beforeEach(() => (process.env.TZ = 'Europe/Berlin'));
      afterEach(() => (zone === undefined ? delete process.env.TZ : (process.env.TZ = zone)));

      it('reads an offset as the instant it names, and a text without zone as UTC', function () {
        const ms = Date.UTC(2026, 10, 25, 13, 0, 0, 120);
        // the machine is in Berlin indeed: JavaScript would read a zone-less text an hour off
        should(Date.parse('2026-11-25T13:00:00.120')).equal(ms - 3_600_000);
        for (const sameInstant of [
          '2026-11-25T15:00:00.120+02:00',
          '2026-11-25T15:00:00.12+0200',
          '2026-11-25T08:00:00.120-05',
          '2026-11-25T13:00:00.120',
          '2026-11-25 13:00:00.120',
          '2026-11-25T13:00:00.120456789',
          '2026-11-25T14:00:00.120+01:00[Europe/Berlin]',
          String(ms),
        ]) {
          should(serverDate(sameInstant)).equal(ms, sameInstant);
        }
        should(serverDate('2026-11-25T13:00')).equal(Date.UTC(2026, 10, 25, 13, 0));
        should(serverDate('2026-11-25')).equal(Date.UTC(2026, 10, 25));
        for (const none of ['2026-13-01T00:00:00', '2026-11-25T25:00:00Z', '2026-11-25T13:00 GMT'])
          should(serverDate(none)).be.undefined();
      });

      it('reads a date a flow gives without zone as local time, as JavaScript does', function () {
        should(flowDate('2026-11-25T13:00:00')).equal(Date.UTC(2026, 10, 25, 12, 0, 0));
        should(flowDate('2026-11-25T13:00:00Z')).equal(Date.UTC(2026, 10, 25, 13, 0, 0));
        should(flowDate(' 1764072000000 ')).equal(1764072000000);
        should(flowDate('tomorrow')).be.undefined();
      });
    });
  });

  for (const expiredStatus of [401, 403] as const) {
    describe(`a dead token answered with ${expiredStatus}`, function () {
      beforeEach(function () {
        sim.variants.expiredStatus = expiredStatus;
      });

      it('renews the token once for 50 concurrent requests, and repeats each once', async function () {
        const xassist = client();
        await xassist.listUsers({ userid: 'expert1' });
        sim.tokens.revokeAccess();
        const answers = await Promise.all(
          Array.from({ length: 50 }, () => xassist.listUsers({ userid: 'expert1' })),
        );
        should(answers.every((page) => page.content.length === 1)).be.true();
        should(sim.count('refresh')).equal(1);
        should(sim.count('login')).equal(1);
        should(sim.count('users/list')).equal(101);
      });
    });
  }

  describe('a 403 that a fresh token gets too', function () {
    it('is a permission error, named as such, and the next one within a minute renews nothing', async function () {
      const xassist = client();
      await xassist.listUsers();
      sim.addFault({
        endpoint: 'rtc/getFilteredCallLogsV2',
        type: 'status',
        status: 403,
        count: 2,
      });
      const err = (await clients.capture.settle(xassist.getFilteredCallLogs(5))) as XAssistError;
      should(err).be.instanceOf(XAssistError);
      should(err.kind).equal('forbidden');
      should(err.message).match(
        /^xAssist rtc\/getFilteredCallLogsV2: the user 'connector' is not allowed to do this \(403/,
      );
      should(sim.count('refresh')).equal(1);
      sim.addFault({
        endpoint: 'rtc/getFilteredCallLogsV2',
        type: 'status',
        status: 403,
        count: 5,
      });
      for (let i = 0; i < 5; i++) {
        const again = (await clients.capture.settle(
          xassist.getFilteredCallLogs(5),
        )) as XAssistError;
        should(again.kind).equal('forbidden');
      }
      should(sim.count('refresh')).equal(1);
      should(sim.count('login')).equal(1);
      // what is allowed still works with the same token
      await xassist.listUsers();
      should(sim.count('refresh')).equal(1);
    });
  });

  const faults: RefreshFault[] = ['none', '500', 'html', 'redirect', 'no-token'];
  for (const refreshFault of faults) {
    it(`logs in again when the refresh endpoint answers ${refreshFault}`, async function () {
      const xassist = client();
      await xassist.listUsers();
      sim.variants.refreshFault = refreshFault;
      sim.tokens.revokeAccess();
      const page = await xassist.listUsers({ userid: 'expert1' });
      should(page.content).have.length(1);
      should(sim.count('refresh')).equal(1);
      should(sim.count('login')).equal(2);
      // the refresh token was dropped: the next renewal goes to the refresh endpoint only
      // with the one the new login gave
      sim.tokens.revokeAccess();
      await xassist.listUsers({ userid: 'expert1' });
      should(sim.count('login')).equal(3);
      should(sim.count('refresh')).equal(2);
    });
  }

  it('does not log in when the refresh cannot reach the server, and waits before trying again', async function () {
    const xassist = await clients.withRevokedToken();
    sim.addFault({ endpoint: 'refresh', type: 'drop' });
    const err = (await clients.capture.settle(xassist.listUsers())) as XAssistError;
    should(err.kind).equal('network');
    should(sim.count('login')).equal(1);
  });

  it('with refresh path none, always logs in and never asks for a refresh', async function () {
    const xassist = client({ refreshPath: 'none' });
    await xassist.listUsers();
    sim.tokens.revokeAccess();
    await Promise.all(Array.from({ length: 20 }, () => xassist.listUsers()));
    should(sim.count('refresh')).equal(0);
    should(sim.count('login')).equal(2);
  });

  describe('on a machine in Berlin', function () {
    // a date without a zone read as local time would be an hour off here
    const zone = process.env.TZ;
    beforeEach(() => (process.env.TZ = 'Europe/Berlin'));
    afterEach(() => (zone === undefined ? delete process.env.TZ : (process.env.TZ = zone)));

    for (const listOrder of ['desc', 'asc', 'shuffle'] as const) {
      for (const dates of DATE_STYLES) {
        it(`finds the newest calls in pages ordered ${listOrder}, with ${dates} dates`, async function () {
          for (let i = 0; i < 60; i++) startCall(sim, ['expert1']);
          const since = Date.now();
          const made = startCall(sim, ['expert3']);
          sim.variants.listOrder = listOrder;
          sim.variants.dates = dates;
          const xassist = client();
          const page = await xassist.getFilteredCallLogs(50);
          const ids = page.content.map((call) => call.id as number);
          should(ids).eql([...ids].sort((a, b) => b - a));
          should(ids[0]).equal(made.id);
          const body = { callType: 'SFU' as const, callTitle: 'Line 7', invitedContacts: [] };
          const found = callsLike(
            page.content,
            { ...body, invitedContacts: made.invitedContacts ?? [] },
            since,
          );
          should(found.map((call) => call.callId)).eql([made.callId]);
        });
      }
    }
  });
});
