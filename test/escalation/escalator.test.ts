import { EventEmitter, once } from 'node:events';
import should from 'should';
import { Escalator, type Escalation, type EscalationOutput } from '../../src/escalation/escalator';
import type { Simulator } from '../../src/sim';
import { ScheduleInForce, type Replacement } from '../../src/duty/in-force';
import { onDutyAt } from '../../src/duty/on-duty';
import { presenceRead } from '../../src/duty/presence';
import { resolveCall } from '../../src/mapping/resolve-call';
import { UserDirectory, type CallLog, type XAssistClient } from '../../src/xassist';
import { stepMaker } from '../support/step-maker';
import { Answers } from '../support/answers';
import { TestClients } from '../support/clients';
import { nextRequest, startCall, startSimulator } from '../support/simulator';

type Fault = Parameters<Simulator['addFault']>[0];

describe('Escalator', function () {
  let sim: Simulator;
  let client: XAssistClient;
  let answers: Answers;
  let escalator: Escalator | undefined;
  const clients = new TestClients(() => sim);
  const outputs: EscalationOutput[] = [];
  const emitted = new EventEmitter();
  let saved: Escalation[] = [];
  const failed: unknown[] = [];

  beforeEach(async function () {
    sim = await startSimulator();
    client = clients.create();
    answers = new Answers(sim);
    outputs.length = 0;
    failed.length = 0;
    saved = [];
  });

  afterEach(async function () {
    presenceOn = false;
    await escalator?.stop();
    escalator = undefined;
    answers.stop();
    await clients.closeAndCheckSecrets();
  });

  /** who is on duty, by a schedule that a test replaces as a shift system would */
  let duty: ScheduleInForce | undefined;

  /** presence on: read afresh for each step, as the escalate node does */
  let presenceOn = false;

  function start(using = client): Escalator {
    const client = using;
    const directory = new UserDirectory(client);
    escalator = new Escalator({
      presence: presenceOn ? (names) => presenceRead(names, directory) : undefined,
      resolve: (draft) => resolveCall(draft, new UserDirectory(client)),
      onDuty: async ({ level }) => {
        const { levels } = onDutyAt(duty!.current.schedule, Date.now());
        return (levels[level - 1] ?? levels[levels.length - 1])
          .split(',')
          .map((name) => name.trim());
      },
      make: stepMaker(client),
      read: (callId) => client.getCallLogById(callId),
      emit: (output) => {
        outputs.push(output);
        emitted.emit('output');
      },
      save: (escalations) => {
        saved = structuredClone(escalations);
      },
      onStepFailed: (err) => failed.push(err),
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

  const variants: Array<Partial<Simulator['variants']>> = [
    {},
    { dates: 'epoch' },
    { listOrder: 'asc' },
    { listOrder: 'shuffle', dates: 'epoch' },
  ];
  for (const variant of variants) {
    it(`finds the call a stopped node was making instead of making it twice, and keeps its deadline (server: ${JSON.stringify(variant)})`, async function () {
      // older calls fill more than the page that is read: an unsorted page would miss the call
      for (let i = 0; i < 60; i++) startCall(sim, ['expert1']);
      const since = Date.now() - 300;
      // the call made as Node-RED stopped: on the server, but not in the saved escalation
      const made: CallLog = startCall(sim, ['expert3']);
      Object.assign(sim.variants, variant);
      answers.created.length = 0;
      start().resume(escalation({ startedAt: since, callingSince: since }));
      answers.joins('expert2', 100);
      await until(1);
      should(outputs[0].kind).equal('joined');
      should(sim.count('rtc/createCall')).equal(1);
      should(answers.created.map((created) => created.invitees)).eql([['expert2']]);
      const first = (outputs[0] as { escalation: Escalation }).escalation.calls[0];
      should(first.callId).equal(made.callId);
      // the step began when the call began to be made: its deadline is then plus its wait
      should(first.deadline).equal(since + 800);
    });
  }

  it('calls whoever is on duty when the step is called: step 2 after a shift change', async function () {
    const shift = (levels: string[]) => ({
      zone: 'UTC',
      shifts: [{ days: 'daily', from: '00:00', to: '00:00', levels }],
      otherwise: ['expert4'],
    });
    const kept: { replacement?: Replacement } = {};
    duty = new ScheduleInForce(shift(['expert3', 'expert1']), {
      load: () => kept.replacement,
      save: (replacement) => (kept.replacement = replacement),
    });
    const onDutyStep = (level: number, timeoutMs: number) => ({
      draft: { callTitle: 'Line 7', callType: 'SFU' as const, invitedContacts: [] },
      duty: { schedule: 'plant7', level },
      timeoutMs,
    });
    answers.created.length = 0;
    start().start(escalation({ steps: [onDutyStep(1, 800), onDutyStep(2, 5_000)] }));
    await answers.untilCreated(1);
    // the night shift takes over while the primary's call rings
    duty.replace(shift(['expert1', 'expert2']));
    answers.joins('expert2', 100);
    await until(1);
    should(outputs[0].kind).equal('joined');
    should(answers.created.map((created) => created.invitees)).eql([['expert3'], ['expert2']]);
    // what is saved says whom each step called
    should(saved[0]?.steps.map((step) => step.calling?.position)).eql([0, 1]);
    should(saved[0]?.people?.map(({ onDuty, invited }) => ({ onDuty, invited }))).eql([
      { onDuty: ['expert3'], invited: ['expert3'] },
      { onDuty: ['expert2'], invited: ['expert2'] },
    ]);
  });

  describe('with presence on', function () {
    const setPresence = (statuses: Record<string, string | null>) => {
      for (const [userId, status] of Object.entries(statuses)) {
        sim.users.find((one) => one.userId === userId)!.presence = status;
      }
    };
    const people = (escalation: Escalation) =>
      escalation.people?.map(({ invited, skipped, presence }) => ({
        invited,
        skipped: skipped.map((one) => `${one.name}: ${one.why}`),
        presence,
      }));
    const steps = (...lists: string[][]) =>
      lists.map((userIds, index) => ({
        body: {
          callTitle: 'Line 7',
          callType: 'SFU' as const,
          invitedContacts: userIds.map((userId) => ({ userId })),
        },
        timeoutMs: index === 0 ? 800 : 5_000,
      }));

    beforeEach(() => {
      presenceOn = true;
      answers.created.length = 0;
    });

    it('leaves out the people reported offline, and says whom and why', async function () {
      setPresence({ expert3: 'OFFLINE', expert1: 'ONLINE', expert2: 'ONLINE' });
      answers.joins('expert1', 100);
      start().start(escalation({ steps: steps(['expert3', 'expert1'], ['expert2']) }));
      await until(1);
      should(outputs[0].kind).equal('joined');
      should(answers.created.map((created) => created.invitees)).eql([['expert1']]);
      should(people(outputs[0].escalation)).eql([
        { invited: ['expert1'], skipped: ['expert3: offline'], presence: undefined },
      ]);
    });

    it('passes over a step whose people are all offline while a later step has someone', async function () {
      setPresence({ expert3: 'OFFLINE', expert2: 'ONLINE' });
      answers.joins('expert2', 100);
      const startedAt = Date.now();
      start().start(escalation({ steps: steps(['expert3'], ['expert2']) }));
      await until(1);
      should(outputs[0].kind).equal('joined');
      should(answers.created.map((created) => created.invitees)).eql([['expert2']]);
      // at once, not after step 1's wait of 800 ms
      should(outputs[0].escalation.calls[0].calledAt - startedAt).be.below(800);
      should(outputs[0].escalation.failures).eql([]);
      should(people(outputs[0].escalation)).eql([
        { invited: [], skipped: ['expert3: offline'], presence: 'passed-over' },
        { invited: ['expert2'], skipped: [], presence: undefined },
      ]);
    });

    it('calls everyone as planned when every step is offline: never nobody', async function () {
      setPresence({ expert3: 'OFFLINE', expert2: 'OFFLINE' });
      answers.joins('expert3', 100);
      start().start(escalation({ steps: steps(['expert3'], ['expert2']) }));
      await until(1);
      should(answers.created.map((created) => created.invitees)).eql([['expert3']]);
      should(people(outputs[0].escalation)).eql([
        { invited: ['expert3'], skipped: [], presence: 'all-offline' },
      ]);
    });

    it('calls as planned when the server tells no presence', async function () {
      setPresence({ expert3: null, expert2: null });
      answers.joins('expert3', 100);
      start().start(escalation({ steps: steps(['expert3'], ['expert2']) }));
      await until(1);
      should(answers.created.map((created) => created.invitees)).eql([['expert3']]);
      should(people(outputs[0].escalation)).eql([
        { invited: ['expert3'], skipped: [], presence: 'no-status' },
      ]);
    });

    it('reads presence afresh for each step: step 2 calls who came back', async function () {
      setPresence({ expert3: 'ONLINE', expert2: 'OFFLINE', expert1: 'ONLINE' });
      start().start(escalation({ steps: steps(['expert3'], ['expert2', 'expert1']), rounds: 2 }));
      await answers.untilCreated(1);
      // step 1 rings unanswered; expert2 comes online before step 2
      setPresence({ expert2: 'ONLINE' });
      answers.joins('expert2', 100);
      await until(1);
      should(answers.created.map((created) => created.invitees)).eql([
        ['expert3'],
        ['expert2', 'expert1'],
      ]);
    });
  });

  it('makes the call again when the server has none like it', async function () {
    const since = Date.now();
    startCall(sim, ['expert1']); // another call: not the step's invitees
    answers.created.length = 0;
    start().resume(escalation({ callingSince: since }));
    await answers.untilCreated(1);
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
    await answers.untilCreated(1);
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
    await answers.untilCreated(2);
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

  describe('when the server is down or refuses', function () {
    it('tries a step again through a 1.5 s outage at the alarm and makes its call once', async function () {
      sim.outage(1_500);
      const alarmAt = Date.now();
      answers.joins('expert2', 100);
      start().start(escalation({ steps: [step('expert2', 10_000)], startedAt: alarmAt }));
      await until(1);
      should(outputs[0].kind).equal('joined');
      should(sim.count('rtc/createCall')).equal(1);
      const madeAfter = answers.created[0].at - alarmAt;
      should(madeAfter).be.within(1_500, 1_500 + 4_000);
      should(failed).be.empty();
    });

    it('gives up each step it cannot call at its deadline, and is exhausted after the sum of the waits', async function () {
      sim.outage(60_000);
      const alarmAt = Date.now();
      start().start(
        escalation({ steps: [step('expert2', 400), step('expert1', 600)], startedAt: alarmAt }),
      );
      await until(1);
      const exhaustedAfter = Date.now() - alarmAt;
      const { kind, escalation: done } = outputs[0] as { kind: string; escalation: Escalation };
      should(kind).equal('exhausted');
      // on time: a read or a createCall on a busy 2-core machine is the only slack; timers run
      // on the monotonic clock, which may be a millisecond ahead of Date.now's
      should(exhaustedAfter).be.within(1_000 - 5, 1_000 + 400);
      should(done.calls).be.empty();
      should(done.failures.map((failure) => [failure.position, failure.reason])).eql([
        [0, 'timed-out'],
        [1, 'timed-out'],
      ]);
      should(done.failures[0].message).match(/503/);
      should(done.failures[0].attempts).be.aboveOrEqual(1);
      should(failed).have.length(2);
      should(sim.count('rtc/createCall')).equal(0);
    });

    const unanswered: Array<{ title: string; fault: Fault; createCalls: number }> = [
      {
        title: 'looks for the call a broken connection may have made before making it again',
        // the server makes the call, then the connection breaks before the answer
        fault: { endpoint: 'rtc/createCall', type: 'drop-after' },
        createCalls: 1,
      },
      {
        title: 'makes the call again after a 500 when the server has no call like it',
        fault: { endpoint: 'rtc/createCall', type: 'status', status: 500 },
        createCalls: 2,
      },
    ];
    for (const { title, fault, createCalls } of unanswered) {
      it(title, async function () {
        await client.listUsers();
        sim.addFault(fault);
        answers.joins('expert2', 100);
        start().start(escalation({ steps: [step('expert2', 10_000)] }));
        await until(1);
        should(outputs[0].kind).equal('joined');
        should(sim.count('rtc/createCall')).equal(createCalls);
        should(sim.count('rtc/getFilteredCallLogsV2')).equal(1);
        should(sim.calls.all()).have.length(1);
      });
    }

    it('reports refused credentials once, tries until the deadlines, and is exhausted on time', async function () {
      const wrong = clients.create({ password: 'wrong-password' });
      const alarmAt = Date.now();
      start(wrong).start(
        escalation({ steps: [step('expert2', 300), step('expert1', 300)], startedAt: alarmAt }),
      );
      await until(1);
      should(outputs[0].kind).equal('exhausted');
      // timers run on the monotonic clock, Date.now() in whole ms: a deadline may read 1 ms early
      should(Date.now() - alarmAt).be.within(600 - 2, 600 + 400);
      should(failed).have.length(1);
      should((failed[0] as Error).message).match(/refused the login/);
      should(sim.count('login')).equal(1);
    });

    it('calls the next step at once when the server refuses a step (400)', async function () {
      sim.addFault({ endpoint: 'rtc/createCall', type: 'status', status: 400 });
      answers.joins('expert1', 100);
      start().start(escalation({ steps: [step('expert2', 10_000), step('expert1', 10_000)] }));
      await until(1);
      const { escalation: done } = outputs[0] as { escalation: Escalation };
      should(done.joined?.position).equal(1);
      should(done.failures).match([{ position: 0, reason: 'refused', attempts: 1 }]);
    });
  });
});
