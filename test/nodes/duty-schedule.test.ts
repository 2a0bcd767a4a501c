import should from 'should';
import type { Node } from 'node-red';
import {
  dutyNode,
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

  async function load(schedule: Record<string, unknown>) {
    const escalate = {
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
      text: 'replaced: expert1',
    });

    duty.receive({
      payload: {
        ...plant7(['x']),
        shifts: [{ days: 'daily', from: '7am', to: '00:00', levels: ['x'] }],
      },
    });
    const [caught] = await outputs.until('caught', 1);
    should(caught.error?.message).match(/^schedule\.shifts\[0\]\.from: /);
    duty.receive({ payload: 'who?' });
    const [, , still] = await outputs.until('out', 3);
    should(levelsOf(still)).eql(['expert1']);

    duty.receive({ reset: true });
    const [, , , reset] = await outputs.until('out', 4);
    should(levelsOf(reset)).eql(['expert3', 'expert2']);
    should(statusesOf(duty).at(-1)).eql({ fill: 'green', shape: 'dot', text: 'table: expert3' });
  });
});
