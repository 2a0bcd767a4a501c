import type { Node } from 'node-red';
import should from 'should';
import type { ProgressRow } from '../../src/escalation/progress';
import type { Simulator } from '../../src/sim';
import { Answers } from '../support/answers';
import { Capture } from '../support/capture';
import {
  escalateNode,
  helper,
  loadFlow,
  oneNodeFlow,
  serverNode,
  unloadAndCheckSecrets,
} from '../support/node-red';
import { Outputs } from '../support/outputs';
import { CONNECTOR, startSimulator } from '../support/simulator';

type Msg = { topic: string; payload: ProgressRow[] };
const PORTS = ['joined', 'exhausted', 'ended', 'progress'] as const;

describe('xassist-escalate progress output, for a board', function () {
  this.timeout(20_000);
  let sim: Simulator;
  let capture: Capture;
  let answers: Answers;
  let outputs: Outputs<Msg>;

  beforeEach(async function () {
    sim = await startSimulator();
    capture = new Capture();
    answers = new Answers(sim);
  });

  afterEach(async function () {
    answers.stop();
    await unloadAndCheckSecrets(sim, capture, ['escalate']);
  });

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
    await loadFlow([serverNode, escalateNode], oneNodeFlow(sim.tenantUrl, escalate, PORTS), {
      server: { username: CONNECTOR.username, password: CONNECTOR.password },
    });
    outputs = new Outputs<Msg>([...PORTS, 'caught'], capture);
    return helper.getNode('escalate') as Node;
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
    answers.joins('expert3', 100);
    const escalate = await load({});
    escalate.receive({ topic: 'line8', payload: {} });
    await outputs.until('joined', 1);
    should(outputs.received.progress).be.empty();
  });
});
