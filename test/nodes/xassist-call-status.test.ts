import { once } from 'node:events';
import type { Node } from 'node-red';
import should from 'should';
import type { CallEvent, CallLog } from '../../src/xassist';
import { serverConfig, xassistNode } from '../support/flow-nodes';
import { startGateway } from '../support/gateway';
import {
  activeResources,
  callStatusNode,
  handlesReleased,
  helper,
  loadFlow,
  loggedTexts,
  serverNode,
  statusesOf,
  statusMatching,
} from '../support/node-red';
import { NodeTestBed } from '../support/node-test-bed';
import type { Outputs } from '../support/outputs';
import { CONNECTOR, startCall } from '../support/simulator';

type Msg = Record<string, unknown> & {
  payload: unknown;
  topic: string;
  callId: string;
  call?: CallLog;
  error?: { message: string };
};
const PORTS = ['events', 'joined', 'nojoin', 'ended'] as const;
/** a date as every message gives it: ISO text in UTC */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
type Port = (typeof PORTS)[number];

describe('xassist-call-status node', function () {
  const bed = new NodeTestBed();
  let received: Record<Port, Msg[]>;
  let outputs: Outputs<Msg>;

  async function load(
    settings: Record<string, unknown> = {},
    server: Record<string, unknown> = {},
  ) {
    const follow = { id: 'follow', type: 'xassist-call-status', pollInterval: 0.1, ...settings };
    const loaded = await bed.load<Msg>([serverNode, callStatusNode], follow, PORTS, { server });
    outputs = loaded.outputs;
    received = outputs.received as Record<Port, Msg[]>;
    return loaded.node;
  }

  /** Resolves when `port` has received `count` messages in all. */
  function until(port: Port, count: number): Promise<Msg[]> {
    return outputs.until(port, count);
  }

  /** Resolves once the simulator has answered `count` more reads of `callId`. */
  async function reads(callId: string, count: number): Promise<void> {
    const target = (bed.sim.reads[callId] ?? 0) + count;
    while ((bed.sim.reads[callId] ?? 0) < target) await once(bed.sim, 'read');
  }

  const topics = (messages: Msg[]) => messages.map((msg) => msg.topic);
  /** The helper loads no message catalogue: a status text is its key. */
  const notFoundRetrying = (node: Node) =>
    statusMatching(
      node,
      (status) =>
        status.fill === 'yellow' && status.text === 'xassist-call-status.status.not-found',
    );
  const PROBE = 'rtc/getFilteredCallLogsV2';
  const ids = (messages: Msg[]) => messages.map((msg) => (msg.payload as CallEvent).id);

  beforeEach(() => bed.start());
  afterEach(() => bed.end(['follow']));

  it('with another output property, keeps the alarm in msg.payload and msg.topic on every output', async function () {
    const { sim } = bed;
    const follow = await load({ property: 'event', joinTimeout: 0.3 });
    const call = startCall(sim, ['expert3']);
    const alarm = { machine: 7, state: 'stopped' };
    follow.receive({ payload: alarm, topic: 'factory/line7/alarm', callId: call.callId });
    await until('events', 1);
    await until('nojoin', 1);
    sim.calls.join(call.callId, 'expert3');
    await until('joined', 1);
    sim.calls.end(call.callId);
    await until('ended', 1);
    for (const msg of [
      ...received.events,
      ...received.joined,
      ...received.nojoin,
      ...received.ended,
    ]) {
      should(msg.payload).eql(alarm);
      should(msg.topic).equal('factory/line7/alarm');
    }
    should(received.events.map((msg) => msg.eventType).slice(0, 2)).eql(['Created', 'Join']);
    should((received.events[1].event as CallEvent).type).equal('Join');
    should((received.events[1].call as CallLog).callId).equal(call.callId);
    should(received.joined[0].eventType).equal('Joined');
    should(received.ended[0]).match({ eventType: 'Ended', callId: call.callId });
  });

  it('sends each scripted event once, in order, then one Ended, and stops reading', async function () {
    const { sim } = bed;
    const follow = await load();
    const call = startCall(sim);
    follow.receive({ payload: { callId: call.callId }, alarm: { machine: 7 }, topic: 'ignored' });
    await until('events', 1);
    sim.calls.join(call.callId, 'expert1');
    await until('events', 2);
    sim.calls.join(call.callId, 'expert2');
    sim.calls.leave(call.callId, 'expert1');
    await until('events', 4);
    sim.calls.addEvent(call.callId, 'ScreenShare', { userId: 'expert2' }, 'machine 7 panel');
    await until('events', 5);
    sim.calls.end(call.callId);
    await until('ended', 1);

    should(topics(received.events)).eql([
      'Created',
      'Join',
      'Join',
      'Leave',
      'ScreenShare',
      'Leave',
    ]);
    const eventIds = ids(received.events);
    should(eventIds).eql([...eventIds].sort((a, b) => a - b));
    should(new Set(eventIds).size).equal(6);
    for (const msg of received.events) {
      should(msg.callId).equal(call.callId);
      should(msg.alarm).eql({ machine: 7 });
      should(msg.call?.callId).equal(call.callId);
    }
    should(received.events[4].payload).containEql({
      type: 'ScreenShare',
      comment: 'machine 7 panel',
    });
    should(received.ended).have.length(1);
    should(received.ended[0]).containEql({
      topic: 'Ended',
      callId: call.callId,
      alarm: { machine: 7 },
    });
    should((received.ended[0].payload as CallLog).callStatus).equal('Ended');
    should(received.joined.map((msg) => (msg.payload as CallEvent).contact?.userId)).eql([
      'expert1',
    ]);

    // another call keeps the node reading: the ended one is read no more
    const readsOfEnded = sim.reads[call.callId];
    const other = startCall(sim);
    follow.receive({ callId: other.callId });
    await reads(other.callId, 5);
    should(sim.reads[call.callId]).equal(readsOfEnded);
    should(received.ended).have.length(1);
  });

  it('follows a call id given as msg.callId, msg.payload.callId or msg.payload, once', async function () {
    const { sim } = bed;
    const follow = await load();
    const call = startCall(sim);
    follow.receive({ callId: call.callId });
    follow.receive({ payload: { callId: call.callId } });
    follow.receive({ payload: call.callId });
    await until('events', 1);
    sim.calls.end(call.callId);
    await until('ended', 1);
    should(topics(received.events)).eql(['Created']);
    should(received.ended).have.length(1);
  });

  it('skips the events a call had before, when asked', async function () {
    const { sim } = bed;
    const follow = await load({ skipHistory: true });
    const call = startCall(sim);
    sim.calls.join(call.callId, 'expert1');
    follow.receive({ callId: call.callId });
    await reads(call.callId, 2);
    sim.calls.leave(call.callId, 'expert1');
    await until('events', 1);
    should(topics(received.events)).eql(['Leave']);
    should(received.joined).be.empty();
  });

  it('stops following one call with msg.stop, or all, even with a fixed call id', async function () {
    const { sim } = bed;
    const fixed = startCall(sim);
    const follow = await load({ callId: fixed.callId });
    const [a, b] = [startCall(sim), startCall(sim)];
    follow.receive({ callId: a.callId });
    follow.receive({ callId: b.callId });
    await until('events', 3); // Created of the fixed call, a and b
    follow.receive({ callId: a.callId, stop: true });
    // a read of a already on its way may still land: count from the next read of b on
    await reads(b.callId, 1);
    const readsOfA = sim.reads[a.callId];
    await reads(b.callId, 3);
    should(sim.reads[a.callId]).equal(readsOfA);
    follow.receive({ stop: true });
    const c = startCall(sim);
    follow.receive({ callId: c.callId });
    await reads(c.callId, 1);
    const readsOfB = sim.reads[b.callId];
    const readsOfFixed = sim.reads[fixed.callId];
    await reads(c.callId, 3);
    should(sim.reads[b.callId]).equal(readsOfB);
    should(sim.reads[fixed.callId]).equal(readsOfFixed);
  });

  /** Follows a new call, with `msg`, and a join timeout of `seconds`; says when it began. */
  async function followWithJoinTimeout(seconds: number, msg: Record<string, unknown> = {}) {
    const follow = await load({ joinTimeout: seconds });
    const call = startCall(bed.sim);
    const started = Date.now();
    follow.receive({ callId: call.callId, ...msg });
    return { call, started };
  }

  it('sends NoJoin once when no invitee joins in time', async function () {
    const { sim } = bed;
    const { call, started } = await followWithJoinTimeout(0.3, { alarm: 'A7' });
    sim.calls.join(call.callId, 'connector'); // the creator joining is not an invitee joining
    const [noJoin] = await until('nojoin', 1);
    should(Date.now() - started).be.within(290, 1_000);
    should(noJoin).containEql({ topic: 'NoJoin', callId: call.callId, alarm: 'A7' });
    sim.calls.join(call.callId, 'expert1');
    await until('joined', 1);
    sim.calls.end(call.callId);
    await until('ended', 1);
    should(received.nojoin).have.length(1);
  });

  it('sends NoJoin on time when the server cannot be read at the deadline, saying so', async function () {
    const { sim } = bed;
    const { call, started } = await followWithJoinTimeout(0.5);
    await reads(call.callId, 1);
    sim.outage(60_000);
    const [noJoin] = await until('nojoin', 1);
    should(Date.now() - started).be.within(490, 900);
    should(noJoin).match({ topic: 'NoJoin', payload: { callId: call.callId, unread: true } });
    should(noJoin.call).be.undefined();
    // a join the outage hid still comes once the server answers again
    sim.calls.join(call.callId, 'expert1');
    sim.outage(0);
    await until('joined', 1);
    should(received.nojoin).have.length(1);
  });

  it('sends Joined and no NoJoin when an invitee joins in time', async function () {
    const { sim } = bed;
    const { call, started } = await followWithJoinTimeout(0.3);
    sim.calls.join(call.callId, 'expert2');
    const [joined] = await until('joined', 1);
    should(joined.joinedAfter).be.a.Number().and.be.below(300);
    should(joined.joinedAfterFrom).equal('server');
    while (Date.now() - started < 500) await reads(call.callId, 1);
    sim.calls.end(call.callId);
    await until('ended', 1);
    should(received.nojoin).be.empty();
  });

  it("counts the time to join by the server's clock, from the call's start to the Join", async function () {
    const { sim } = bed;
    for (const dates of ['iso', 'epoch'] as const) {
      sim.variants.dates = dates;
      const follow = await load({ pollInterval: 0.5 });
      const call = startCall(sim);
      follow.receive({ callId: call.callId });
      await until('events', 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const join = sim.calls.join(call.callId, 'expert1');
      const [joined] = await until('joined', 1);
      const stored = sim.calls.get(call.callId)!;
      // the join is seen up to a read interval late: the server's own times say when it was
      should(joined).match({
        joinedAfter: Date.parse(String(join.time)) - Date.parse(String(stored.callStart)),
        joinedAfterFrom: 'server',
      });
      // a 100 ms wait between two server stamps, and a first read that a loaded machine may delay
      should(joined.joinedAfter).be.within(95, 100 + 2_000);
      await helper.unload();
    }
  });

  it('gives msg.time and the call’s dates as ISO text, the same when the server sends epoch numbers', async function () {
    const { sim } = bed;
    const seen: Msg[][] = [];
    for (const dates of ['iso', 'epoch'] as const) {
      sim.variants.dates = dates;
      const follow = await load({ joinTimeout: 0.3 });
      const call = startCall(sim, ['expert1']);
      const followedAt = Date.now();
      follow.receive({ callId: call.callId });
      await until('nojoin', 1);
      const noJoinSeenAt = Date.now();
      sim.calls.join(call.callId, 'expert1');
      await until('joined', 1);
      sim.calls.end(call.callId);
      await until('ended', 1);
      await until('events', 3);
      // the simulator keeps its dates as ISO texts, and answers them in the variant's form
      const stored = sim.calls.get(call.callId)!;
      const asSent = (iso: unknown) => (dates === 'iso' ? iso : Date.parse(String(iso)));
      const storedTime = (event: CallEvent) =>
        stored.callEvents?.find((one) => one.id === event.id)?.time;
      for (const msg of [...received.events, ...received.joined]) {
        const event = msg.payload as CallEvent;
        should(msg.time).match(ISO).and.equal(storedTime(event));
        // the event itself as the server sent it
        should(event.time).equal(asSent(storedTime(event)));
      }
      const [noJoin] = received.nojoin;
      // the join deadline: 0.3 s after following began, by this instance's clock
      should(noJoin.time).match(ISO);
      should(Date.parse(String(noJoin.time))).be.within(followedAt + 300, noJoinSeenAt);
      const [ended] = received.ended;
      should(ended.time).match(ISO).and.equal(stored.callEnd);
      const all = [...received.events, ...received.joined, ...received.nojoin, ...received.ended];
      for (const msg of all) {
        // the read that saw the call ended also brought its last Leave
        const over = msg.call?.callStatus === 'Ended';
        should(msg.call).match({
          callStart: asSent(stored.callStart),
          callStartIso: stored.callStart,
          callEnd: over ? asSent(stored.callEnd) : null,
          callEndIso: over ? stored.callEnd : null,
          plannedDateTime: null,
          plannedDateTimeIso: null,
        });
      }
      should(ended.payload).match({ callEndIso: stored.callEnd, callEnd: asSent(stored.callEnd) });
      seen.push(all);
      await helper.unload();
    }
    // a flow written against the default sees the same properties, in the same order of topics
    const shape = (messages: Msg[]) =>
      messages.map((msg) => ({
        topic: msg.topic,
        keys: Object.keys(msg).sort(),
        call: Object.keys(msg.call ?? {}).sort(),
      }));
    should(shape(seen[1])).eql(shape(seen[0]));
  });

  it('loses and repeats nothing through 500s, 429s and timeouts', async function () {
    const { sim } = bed;
    const follow = await load({}, { timeout: 0.3 });
    const call = startCall(sim);
    follow.receive({ callId: call.callId });
    await until('events', 1);
    sim.addFault({ endpoint: 'rtc/getCallLogById', type: 'status', status: 500, count: 3 });
    sim.calls.join(call.callId, 'expert1');
    await until('events', 2);
    sim.addFault({ endpoint: 'rtc/getCallLogById', type: 'status', status: 429, retryAfter: 1 });
    const limitedAt = Date.now();
    sim.calls.join(call.callId, 'expert2');
    await until('events', 3);
    // the server asked for a second's pause: no read came sooner
    should(Date.now() - limitedAt).be.aboveOrEqual(1_000);
    sim.addFault({ endpoint: 'rtc/getCallLogById', type: 'latency', ms: 600 });
    sim.calls.leave(call.callId, 'expert1');
    sim.calls.addEvent(call.callId, 'Recording');
    await until('events', 5);
    sim.addFault({ endpoint: 'rtc/getCallLogById', type: 'drop', count: 2 });
    sim.calls.end(call.callId);
    await until('ended', 1);
    should(topics(received.events)).eql(['Created', 'Join', 'Join', 'Leave', 'Recording', 'Leave']);
    should(new Set(ids(received.events)).size).equal(6);
    should(statusesOf(follow).some((status) => status.fill === 'yellow')).be.true();
  });

  it('follows 20 calls at once, each on its own', async function () {
    const { sim } = bed;
    const follow = await load();
    const calls = Array.from({ length: 20 }, () => startCall(sim, ['expert1']));
    for (const call of calls)
      follow.receive({ callId: call.callId, line: call.callId.slice(0, 4) });
    await until('events', 20);
    for (const call of calls) sim.calls.join(call.callId, 'expert1');
    await until('joined', 20);
    for (const call of calls) sim.calls.end(call.callId);
    await until('ended', 20);
    for (const call of calls) {
      const mine = received.events.filter((msg) => msg.callId === call.callId);
      should(topics(mine)).eql(['Created', 'Join', 'Leave']);
      should(mine.every((msg) => msg.line === call.callId.slice(0, 4))).be.true();
    }
    should(received.events).have.length(60);
    should(received.ended).have.length(20);
  });

  it('reads a call followed by two nodes once per interval, not once per node', async function () {
    const { sim } = bed;
    await loadFlow(
      [serverNode, callStatusNode],
      [
        { id: 'flow', type: 'tab', label: 'test' },
        serverConfig(sim.tenantUrl),
        ...['one', 'two'].map((id, i) =>
          xassistNode(
            id,
            'xassist-call-status',
            { x: 100, y: 100 + 100 * i, pollInterval: 0.2, wires: [[], [], [], []] },
            'flow',
          ),
        ),
      ],
      { server: { username: CONNECTOR.username, password: CONNECTOR.password } },
    );
    const call = startCall(sim);
    (helper.getNode('one') as Node).receive({ callId: call.callId });
    await reads(call.callId, 1);
    (helper.getNode('two') as Node).receive({ callId: call.callId });
    // from the next grid point on, both read at the same moments
    await reads(call.callId, 3);
    const startedAt = Date.now();
    await reads(call.callId, 10);
    const intervals = (Date.now() - startedAt) / 200;
    console.log(
      `      two nodes following one call at 0.2 s: 10 reads in ${intervals.toFixed(1)} intervals`,
    );
    should(intervals).be.above(8.5);
  });

  describe('a 404', function () {
    it('ends a call id no call has with one NotFound that says so, and warns once', async function () {
      const { sim } = bed;
      const follow = await load();
      follow.receive({ callId: '00000000-0000-4000-8000-000000000000' });
      const [ended] = await until('ended', 1);
      should(ended).containEql({ topic: 'NotFound', payload: null, notFound: 'no-such-call' });
      const warnings = loggedTexts().filter((text) => text.includes('no-such-call'));
      should(warnings).have.length(1);
      should(sim.count(PROBE)).equal(1);
    });

    it('ends a call that disappears while followed with NotFound, gone, at once', async function () {
      const { sim } = bed;
      const follow = await load();
      const call = startCall(sim);
      follow.receive({ callId: call.callId });
      await reads(call.callId, 1);
      sim.calls.clear();
      const goneAt = Date.now();
      const [ended] = await until('ended', 1);
      const after = Date.now() - goneAt;
      should(ended).containEql({ topic: 'NotFound', notFound: 'gone' });
      should(loggedTexts().filter((text) => text.includes('no-such-call'))).be.empty();
      // the next read, and one small read that the server answers at all
      should(after).be.below(100 + 2_000);
      should(sim.count(PROBE)).equal(1);
      console.log(`      a call deleted: NotFound ${after} ms later, for 1 confirming read`);
    });

    it('follows a call on through a 3 s storm of HTML 404 pages, and sends what came meanwhile', async function () {
      const { sim } = bed;
      const gateway = await startGateway(sim.url);
      try {
        const follow = await load({}, { url: `${gateway.url}${sim.tenant}/` });
        const call = startCall(sim);
        follow.receive({ callId: call.callId });
        await until('events', 1);
        gateway.pages = 'rtc/getCallLogById';
        const stormEndsAt = Date.now() + 3_000;
        sim.calls.join(call.callId, 'expert1');
        await notFoundRetrying(follow);
        sim.calls.addEvent(call.callId, 'Custom', { userId: 'expert1' }, 'during the storm');
        await new Promise((resolve) => setTimeout(resolve, stormEndsAt - Date.now()));
        gateway.pages = undefined;
        sim.calls.leave(call.callId, 'expert1');
        await until('events', 4);
        should(received.ended).be.empty();
        should(topics(received.events)).eql(['Created', 'Join', 'Custom', 'Leave']);
        should(received.joined).have.length(1);
        // an HTML page is not the server's answer: nothing was asked to confirm it
        should(sim.count(PROBE)).equal(0);
        console.log(`      3 s of HTML 404s: ${gateway.pagesSent} pages, 0 events lost, 0 ended`);
        sim.calls.end(call.callId);
        const [ended] = await until('ended', 1);
        should(ended.topic).equal('Ended');
      } finally {
        await gateway.close();
      }
    });

    it('ends no call while every request gets a JSON 404 (the tenant path gone), and follows on', async function () {
      const { sim } = bed;
      const follow = await load();
      const call = startCall(sim);
      follow.receive({ callId: call.callId });
      await until('events', 1);
      sim.outage(1_500, { status: 404 });
      // one read, and one never read: neither is gone nor unknown
      const other = startCall(sim);
      follow.receive({ callId: other.callId });
      await notFoundRetrying(follow);
      sim.calls.join(call.callId, 'expert1');
      await until('events', 3);
      should(received.ended).be.empty();
      should(topics(received.events).sort()).eql(['Created', 'Created', 'Join']);
      should(loggedTexts().filter((text) => text.includes('no-such-call'))).be.empty();
      should(statusesOf(follow).at(-1)?.fill).equal('green');
      // each JSON 404 was asked about, and the confirming read failed too
      should(sim.count(PROBE)).be.above(0);
    });
  });

  it('rejects a call id that is not one, through Catch', async function () {
    const follow = await load();
    const caught = outputs.until('caught', 1);
    follow.receive({ callId: { id: 1 } });
    should((await caught)[0].error?.message).equal(
      'callId: must be a call id (the UUID that create-call gives as msg.callId)',
    );
  });

  it('leaves no timer behind when closed', async function () {
    const { sim } = bed;
    await handlesReleased(); // mocha arms this test's own timeout once the test has started
    const baseline = activeResources().Timeout ?? 0;
    const follow = await load({ joinTimeout: 60 });
    for (let i = 0; i < 5; i++) follow.receive({ callId: startCall(sim).callId });
    await until('events', 5);
    await helper.unload();
    await sim.close();
    await handlesReleased();
    should(activeResources().Timeout ?? 0).equal(baseline);
  });
});
