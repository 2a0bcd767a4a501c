import should from 'should';
import type { AnsweredCallLog, HistoryCall, Simulator, SimulatorOptions } from '../../src/sim';
import { serverDate, type CallLog } from '../../src/xassist';
import { CONNECTOR, startCall, startSimulator } from '../support/simulator';
import { startSimulatorCli } from '../support/simulator-cli';

const SECOND = 1_000;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** a fixed end, so that two simulators seeded alike hold the same calls */
const END_AT = Date.parse('2026-03-02T06:00:00.000Z');

async function login(sim: Simulator): Promise<string> {
  const response = await fetch(`${sim.tenantUrl}login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(CONNECTOR),
  });
  return String(((await response.json()) as { token: string }).token);
}

async function get<T>(sim: Simulator, token: string, path: string): Promise<T> {
  const response = await fetch(`${sim.tenantUrl}${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  should(response.status).equal(200);
  return (await response.json()) as T;
}

/** Every call, page by page as a client reads them (`sort=id,desc`). */
async function readAll(sim: Simulator, token: string, size = 100): Promise<AnsweredCallLog[][]> {
  const pages: AnsweredCallLog[][] = [];
  for (let page = 0; ; page += 1) {
    const answer = await get<{ content: AnsweredCallLog[]; last: boolean }>(
      sim,
      token,
      `rtc/getFilteredCallLogsV2?page=${page}&size=${size}&sort=id,desc`,
    );
    pages.push(answer.content);
    if (answer.last) return pages;
  }
}

/** The truth again, read from a call log as any client would (dates of either style). */
function truthOf(log: AnsweredCallLog): Omit<HistoryCall, 'id'> & { id: number | undefined } {
  const joins = (log.callEvents ?? []).filter((event) => event.type === 'Join');
  const firstJoin = joins[0];
  return {
    callId: log.callId,
    id: log.id,
    createdAt: Number(serverDate(log.callStart)),
    firstJoinAt: firstJoin ? Number(serverDate(firstJoin.time)) : null,
    firstJoinBy: firstJoin?.contact?.userId ?? null,
    joiners: joins.map((event) => String(event.contact?.userId)),
    endedAt: Number(serverDate(log.callEnd)),
    invitees: (log.invitedContacts ?? []).map((contact) => String(contact.userId)),
  };
}

/** A call without its invite link, which names the port of its simulator. */
function withoutLink<T extends { inviteLink?: unknown }>({ inviteLink: _link, ...log }: T) {
  return log;
}

describe('simulator: seeded call history', function () {
  const started: Simulator[] = [];
  const start = async (options: SimulatorOptions) => {
    const sim = await startSimulator(options);
    started.push(sim);
    return sim;
  };

  afterEach(async function () {
    await Promise.all(started.splice(0).map((sim) => sim.close()));
  });

  it('has no history unless asked', async function () {
    const sim = await start({});
    should(sim.history).eql([]);
    should(sim.calls.all()).be.empty();
  });

  it('seeds the same calls from the same seed, and others from another', async function () {
    const history = { calls: 200, seed: 42, endAt: END_AT };
    const [a, b, c] = await Promise.all([
      start({ history }),
      start({ history }),
      start({ history: { ...history, seed: 43 } }),
    ]);
    should(a.history).have.length(200);
    should(b.history).eql(a.history);
    should(c.history).not.eql(a.history);
    should(b.calls.all().map(withoutLink)).eql(a.calls.all().map(withoutLink));
  });

  it('mixes joins, no-joins and long calls, in time order within the span', async function () {
    const sim = await start({ history: { calls: 2_000, seed: 7, endAt: END_AT } });
    const calls = sim.history;
    const nobody = calls.filter((call) => call.firstJoinAt === null);
    const long = calls.filter((call) => call.endedAt - call.createdAt >= 20 * MINUTE);
    const share = (part: HistoryCall[]) => part.length / calls.length;
    should(share(nobody)).be.within(0.17, 0.23);
    should(share(long)).be.within(0.08, 0.12);
    should(calls.filter((call) => call.joiners.length === 2).length).be.above(100);

    let previous = -Infinity;
    for (const call of calls) {
      should(call.createdAt).be.aboveOrEqual(previous);
      previous = call.createdAt;
      should(call.createdAt).be.aboveOrEqual(END_AT - DAY);
      should(call.endedAt).be.belowOrEqual(END_AT);
      should(call.endedAt - call.createdAt).be.within(35 * SECOND, 45 * MINUTE);
      should(call.invitees.length).be.within(1, 2);
      should(new Set(call.invitees).size).equal(call.invitees.length);
      should(call.invitees).not.containEql('connector');
      should(call.joiners).not.containEql('expert3');
      for (const joiner of call.joiners) should(call.invitees).containEql(joiner);
      if (call.firstJoinAt === null) {
        should(call.endedAt - call.createdAt).equal(2 * MINUTE);
        should(call).containEql({ firstJoinBy: null, joiners: [] });
      } else {
        should(call.firstJoinAt - call.createdAt).be.within(5 * SECOND, 4 * MINUTE);
        should(call.firstJoinBy).equal(call.joiners[0]);
      }
    }
    const ids = calls.map((call) => call.id);
    should(ids).eql([...ids].sort((x, y) => x - y));
    should(new Set(calls.map((call) => call.callId)).size).equal(calls.length);
    const invited = new Set(calls.flatMap((call) => call.invitees));
    should([...invited].sort()).eql([
      'callertest2',
      'expert1',
      'expert2',
      'expert3',
      'glasses1',
      'tester',
    ]);
  });

  it('stores each call with its events in time order, as its truth says', async function () {
    const sim = await start({ history: { calls: 500, seed: 3, endAt: END_AT } });
    const token = await login(sim);
    const logs = (await readAll(sim, token, 200)).flat().reverse();
    should(logs.map(truthOf)).eql(sim.history);
    for (const log of logs) {
      const events = log.callEvents ?? [];
      should(log.callStatus).equal('Ended');
      should(events[0]).containEql({ type: 'Created', time: log.callStart });
      should(events[0].contact?.userId).equal('connector');
      const times = events.map((event) => Date.parse(String(event.time)));
      should(times).eql([...times].sort((x, y) => x - y));
      const inCall = new Set<string>();
      for (const event of events.slice(1)) {
        const userId = String(event.contact?.userId);
        if (event.type === 'Join') inCall.add(userId);
        else should(inCall.delete(userId)).be.true(`${event.type} of ${userId} not in the call`);
      }
      should(inCall.size).equal(0);
      for (const event of events.slice(1)) {
        if (event.time === log.callEnd) should(event.type).equal('Leave');
      }
    }
    // event ids: in time order across all calls, as one sequence of the server gives them
    const events = logs
      .flatMap((log) => log.callEvents ?? [])
      .sort((a, b) => Date.parse(String(a.time)) - Date.parse(String(b.time)) || a.id - b.id);
    const eventIds = events.map((event) => event.id);
    should(eventIds).eql([...eventIds].sort((x, y) => x - y));
  });

  it('pages the seeded calls newest first, below the calls made live, in every list order', async function () {
    const sim = await start({ history: { calls: 45, seed: 5, endAt: END_AT } });
    const token = await login(sim);
    const live = [startCall(sim), startCall(sim, ['expert3'])];
    should(() => sim.calls.insertEnded([])).throw(/before any other call/);
    const newest = [...sim.history, ...live].map((call) => Number(call.id)).reverse();
    should(Math.min(...live.map((log) => Number(log.id)))).be.above(sim.history[44].id);
    const liveEventIds = live.flatMap((log) => log.callEvents ?? []).map((event) => event.id);
    const seededEventIds = sim.calls
      .all()
      .filter((log) => !live.includes(log))
      .flatMap((log) => log.callEvents ?? [])
      .map((event) => event.id);
    should(Math.min(...liveEventIds)).be.above(Math.max(...seededEventIds));

    for (const listOrder of ['desc', 'asc', 'shuffle'] as const) {
      sim.variants.listOrder = listOrder;
      const pages = await readAll(sim, token, 10);
      should(pages).have.length(5);
      pages.forEach((page, index) => {
        const ids = page.map((log) => log.id);
        const expected = newest.slice(index * 10, index * 10 + 10);
        if (listOrder === 'shuffle') should([...ids].sort()).eql([...expected].sort());
        else should(ids).eql(expected);
      });
    }
  });

  it('answers the same instants with ISO dates and with epoch milliseconds', async function () {
    const history = { calls: 60, seed: 11, endAt: END_AT };
    const iso = await start({ history });
    const epoch = await start({ history, variants: { dates: 'epoch' } });
    const isoLogs = (await readAll(iso, await login(iso))).flat();
    const epochLogs = (await readAll(epoch, await login(epoch))).flat();
    should(epochLogs.map((log) => log.callId)).eql(isoLogs.map((log) => log.callId));
    isoLogs.forEach((isoLog, index) => {
      const epochLog = epochLogs[index];
      should(isoLog.callStart).be.a.String();
      should(epochLog.callStart).equal(Date.parse(String(isoLog.callStart)));
      should(epochLog.callEnd).equal(Date.parse(String(isoLog.callEnd)));
      should(epochLog.callEvents?.map((event) => event.time)).eql(
        isoLog.callEvents?.map((event) => Date.parse(String(event.time))),
      );
    });
    should(epochLogs.map(truthOf).reverse()).eql(epoch.history);
    // stored in ISO all the same: switched at run time, the same calls answer in ISO
    epoch.variants.dates = 'iso';
    const switched = (await readAll(epoch, await login(epoch))).flat();
    should(switched.map(withoutLink)).eql(isoLogs.map(withoutLink));
  });

  it('answers getCallLogById for a seeded call', async function () {
    const sim = await start({ history: { calls: 100, seed: 9, endAt: END_AT } });
    const token = await login(sim);
    const truth = sim.history.find((call) => call.joiners.length === 2);
    if (!truth) throw new Error('no call with two joiners in this seed');
    const log = await get<CallLog>(sim, token, `rtc/getCallLogById?callId=${truth.callId}`);
    should(truthOf(log)).eql(truth);
    should(log).containEql({ callStatus: 'Ended', plannedDateTime: null });
    should(log.callStart).equal(new Date(truth.createdAt).toISOString());
    should(log.callEnd).equal(new Date(truth.endedAt).toISOString());
    should(log.callEvents?.map((event) => `${event.type}:${event.contact?.userId}`)).containEql(
      `Join:${truth.joiners[1]}`,
    );
    should(log.inviteLink).equal(`${sim.tenantUrl}join/${truth.callId}`);
  });

  it('seeds from its command line, and tells the truth at /_sim/history', async function () {
    const cli = await startSimulatorCli(['--port', '0', '--history', '30']);
    try {
      const { url } = cli;
      const truth = (await (await fetch(new URL('/_sim/history', url))).json()) as HistoryCall[];
      should(truth).have.length(30);
      should(Date.now() - truth[29].endedAt).be.within(0, DAY);
      const calls = (await (await fetch(new URL('/_sim/calls', url))).json()) as CallLog[];
      should(calls.map((log) => log.callId)).eql(truth.map((call) => call.callId).reverse());
    } finally {
      await cli.stop();
    }
  });

  it('seeds 10,000 calls in reasonable time, and pages them', async function () {
    const began = performance.now();
    const sim = await start({ history: { calls: 10_000, seed: 1, endAt: END_AT } });
    const seededMs = performance.now() - began;
    should(sim.history).have.length(10_000);
    should(sim.calls.all()).have.length(10_000);
    const token = await login(sim);
    const reading = performance.now();
    const logs = (await readAll(sim, token, 500)).flat();
    const readMs = performance.now() - reading;
    console.log(
      `      10,000 seeded calls in ${Math.round(seededMs)} ms; ` +
        `read in 20 pages of 500 in ${Math.round(readMs)} ms`,
    );
    should(logs.map((log) => log.id)).eql(sim.history.map((call) => call.id).reverse());
    should(seededMs).be.below(10_000);
  });
});
