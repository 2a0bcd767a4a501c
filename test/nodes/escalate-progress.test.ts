import type { Node } from 'node-red';
import should from 'should';
import type { ProgressRow } from '../../src/escalation/progress';
import { escalateNode, serverNode } from '../support/node-red';
import { NodeTestBed } from '../support/node-test-bed';
import type { Outputs } from '../support/outputs';

type Msg = { topic: string; payload: ProgressRow[] };
const PORTS = ['joined', 'exhausted', 'ended', 'progress'] as const;

describe('xassist-escalate progress output, for a board', function () {
  this.timeout(20_000);
  const bed = new NodeTestBed();
  let outputs: Outputs<Msg>;

  beforeEach(() => bed.start());
  afterEach(() => bed.end(['escalate']));

  async function load(settings: Record<string, unknown>): Promise<Node> {
    const escalate = {
      id: 'escalate',
      type: 'xassist-escalate',
      pollInterval: 0.1,
      steps: [
        { v: 'expert3', vt: 'str', timeout: 0.6 },
        { v: 'expert2', vt: 'str', timeout: 30 },
      ],
      dedupKey: 'topic',
      dedupKeyType: 'msg',
      ...settings,
    };
    const loaded = await bed.load<Msg>([serverNode, escalateNode], escalate, PORTS);
    outputs = loaded.outputs;
    return loaded.node;
  }

  /** The next board message whose row for `key` is in `state` at `step`. */
  async function boardWith(key: string, state: string, step: number): Promise<ProgressRow> {
    for (let count = 1; ; count++) {
      const messages = await outputs.until('progress', count);
      const row = messages[count - 1].payload.find((each) => each.key === key);
      if (row?.state === state && row.step === step) return row;
    }
  }

  it('shows each escalation as it goes: who is called since when, then how it ended', async function () {
    const { sim, answers } = bed;
    answers.joins('expert2', 300);
    const escalate = await load({ progress: true, outputs: 4 });
    const alarmAt = Date.now();
    escalate.receive({ topic: 'line7', payload: { machine: 7 } });
    const calling = await boardWith('line7', 'calling', 1);
    should(Date.now() - alarmAt).be.below(1_000);
    should(calling).match({ steps: 2, round: 1, rounds: 1, calling: ['expert3'], topic: 'line7' });
    should(Date.parse(calling.since)).be.within(alarmAt - 50, Date.now());

    const second = await boardWith('line7', 'calling', 2);
    should(second.calling).eql(['expert2']);
    const joined = await boardWith('line7', 'joined', 2);
    should(joined.joinedBy).equal('expert2');

    sim.calls.end(answers.created[1].call.callId);
    const ended = await boardWith('line7', 'ended', 2);
    should(ended.at).be.a.String();
    const last = outputs.received.progress.at(-1);
    should(last?.topic).equal('escalations');
  });

  it('sends nothing on a fourth output unless asked', async function () {
    const { answers } = bed;
    answers.joins('expert3', 100);
    const escalate = await load({});
    escalate.receive({ topic: 'line8', payload: {} });
    await outputs.until('joined', 1);
    should(outputs.received.progress).be.empty();
  });
});
