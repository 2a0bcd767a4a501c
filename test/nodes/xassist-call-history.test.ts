import type { NodeStatus } from 'node-red';
import should from 'should';
import type { CallFigures, HistorySummary } from '../../src/history/figures';
import { callHistoryNode, loggedTexts, serverNode, statusMatching } from '../support/node-red';
import { NodeTestBed } from '../support/node-test-bed';
import type { Outputs } from '../support/outputs';

type Msg = Record<string, unknown> & {
  payload: { calls: CallFigures[]; summary: HistorySummary; pages: number; stoppedBy: string };
  error?: { message: string; cause?: { field?: string } };
};

const SEEDED = 250;
const DAY_MS = 24 * 3_600_000;
/** a date as every message gives it: ISO text in UTC */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const iso = (ms: number) => new Date(ms).toISOString();
/** epoch ms of a figure's ISO date; 0 for none */
const msOf = (date: string | null) => (date === null ? 0 : Date.parse(date));

/** The nearest-rank percentile, as the node computes it, from the seeded truth. */
function percentile(values: number[], p: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] : null;
}

describe('xassist-call-history node', function () {
  this.timeout(20_000);
  const bed = new NodeTestBed();
  let outputs: Outputs<Msg>;
  const endAt = Date.now();

  /** Starts the test bed with a simulator of SEEDED calls, and loads the node with `settings`. */
  async function load(settings: Record<string, unknown>, dates: 'iso' | 'epoch' = 'iso') {
    await bed.start({
      history: { calls: SEEDED, seed: 7, endAt, spanMs: DAY_MS },
      variants: { dates },
    });
    const history = { id: 'history', type: 'xassist-call-history', ...settings };
    const loaded = await bed.load<Msg>([serverNode, callHistoryNode], history, ['out']);
    outputs = loaded.outputs;
    return loaded.node;
  }

  afterEach(() => bed.end(['history']));

  for (const dates of ['iso', 'epoch'] as const) {
    it(`computes each call's figures and the summary as seeded (${dates} dates), over pages`, async function () {
      const node = await load({ limit: SEEDED, pageSize: 100 }, dates);
      node.receive({ payload: 'go', topic: 'report' });
      const [out] = await outputs.until('out', 1);
      const { calls, summary, pages, stoppedBy } = out.payload;
      should(out.topic).equal('report');
      should({ pages, stoppedBy, count: calls.length }).eql({
        pages: 3,
        stoppedBy: 'limit',
        count: SEEDED,
      });
      const truth = new Map(bed.sim.history.map((call) => [call.callId, call]));
      for (const call of calls) {
        const seeded = truth.get(call.callId);
        should.exist(seeded, call.callId);
        if (!seeded) continue;
        should(call.createdAt).equal(iso(seeded.createdAt));
        should(call.endedAt).equal(iso(seeded.endedAt));
        should(call.durationMs).equal(seeded.endedAt - seeded.createdAt);
        should(call.firstJoin?.userId ?? null).equal(seeded.firstJoinBy);
        should(call.firstJoin?.afterMs ?? null).equal(
          seeded.firstJoinAt === null ? null : seeded.firstJoinAt - seeded.createdAt,
        );
        should(call.firstJoin?.at ?? null).equal(
          seeded.firstJoinAt === null ? null : iso(seeded.firstJoinAt),
        );
      }
      // newest first
      const created = calls.map((call) => msOf(call.createdAt));
      should(created).eql([...created].sort((a, b) => b - a));
      const times = bed.sim.history
        .filter((call) => call.firstJoinAt !== null)
        .map((call) => (call.firstJoinAt ?? 0) - call.createdAt);
      should(summary).match({
        calls: SEEDED,
        joined: times.length,
        medianMs: percentile(times, 0.5),
        p90Ms: percentile(times, 0.9),
      });
      const expert1 = bed.sim.history.filter((call) => call.firstJoinBy === 'expert1');
      should(summary.perInvitee.find((row) => row.userId === 'expert1')).match({
        answered: expert1.length,
        invited: bed.sim.history.filter((call) => call.invitees.includes('expert1')).length,
        medianMs: percentile(
          expert1.map((call) => (call.firstJoinAt ?? 0) - call.createdAt),
          0.5,
        ),
      });
      should(summary.perDay.reduce((sum, row) => sum + row.answered, 0)).equal(times.length);
      await statusMatching(node, (status: NodeStatus) => status.fill === 'green');
    });
  }

  it('gives the same figures, their dates ISO text, when the server sends epoch numbers', async function () {
    const node = await load({ limit: 60, pageSize: 30 });
    node.receive({ payload: 'go' });
    const [fromIso] = await outputs.until('out', 1);
    bed.sim.variants.dates = 'epoch';
    node.receive({ payload: 'go' });
    const [, fromEpoch] = await outputs.until('out', 2);
    should(fromIso.payload.calls).have.length(60);
    for (const call of fromIso.payload.calls) {
      should(call.createdAt).match(ISO);
      should(call.endedAt).match(ISO);
      if (call.firstJoin) should(call.firstJoin.at).match(ISO);
    }
    // a flow written against the default sees the same figures, field for field
    const figures = ({ events: _events, ...rest }: CallFigures) => rest;
    should(fromEpoch.payload.calls.map(figures)).eql(fromIso.payload.calls.map(figures));
    should(fromEpoch.payload.summary).eql(fromIso.payload.summary);
    // while each call's events stay the server's, as it sent them
    const times = (msg: Msg) => msg.payload.calls.flatMap((call) => call.events.map((e) => e.time));
    should(times(fromIso)).not.be.empty();
    should(times(fromIso)).matchEach((time: unknown) => should(time).be.a.String());
    should(times(fromEpoch)).eql(times(fromIso).map((time) => Date.parse(String(time))));
  });

  it('stops at the page limit, says so, and shows its progress', async function () {
    const node = await load({ limit: 1000, pageSize: 40, maxPages: 2 });
    node.receive({ payload: '' });
    const [out] = await outputs.until('out', 1);
    should(out.payload).match({ pages: 2, stoppedBy: 'page-limit' });
    should(out.payload.calls).have.length(80);
    should(bed.sim.count('rtc/getFilteredCallLogsV2')).equal(2);
    should(loggedTexts().join('\n')).containEql('xassist-call-history.warn.page-limit');
    await statusMatching(node, (status) => status.text === 'xassist-call-history.status.reading');
    await statusMatching(node, (status) => status.fill === 'yellow');
  });

  it('reads the calls since msg.since, and no older one', async function () {
    const node = await load({ limit: '', pageSize: 30 });
    const since = endAt - 6 * 3_600_000;
    node.receive({ since: new Date(since).toISOString(), limit: 100_000 });
    const [out] = await outputs.until('out', 1);
    const expected = bed.sim.history.filter((call) => call.createdAt >= since).length;
    should(out.payload.stoppedBy).equal('since');
    should(out.payload.calls).have.length(expected);
    should(out.payload.calls.every((call) => msOf(call.createdAt) >= since)).be.true();
  });

  it('refuses a bad msg.limit or msg.since, naming it, and asks the server nothing', async function () {
    const node = await load({});
    node.receive({ limit: -3 });
    node.receive({ since: 'last tuesday' });
    const caught = await outputs.until('caught', 2);
    should(caught.map((msg) => msg.error?.message.split(':')[0]).sort()).eql(['limit', 'since']);
    should(bed.sim.count('rtc/getFilteredCallLogsV2')).equal(0);
  });
});
