import should from 'should';
import type { Node } from 'node-red';
import {
  createCallNode,
  csvNode,
  dutyNode,
  helper,
  dutyScheduleNode,
  escalateNode,
  serverNode,
  statusesOf,
} from '../support/node-red';
import { NodeTestBed } from '../support/node-test-bed';
import type { Outputs } from '../support/outputs';

type Msg = Record<string, unknown> & { error?: { message: string } };
const PORTS = ['joined', 'exhausted', 'ended'] as const;

/** a schedule of one shift all day, every day: primary and backup */
const plant7 = (levels: string[]) => ({
  id: 'plant7',
  type: 'xassist-duty-schedule',
  zone: 'UTC',
  shifts: [{ days: 'daily', from: '00:00', to: '00:00', levels }],
  otherwise: ['expert4'],
});

describe('xassist-duty-schedule, called by an escalate node', function () {
  const bed = new NodeTestBed();
  let outputs: Outputs<Msg>;

  beforeEach(() => bed.start());
  afterEach(() => bed.end(['escalate']));

  async function load(schedule: Record<string, unknown>, settings: Record<string, unknown> = {}) {
    const escalate = {
      ...settings,
      id: 'escalate',
      type: 'xassist-escalate',
      pollInterval: 0.1,
      steps: [
        { v: 'plant7:1', vt: 'duty', timeout: 1 },
        { v: 'plant7:2', vt: 'duty', timeout: 5 },
      ],
    };
    const loaded = await bed.load<Msg>(
      [serverNode, escalateNode, dutyScheduleNode],
      escalate,
      PORTS,
      {
        others: [schedule as { id: string; type: string }],
      },
    );
    outputs = loaded.outputs;
    return loaded.node;
  }

  it('calls whoever is on duty, primary then backup, without a function node', async function () {
    const { answers } = bed;
    answers.joins('expert2', 200);
    const escalate = await load(plant7(['expert3', 'expert2']));
    escalate.receive({ payload: { machine: 7 } });
    await outputs.until('joined', 1);
    should(answers.created.map((created) => created.invitees)).eql([['expert3'], ['expert2']]);
  });

  it('passes over a primary reported offline, saying who was on duty and why', async function () {
    const { answers, sim } = bed;
    for (const [userId, status] of [
      ['expert3', 'OFFLINE'],
      ['expert2', 'ONLINE'],
    ]) {
      sim.users.find((user) => user.userId === userId)!.presence = status;
    }
    answers.joins('expert2', 200);
    const escalate = await load(plant7(['expert3', 'expert2']), { presence: true });
    escalate.receive({ payload: { machine: 7 } });
    const [joined] = await outputs.until('joined', 1);
    should(answers.created.map((created) => created.invitees)).eql([['expert2']]);
    const { people } = joined.escalation as { people: unknown[] };
    should(people).eql([
      {
        step: 1,
        round: 1,
        onDuty: ['expert3'],
        invited: [],
        skipped: [{ name: 'expert3', why: 'offline' }],
        presence: 'passed-over',
      },
      { step: 2, round: 1, onDuty: ['expert2'], invited: ['expert2'], skipped: [] },
    ]);
  });

  it('names the bad row of a schedule that is not valid, and calls nobody by it', async function () {
    const { sim } = bed;
    const escalate = await load({
      ...plant7(['expert3']),
      shifts: [{ days: 'daily', from: '7am', to: '00:00', levels: ['expert3'] }],
    });
    escalate.receive({ payload: { machine: 7 } });
    const [exhausted] = await outputs.until('exhausted', 1);
    should(JSON.stringify(exhausted)).match(/schedule\.shifts\[0\]\.from/);
    should(sim.count('rtc/createCall')).equal(0);
  });
});

describe('xassist-duty, beside a duty schedule', function () {
  const bed = new NodeTestBed();
  let outputs: Outputs<Msg & { payload?: { levels?: string[]; source?: string } }>;
  let duty: Node;

  beforeEach(async function () {
    await bed.start();
    const loaded = await bed.load<Msg>(
      [serverNode, dutyScheduleNode, dutyNode],
      { id: 'duty', type: 'xassist-duty', schedule: 'plant7' },
      ['out'],
      { others: [plant7(['expert3', 'expert2'])] },
    );
    outputs = loaded.outputs;
    duty = loaded.node;
  });
  afterEach(() => bed.end(['duty']));

  const levelsOf = (msg: Msg) => (msg.payload as { levels: string[] }).levels;

  it('says who is on duty, takes a replacement, refuses a bad one naming its row, and resets', async function () {
    duty.receive({ payload: 'who?' });
    const [asked] = await outputs.until('out', 1);
    should(asked.payload).have.properties({ levels: ['expert3', 'expert2'], source: 'shift' });

    // a schedule from a shift system: the change of who is on duty is a message of its own
    duty.receive({ payload: { ...plant7(['expert1']), id: undefined, type: undefined } });
    const [, changed] = await outputs.until('out', 2);
    should(levelsOf(changed)).eql(['expert1']);
    should((changed.before as { levels: string[] }).levels).eql(['expert3', 'expert2']);
    should(statusesOf(duty).at(-1)).eql({
      fill: 'yellow',
      shape: 'dot',
      text: 'xassist-duty.status.replaced',
    });

    duty.receive({
      payload: {
        ...plant7(['x']),
        shifts: [{ days: 'daily', from: '7am', to: '00:00', levels: ['x'] }],
      },
    });
    const [caught] = await outputs.until('caught', 1);
    should(caught.error?.message).match(/^payload\.shifts\[0\]\.from: /);
    duty.receive({ payload: 'who?' });
    const [, , still] = await outputs.until('out', 3);
    should(levelsOf(still)).eql(['expert1']);

    duty.receive({ reset: true });
    const [, , , reset] = await outputs.until('out', 4);
    should(levelsOf(reset)).eql(['expert3', 'expert2']);
    should(statusesOf(duty).at(-1)).eql({
      fill: 'green',
      shape: 'dot',
      text: 'xassist-duty.status.table',
    });
  });
});

