import type { Node } from 'node-red';
import should from 'should';
import type { Simulator } from '../../src/sim';
import { CALL_FIELDS } from '../../src/mapping/create-call';
import { BadRequest, parseCreateCall } from '../../src/sim/validation';
import type { CallEvent } from '../../src/xassist';
import { helper } from '../support/node-red';
import { NodeTestBed } from '../support/node-test-bed';
import type { Outputs } from '../support/outputs';
import { junk, Random } from '../support/random';
import { startCall } from '../support/simulator';
import { UnhandledRejections } from '../support/unhandled-rejections';

type Msg = Record<string, unknown> & {
  callId?: string;
  payload: unknown;
  error?: { message: string; code?: string; cause?: Record<string, unknown> };
};

const GOOD: Record<string, unknown[]> = {
  callTitle: ['Alarm', ''],
  callReason: ['STANDARD', 'SERVICE_REQUEST'],
  callType: ['SFU', 'MESH'],
  invitedContacts: [
    ['expert1'],
    ['expert2@example.com'],
    [{ userId: 'tester', userDbId: 8 }],
    'expert1',
  ],
  invitedTeams: [[], [1]],
  joinAnonymousAllowed: [true, false],
  informOthersDirectly: [true, false],
  creatorUser: [12, 'glasses1', null],
  plannedDateTime: [null, '2026-12-01T08:00:00Z'],
};

describe('reliability: bad input and garbage from the server', function () {
  this.timeout(120_000);
  const bed = new NodeTestBed();
  const rejections = new UnhandledRejections();
  let outputs: Outputs<Msg>;

  beforeEach(async function () {
    await bed.start();
    rejections.listen();
    outputs = await bed.loadCreateAndFollow<Msg>({ pollInterval: 0.1 });
  });

  afterEach(async function () {
    const unhandled = rejections.stop();
    await bed.end(['create', 'follow']);
    should(unhandled).be.empty();
  });

  function payload(random: Random): unknown {
    if (random.chance(0.1)) return junk(random);
    const fields: Record<string, unknown> = {};
    for (const field of CALL_FIELDS) {
      if (random.chance(0.5)) continue;
      fields[field] = random.chance(0.7) ? random.pick(GOOD[field]) : junk(random);
    }
    if (random.chance(0.1))
      Object.assign(fields, JSON.parse('{"__proto__":{"callType":"MESH"},"machine":7}'));
    return fields;
  }

  it('answers 2,000 generated messages each with one call or one clear error, and sends nothing malformed', async function () {
    const { sim } = bed;
    const random = new Random(20261123);
    const create = helper.getNode('create') as Node;
    const codes: Record<string, number> = {};
    for (let i = 0; i < 2_000; i++) {
      const msg: Record<string, unknown> = { payload: payload(random), _fuzz: i };
      if (random.chance(0.2)) msg.dedupKey = junk(random);
      if (random.chance(0.05)) msg.topic = junk(random);
      const outcome = outputs.next(['created', 'caught']);
      create.receive(msg);
      const { id, msg: out } = await outcome;
      should(out._fuzz).equal(i);
      if (id === 'caught') {
        should(out.error?.message).be.a.String().and.not.be.empty();
        const code = out.error?.code ?? 'none';
        codes[code] = (codes[code] ?? 0) + 1;
        if (code === 'INVALID_INPUT')
          should(out.error?.message).startWith(`${out.error?.cause?.field}: `);
      }
    }
    // nothing the node sent would the server have refused as malformed
    for (const body of sim.bodiesOf('rtc/createCall')) {
      should(() => parseCreateCall(body, sim.users[0], sim.users)).not.throw(BadRequest);
    }
    const created = outputs.received.created.length;
    console.log(
      `      fuzz: 2000 messages → ${created} calls, errors by code ${JSON.stringify(codes)}, ${sim.count('rtc/createCall')} createCall requests`,
    );
    should(created + outputs.received.caught.length).equal(2_000);
    should(sim.count('rtc/createCall')).be.belowOrEqual(created);
  });

  it('answers 1,000 generated call-status messages without a crash', async function () {
    const { sim } = bed;
    const random = new Random(7);
    const follow = helper.getNode('follow') as Node;
    for (let i = 0; i < 1_000; i++) {
      const msg: Record<string, unknown> = { payload: junk(random) };
      if (random.chance(0.5))
        msg.callId = random.chance(0.5)
          ? junk(random)
          : '00000000-0000-4000-8000-00000000000' + (i % 10);
      if (random.chance(0.1)) msg.stop = random.chance(0.5) ? true : junk(random);
      follow.receive(msg);
    }
    follow.receive({ stop: true });
    const call = startCall(sim);
    follow.receive({ callId: call.callId });
    sim.calls.end(call.callId);
    const ended = await outputs.until('ended', 1).then(() => outputs.received.ended);
    should(ended.some((msg) => msg.callId === call.callId)).be.true();
    should(
      outputs.received.caught.every((msg) => typeof msg.error?.message === 'string'),
    ).be.true();
  });

  it('emits every event once through garbage answers and an events list that shrinks', async function () {
    const { sim } = bed;
    const follow = helper.getNode('follow') as Node;
    const call = startCall(sim);
    follow.receive({ callId: call.callId });
    await outputs.until('events', 1);
    const reads = 'rtc/getCallLogById';
    const garbage: Array<Parameters<Simulator['addFault']>[0]> = [
      { endpoint: reads, type: 'garbage' },
      { endpoint: reads, type: 'status', status: 502 },
      { endpoint: reads, type: 'body', body: {} },
      { endpoint: reads, type: 'body', body: 'just text' },
      { endpoint: reads, type: 'body', body: [] },
      {
        endpoint: reads,
        type: 'body',
        body: (log: Record<string, unknown>) => ({ ...log, callEvents: 'not a list' }),
      },
      {
        endpoint: reads,
        type: 'body',
        body: (log: Record<string, unknown>) => ({
          ...log,
          callEvents: [{ id: 'x', type: 7 }, null, 5],
        }),
      },
      {
        endpoint: reads,
        type: 'body',
        body: (log: Record<string, unknown>) => ({
          ...log,
          callEvents: (log.callEvents as unknown[]).slice(0, 1),
        }),
      },
      {
        endpoint: reads,
        type: 'body',
        body: (log: Record<string, unknown>) => ({
          ...log,
          callStatus: 42,
          creatorContact: 'nobody',
        }),
      },
    ];
    sim.calls.join(call.callId, 'expert1');
    for (const fault of garbage) sim.addFault(fault);
    sim.calls.join(call.callId, 'expert2');
    sim.calls.leave(call.callId, 'expert1');
    await outputs.until('events', 4);
    for (const fault of garbage) sim.addFault(fault);
    sim.calls.addEvent(call.callId, 'Custom');
    sim.calls.end(call.callId);
    await outputs.until('ended', 1);
    const emitted = outputs.received.events.map((msg) => (msg.payload as CallEvent).id);
    should(emitted).eql(sim.calls.get(call.callId)?.callEvents?.map((event) => event.id));
  });
});
