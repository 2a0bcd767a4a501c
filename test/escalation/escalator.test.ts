import { EventEmitter, once } from 'node:events';
import should from 'should';
import { Escalator, type Escalation, type EscalationOutput } from '../../src/escalation/escalator';
import { findCallOf } from '../../src/escalation/recover';
import type { Simulator } from '../../src/sim';
import type { CallLog, XAssistClient } from '../../src/xassist';
import { Answers } from '../support/answers';
import { TestClients } from '../support/clients';
import { nextRequest, startCall, startSimulator } from '../support/simulator';

describe('Escalator', function () {
  let sim: Simulator;
  let client: XAssistClient;
  let answers: Answers;
  let escalator: Escalator | undefined;
  const clients = new TestClients(() => sim);
  const outputs: EscalationOutput[] = [];
  const emitted = new EventEmitter();
  let saved: Escalation[] = [];

  beforeEach(async function () {
    sim = await startSimulator();
    client = clients.create();
    answers = new Answers(sim);
    outputs.length = 0;
    saved = [];
  });

  afterEach(async function () {
    await escalator?.stop();
    escalator = undefined;
    answers.stop();
    await clients.closeAndCheckSecrets();
  });

  function start(): Escalator {
    escalator = new Escalator({
      create: (body) => client.createCall(body),
      findMade: async (step, since, known) =>
        findCallOf((await client.getFilteredCallLogs(50)).content, step.body, since, known),
      read: (callId) => client.getCallLogById(callId),
      emit: (output) => {
        outputs.push(output);
        emitted.emit('output');
      },
      save: (escalations) => {
        saved = structuredClone(escalations);
      },
      onStepFailed: () => undefined,
      onReadFailed: () => undefined,
      intervalMs: 100,
      maxConcurrent: 8,
    });
    return escalator;
  }

  async function until(count: number): Promise<void> {
    while (outputs.length < count) await once(emitted, 'output');
  }

  const step = (userId: string, timeoutMs: number) => ({
    body: { callTitle: 'Line 7', callType: 'SFU' as const, invitedContacts: [{ userId }] },
    timeoutMs,
  });

  function escalation(overrides: Partial<Escalation> = {}): Escalation {
    return {
      id: 'line7',
      alarm: { payload: 'alarm' },
      steps: [step('expert3', 800), step('expert2', 5_000)],
      rounds: 1,
      position: 0,
      startedAt: Date.now(),
      calls: [],
      failures: [],
      ...overrides,
    };
  }

  it('finds the call a stopped node was making instead of making it twice, and keeps its deadline', async function () {
    const since = Date.now() - 300;
    // the call made as Node-RED stopped: on the server, but not in the saved escalation
    const made: CallLog = startCall(sim, ['expert3']);
    answers.created.length = 0;
    start().resume(escalation({ startedAt: since, callingSince: since }));
    answers.joins('expert2', 100);
    await until(1);
    should(outputs[0].kind).equal('joined');
    should(sim.count('rtc/createCall')).equal(1);
    should(answers.created.map((created) => created.invitees)).eql([['expert2']]);
    const first = (outputs[0] as { escalation: Escalation }).escalation.calls[0];
    should(first.callId).equal(made.callId);
    should(first.deadline).equal(Date.parse(String(made.callStart)) + 800);
  });

  it('makes the call again when the server has none like it', async function () {
    const since = Date.now();
    startCall(sim, ['expert1']); // another call: not the step's invitees
    answers.created.length = 0;
    start().resume(escalation({ callingSince: since }));
    while (answers.created.length < 1) await new Promise((resolve) => sim.once('event', resolve));
    should(answers.created[0].invitees).eql(['expert3']);
  });

  it('decides a deadline that passed while it was stopped at once, on a fresh read', async function () {
    const made = startCall(sim, ['expert3']);
    answers.created.length = 0;
    const calledAt = Date.now() - 10_000;
    start().resume(
      escalation({
        startedAt: calledAt,
        calls: [{ callId: made.callId, position: 0, calledAt, deadline: calledAt + 800 }],
      }),
    );
    while (answers.created.length < 1) await new Promise((resolve) => sim.once('event', resolve));
    should(answers.created[0].invitees).eql(['expert2']);
    should(saved[0]).match({ position: 1 });
  });

  it('lists, without following, a call made while an earlier call was being joined', async function () {
    const running = start();
    running.start(escalation({ steps: [step('expert1', 300), step('expert3', 5_000)] }));
    await new Promise((resolve) => sim.once('event', resolve));
    const first = answers.created[0].call.callId;
    // the second step's call is slow to make; expert1 joins the first call meanwhile
    sim.addFault({ endpoint: 'rtc/createCall', type: 'latency', ms: 400 });
    await nextRequest(sim, 'rtc/createCall');
    sim.calls.join(first, 'expert1');
    await until(1);
    should(outputs[0]).match({ kind: 'joined', escalation: { joined: { callId: first } } });
    while (answers.created.length < 2) await new Promise((resolve) => sim.once('event', resolve));
    sim.calls.end(first);
    await until(2);
    const ended = outputs[1] as { kind: string; escalation: Escalation };
    should(ended.kind).equal('ended');
    should(ended.escalation.calls.map((call) => call.position)).eql([0, 1]);
    should(sim.reads[answers.created[1].call.callId] ?? 0).equal(0);
  });

  it('saves the call being made before stop() resolves', async function () {
    sim.addFault({ endpoint: 'rtc/createCall', type: 'latency', ms: 300 });
    const running = start();
    running.start(escalation());
    await new Promise((resolve) => sim.once('request', resolve));
    await running.stop();
    escalator = undefined;
    should(saved[0].calls).have.length(1);
    should(saved[0].callingSince).be.undefined();
  });
});