describe('xassist-duty, given CSV rows through the core csv node', function () {
  const bed = new NodeTestBed();
  let outputs: Outputs<Msg & { payload?: { levels?: string[] } }>;

  beforeEach(async function () {
    await bed.start();
    const loaded = await bed.load<Msg>(
      [serverNode, dutyScheduleNode, dutyNode, csvNode],
      { id: 'duty', type: 'xassist-duty', schedule: 'plant7' },
      ['out'],
      {
        others: [
          plant7(['expert3']),
          // as a flow author sets it: a header row, one message with every row
          {
            id: 'rows',
            type: 'csv',
            z: 'flow',
            x: 100,
            y: 300,
            spec: 'rfc',
            sep: ',',
            hdrin: true,
            hdrout: 'none',
            multi: 'mult',
            ret: '\\n',
            temp: '',
            skip: '0',
            strings: true,
            wires: [['duty']],
          },
        ],
      },
    );
    outputs = loaded.outputs;
  });
  afterEach(() => bed.end(['duty']));

  const csv = (lines: string[]) => helper.getNode('rows').receive({ payload: lines.join('\n') });

  it('puts the rows in force, and names the row and column of a bad one', async function () {
    csv([
      'days,from,to,primary,backup',
      'daily,00:00,00:00,expert1,expert2',
      'otherwise,,,expert4',
    ]);
    const [changed] = await outputs.until('out', 1);
    should(changed.payload?.levels).eql(['expert1', 'expert2']);

    csv(['days,from,to,primary', 'mon-fri,6am,14:00,expert2', 'otherwise,,,expert4']);
    const [caught] = await outputs.until('caught', 1);
    should(caught.error?.message).match(/^payload\[0\]\.from: must be a time HH:MM/);
    // the old schedule stays
    helper.getNode('duty').receive({ payload: 'who?' });
    const [, still] = await outputs.until('out', 2);
    should(still.payload?.levels).eql(['expert1', 'expert2']);
  });
});

describe('xassist-create-call, inviting whoever is on duty, with presence', function () {
  const bed = new NodeTestBed();
  let outputs: Outputs<Msg>;

  beforeEach(() => bed.start());
  afterEach(() => bed.end(['create']));

  const setPresence = (statuses: Record<string, string | null>) => {
    for (const [userId, status] of Object.entries(statuses)) {
      bed.sim.users.find((user) => user.userId === userId)!.presence = status;
    }
  };

  async function load(settings: Record<string, unknown>) {
    const loaded = await bed.load<Msg>(
      [serverNode, createCallNode, dutyScheduleNode],
      {
        id: 'create',
        type: 'xassist-create-call',
        invitees: [{ v: 'plant7:1', vt: 'duty' }],
        ...settings,
      },
      ['created'],
      { others: [plant7(['expert3, expert2', 'expert1'])] },
    );
    outputs = loaded.outputs;
    return loaded.node;
  }

  it('invites the primary level as the message comes, less those offline, and says so', async function () {
    setPresence({ expert3: 'OFFLINE', expert2: 'ONLINE' });
    const create = await load({ presence: true });
    create.receive({ payload: { callTitle: 'Line 7' } });
    const [created] = await outputs.until('created', 1);
    should(bed.answers.created.map((call) => call.invitees)).eql([['expert2']]);
    should(created.people).eql({
      onDuty: ['expert3', 'expert2'],
      invited: ['expert2'],
      skipped: [{ name: 'expert3', why: 'offline' }],
    });
  });

  it('invites everyone on duty when all are offline: never nobody', async function () {
    setPresence({ expert3: 'OFFLINE', expert2: 'OFFLINE' });
    const create = await load({ presence: true });
    create.receive({ payload: { callTitle: 'Line 7' } });
    const [created] = await outputs.until('created', 1);
    should(bed.answers.created.map((call) => call.invitees)).eql([['expert3', 'expert2']]);
    should(created.people).have.properties({ presence: 'all-offline', skipped: [] });
  });

  it('leaves presence alone unless it is asked for', async function () {
    setPresence({ expert3: 'OFFLINE', expert2: 'ONLINE' });
    const create = await load({});
    create.receive({ payload: { callTitle: 'Line 7' } });
    await outputs.until('created', 1);
    should(bed.answers.created.map((call) => call.invitees)).eql([['expert3', 'expert2']]);
  });

  it('sends a duty invitee of a schedule that is not there to Catch, calling nobody', async function () {
    const create = await load({ invitees: [{ v: 'nowhere:1', vt: 'duty' }] });
    create.receive({ payload: { callTitle: 'Line 7' } });
    const [caught] = await outputs.until('caught', 1);
    should(caught.error?.message).match(/nowhere/);
    should(bed.sim.count('rtc/createCall')).equal(0);
  });
});
