import type { Node, NodeStatus } from 'node-red';
import should from 'should';
import type { ProgressRow } from '../../src/escalation/progress';
import type { CallLog, CallLogContact } from '../../src/xassist';
import { startGateway } from '../support/gateway';
import {
  escalateNode,
  helper,
  loggedTexts,
  serverNode,
  statusMatching,
  statusesOf,
} from '../support/node-red';
import { NodeTestBed } from '../support/node-test-bed';
import type { Outputs } from '../support/outputs';
import { CONNECTOR, nextRequest } from '../support/simulator';

interface Summary {
  key: string;
  outcome: string;
  step: number;
  round: number;
  steps: number;
  rounds: number;
  joinedBy?: CallLogContact;
  joinedAfter?: number;
  stepJoinedAfter?: number;
  joinedAfterFrom?: 'server' | 'seen';
  duration?: number;
  startedAt: string;
  calls: Array<{
    step: number;
    round: number;
    callId: string;
    calledAt: string;
    invitees: string[];
  }>;
  failures: Array<{
    step: number;
    round: number;
    reason: 'refused' | 'timed-out';
    message: string;
    attempts: number;
  }>;
}
type Msg = Record<string, unknown> & {
  payload: unknown;
  topic?: string;
  callId?: string;
  call?: CallLog;
  escalation: Summary;
  error?: { message: string };
};
const PORTS = ['joined', 'exhausted', 'ended'] as const;
/** a date as every message gives it: ISO text in UTC */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** on a 2-core noisy machine: what a step may take beyond its wait (one read + one createCall) */
const SLACK_MS = 400;

describe('xassist-escalate node', function () {
  const bed = new NodeTestBed();
  let outputs: Outputs<Msg>;

  async function load(
    settings: Record<string, unknown>,
    password = CONNECTOR.password,
    serverUrl = bed.sim.tenantUrl,
  ): Promise<Node> {
    const escalate = { id: 'escalate', type: 'xassist-escalate', pollInterval: 0.1, ...settings };
    const loaded = await bed.load<Msg>([serverNode, escalateNode], escalate, PORTS, {
      serverUrl,
      credentials: { username: CONNECTOR.username, password },
    });
    outputs = loaded.outputs;
    return loaded.node;
  }

  /** The helper loads no message catalogue: a status text is its key. */
  const shows = (key: string, fill: string) => (status: NodeStatus) =>
    status.fill === fill && status.text === `xassist-escalate.status.${key}`;

  /** Resolves with the next status of `node`, from now on, that `matches`. */
  function nextStatus(node: Node, matches: (status: NodeStatus) => boolean): Promise<NodeStatus> {
    const shown = statusesOf(node).length;
    return statusMatching(node, (status) => statusesOf(node).length > shown && matches(status));
  }

  const steps = (...rows: Array<[string, number]>) =>
    rows.map(([who, timeout]) => ({ v: who, vt: 'str', timeout }));
  /** one escalation for the alarms of one msg.topic */
  const BY_TOPIC = { dedupKey: 'topic', dedupKeyType: 'msg' };

  beforeEach(() => bed.start());
  afterEach(() => bed.end(['escalate']));

  it('calls the next expert at the deadline, and reports the join on step 2 with its timing', async function () {
    const { sim, answers } = bed;
    answers.joins('expert2', 300);
    const escalate = await load({ steps: steps(['expert3', 1], ['expert2', 1]), ...BY_TOPIC });
    const alarm = { payload: { machine: 7, temperature: 93 }, topic: 'line7/alarm', site: 'Köln' };
    escalate.receive(alarm);

    const [joined] = await outputs.until('joined', 1);
    const { escalation } = joined;
    should(escalation).match({
      key: 'line7/alarm',
      outcome: 'joined',
      step: 2,
      round: 1,
      steps: 2,
    });
    should(escalation.joinedBy).match({ userId: 'expert2', displayName: 'Ben Backup' });
    should(answers.created.map((created) => created.invitees)).eql([['expert3'], ['expert2']]);
    // the second call is made at the first step's deadline: its start (the alarm) plus its wait
    const deadline = Date.parse(escalation.startedAt) + 1000;
    const gap = answers.created[1].at - deadline;
    should(gap).be.within(0, SLACK_MS);
    // the join by the server's clock: not when a read saw it
    should(escalation.joinedAfterFrom).equal('server');
    // two millisecond stamps of the server's around a 300 ms timer: a few ms either way
    should(escalation.stepJoinedAfter).be.within(290, 300 + SLACK_MS);
    should(escalation.joinedAfter).be.within(1290, 1300 + 2 * SLACK_MS);
    const { call: made } = answers.created[1];
    const join = sim.calls.get(made.callId)!.callEvents!.at(-1)!;
    should(escalation.stepJoinedAfter).equal(
      Date.parse(String(join.time)) - Date.parse(String(made.callStart)),
    );
    should(escalation.joinedAfter).equal(
      Date.parse(escalation.calls[1].calledAt) -
        Date.parse(escalation.startedAt) +
        (escalation.stepJoinedAfter ?? NaN),
    );
    // the alarm flows through as it came
    should(joined).match({ ...alarm, callId: answers.created[1].call.callId });
    should(joined.call?.callId).equal(answers.created[1].call.callId);
    await statusMatching(escalate, shows('joined', 'green'));

    sim.calls.end(answers.created[1].call.callId);
    const [ended] = await outputs.until('ended', 1);
    should(ended).match({ ...alarm, callId: answers.created[1].call.callId });
    should(ended.escalation).match({
      outcome: 'ended',
      step: 2,
      joinedAfter: escalation.joinedAfter,
      joinedAfterFrom: 'server',
    });
    should(sim.count('rtc/createCall')).equal(2);
    should(outputs.received.exhausted).be.empty();
    should(outputs.received.caught).be.empty();
  });

  it('gives its summary, its board and the call’s dates as ISO text, the same when the server sends epoch numbers', async function () {
    const { sim, answers } = bed;
    answers.joins('expert1', 100);
    type Board = Msg & { payload: ProgressRow[] };
    const seen: Array<{ joined: Msg; ended: Msg; board: Board[] }> = [];
    for (const dates of ['iso', 'epoch'] as const) {
      sim.variants.dates = dates;
      const escalate = {
        id: 'escalate',
        type: 'xassist-escalate',
        pollInterval: 0.1,
        steps: steps(['expert1', 5]),
        progress: true,
      };
      const loaded = await bed.load<Msg>([serverNode, escalateNode], escalate, [
        ...PORTS,
        'progress',
      ]);
      outputs = loaded.outputs;
      loaded.node.receive({ payload: { machine: 7 }, topic: `line7/${dates}` });
      const [joined] = await outputs.until('joined', 1);
      const { escalation } = joined;
      // the simulator keeps its dates as ISO texts, and answers them in the variant's form
      const stored = sim.calls.get(String(joined.callId))!;
      const asSent = (iso: unknown) => (dates === 'iso' ? iso : Date.parse(String(iso)));
      should(escalation.startedAt).match(ISO);
      should(escalation.calls.map((call) => call.calledAt)).match([ISO]);
      // the time to join, by the server's clock whatever form it writes its dates in
      const join = stored.callEvents!.at(-1)!;
      should(escalation).match({
        joinedAfterFrom: 'server',
        stepJoinedAfter: Date.parse(String(join.time)) - Date.parse(String(stored.callStart)),
      });
      should(joined.call).match({
        callStart: asSent(stored.callStart),
        callStartIso: stored.callStart,
        callEndIso: null,
      });
      sim.calls.end(stored.callId);
      const [ended] = await outputs.until('ended', 1);
      should(ended.escalation.startedAt).equal(escalation.startedAt);
      should(ended.call).match({ callEnd: asSent(stored.callEnd), callEndIso: stored.callEnd });
      // the board: the escalation calling, joined, then ended
      const board = outputs.received.progress as Board[];
      const endedRow = () => board.at(-1)?.payload.some((row) => row.state === 'ended');
      for (let count = 1; !endedRow(); count++) await outputs.until('progress', count);
      const rows = board.flatMap((msg) => msg.payload);
      should(rows.map((row) => row.state)).containEql('ended');
      for (const row of rows) {
        should(row.since).match(ISO);
        should(row.startedAt).equal(escalation.startedAt);
        if (row.at !== null) should(row.at).match(ISO);
      }
      seen.push({ joined, ended, board });
      await helper.unload();
    }
    // a flow written against the default sees the same properties
    const shape = ({ joined, ended, board }: (typeof seen)[number]) => ({
      joined: Object.keys(joined).sort(),
      ended: Object.keys(ended).sort(),
      escalation: Object.keys(joined.escalation).sort(),
      call: Object.keys(joined.call ?? {}).sort(),
      calls: joined.escalation.calls.map((call) => Object.keys(call).sort()),
      rows: Object.keys(board[0].payload[0]).sort(),
    });
    should(shape(seen[1])).eql(shape(seen[0]));
  });

  it('reports nobody joined after the sum of the waits, round after round', async function () {
    const { sim } = bed;
    const escalate = await load({
      steps: steps(['expert3', 0.5], ['expert3', 0.7]),
      rounds: 2,
    });
    const started = Date.now();
    escalate.receive({ payload: 'alarm' });
    const [exhausted] = await outputs.until('exhausted', 1);
    const took = Date.now() - started;
    should(took).be.within(2400, 2400 + 4 * SLACK_MS);
    should(exhausted.escalation).match({ outcome: 'exhausted', step: 2, round: 2, rounds: 2 });
    should(exhausted.escalation.calls.map((call) => [call.step, call.round])).eql([
      [1, 1],
      [2, 1],
      [1, 2],
      [2, 2],
    ]);
    should(sim.count('rtc/createCall')).equal(4);
    should(exhausted.payload).equal('alarm');
    await statusMatching(escalate, shows('exhausted', 'red'));
  });

  it('starts one escalation for the same alarm sent twice, and a new one once it is cancelled', async function () {
    const { sim, answers } = bed;
    const escalate = await load({ steps: steps(['expert3', 30]), ...BY_TOPIC });
    escalate.receive({ topic: 'machine7', payload: 1 });
    escalate.receive({ topic: 'machine7', payload: 2 });
    await answers.untilCreated(1);
    escalate.receive({ topic: 'machine7', payload: 3 });
    escalate.receive({ topic: 'machine8', payload: 4 });
    await answers.untilCreated(2);
    should(sim.count('rtc/createCall')).equal(2);

    // one escalation left (machine8): the status says which step it calls
    const cancelled = nextStatus(escalate, shows('calling', 'blue'));
    escalate.receive({ topic: 'machine7', stop: true });
    await cancelled;
    escalate.receive({ topic: 'machine7', payload: 5 });
    await answers.untilCreated(3);
    should(sim.count('rtc/createCall')).equal(3);
    should(outputs.received.caught).be.empty();
  });

  it('stops at a late join on an earlier step, and calls nobody after it', async function () {
    const { sim, answers } = bed;
    answers.joins('expert1', 800);
    const escalate = await load({
      steps: steps(['expert1', 0.5], ['expert3', 0.5], ['expert3', 5]),
    });
    escalate.receive({ payload: 'alarm' });
    const [joined] = await outputs.until('joined', 1);
    should(joined.escalation).match({ step: 1, joinedBy: { userId: 'expert1' } });
    should(joined.escalation.calls).have.length(2);
    should(sim.count('rtc/createCall')).equal(2);
  });

  it('takes the steps from msg.roster, with their own waits and teams', async function () {
    const { sim, answers } = bed;
    answers.joins('expert1', 100);
    const escalate = await load({ steps: steps(['expert2', 1]) });
    escalate.receive({
      payload: { callTitle: 'Line 7 down' },
      roster: [{ invitees: 'expert3, glasses1', teams: [1], timeout: 0.3 }, ['expert1']],
    });
    const [joined] = await outputs.until('joined', 1);
    should(joined.escalation).match({ step: 2, steps: 2 });
    should(joined).not.have.property('roster');
    const bodies = sim.bodiesOf('rtc/createCall') as Array<Record<string, unknown>>;
    should(bodies[0]).match({
      callTitle: 'Line 7 down',
      invitedContacts: [{ userId: 'expert3' }, { userId: 'glasses1' }],
      invitedTeams: [{ id: 1 }],
    });
    should(bodies[1]).match({ callTitle: 'Line 7 down', invitedContacts: [{ userId: 'expert1' }] });
  });

  it('rejects bad input with the field named, and calls nobody', async function () {
    const { sim } = bed;
    const escalate = await load({ steps: steps(['expert1', 10]) });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ roster: 'expert1' }, 'roster: must be a list of steps'],
      [{ roster: [] }, 'roster: must list at least one step'],
      [{ roster: [{ invitees: ['expert1'], timeout: -1 }] }, 'roster[0].timeout: must be a number'],
      [{ roster: ['expert1', 42] }, 'roster[1]: must be a login name'],
      [{ roster: ['expert1', ['nobody-such']] }, 'roster[1].invitedContacts[0]'],
      [{ roster: [{ teams: ['Experts'] }] }, 'roster[0].invitedTeams[0]'],
      [{ dedupKey: { a: 1 } }, 'dedupKey: must be text or a number'],
    ];
    for (const [index, [msg, expected]] of cases.entries()) {
      escalate.receive({ payload: 'alarm', ...msg });
      const caught = await outputs.until('caught', index + 1);
      should(caught[index].error?.message).startWith(expected);
    }
    should(sim.count('rtc/createCall')).equal(0);
  });

  it('reports a step whose call the server refuses to Catch, with the alarm, and calls the next at once', async function () {
    const { sim, answers } = bed;
    answers.joins('expert2', 100);
    sim.addFault({ endpoint: 'rtc/createCall', type: 'status', status: 400 });
    const escalate = await load({ steps: steps(['expert1', 60], ['expert2', 60]) });
    escalate.receive({ payload: 'alarm', topic: 'line7' });
    const [caught] = await outputs.until('caught', 1);
    should(caught).match({ payload: 'alarm', topic: 'line7' });
    should(caught.error?.message).match(/400/);
    const [joined] = await outputs.until('joined', 1);
    should(joined.escalation).match({
      step: 2,
      failures: [{ step: 1, reason: 'refused', attempts: 1 }],
    });
    should(joined.escalation.joinedAfter).be.below(60_000);
  });

  it('shows a cancel in its status and the log, and sends nothing: the outputs are wired to actions', async function () {
    const { answers } = bed;
    const escalate = await load({ steps: steps(['expert3', 30]), ...BY_TOPIC });
    escalate.receive({ topic: 'machine7', payload: 'alarm' });
    await answers.untilCreated(1);
    await statusMatching(escalate, shows('calling', 'blue'));
    escalate.receive({ topic: 'machine7', stop: true });
    await nextStatus(escalate, shows('cancelled', 'grey'));
    should(loggedTexts().some((text) => text.includes('xassist-escalate.log.cancelled'))).be.true();
    for (const port of [...PORTS, 'caught']) should(outputs.received[port]).be.empty();
  });

  it('warns once about each setting it cannot take, and uses its default', async function () {
    await load({ steps: steps(['expert3', 30]), rounds: 'twice', timeout: -5, pollInterval: 1 });
    const warnings = loggedTexts().filter((text) => text.includes('xassist-server.warn.setting'));
    should(warnings).have.length(2);
  });

  describe('through outages, stops and concurrent alarms', function () {
    it('rides out a 3 s outage at the alarm: the steps are looked up and the call made once it ends', async function () {
      const { sim, answers } = bed;
      answers.joins('expert1', 200);
      const escalate = await load({ steps: steps(['expert1', 30]) });
      sim.outage(3_000);
      const alarmAt = Date.now();
      escalate.receive({ payload: 'alarm', topic: 'line7' });
      const [joined] = await outputs.until('joined', 1);
      const madeAfter = answers.created[0].at - alarmAt;
      console.log(
        `      outage of 3 s at the alarm: the first call was made after ${madeAfter} ms`,
      );
      should(madeAfter).be.within(3_000, 3_000 + 5_000);
      should(joined.escalation).match({ step: 1, failures: [] });
      should(sim.count('rtc/createCall')).equal(1);
      should(outputs.received.caught).be.empty();
    });

    it('fires nobody joined once, on time, when the server is down all along, saying why each step could not call', async function () {
      const { sim } = bed;
      const escalate = await load({ steps: steps(['expert1', 0.6], ['expert2', 0.8]) });
      sim.outage(60_000);
      const alarmAt = Date.now();
      escalate.receive({ payload: 'alarm', topic: 'line7' });
      const [exhausted] = await outputs.until('exhausted', 1);
      const firedAfter = Date.now() - alarmAt;
      console.log(
        `      server down all along: nobody joined after ${firedAfter} ms (waits: 1400 ms)`,
      );
      // timers run on the monotonic clock, Date.now() in whole ms: a deadline may read 1 ms early
      should(firedAfter).be.within(1_400 - 2, 1_400 + SLACK_MS);
      should(exhausted).match({ payload: 'alarm', topic: 'line7' });
      should(exhausted.escalation).match({ outcome: 'exhausted', calls: [] });
      should(exhausted.escalation.failures).match([
        { step: 1, reason: 'timed-out', message: /503/ },
        { step: 2, reason: 'timed-out', message: /503/ },
      ]);
      // each step that could not call is reported to Catch, with the alarm
      const caught = await outputs.until('caught', 2);
      should(caught[0]).match({ payload: 'alarm', topic: 'line7' });
      // the connection problem is shown while it lasts; then the node's own outcome
      should(statusesOf(escalate).at(-1)).match({ text: 'xassist-server.status.unreachable' });
      sim.outage(0);
      await nextStatus(escalate, shows('exhausted', 'red'));
      should(outputs.received.exhausted).have.length(1);
      should(sim.count('rtc/createCall')).equal(0);
    });

    it('reports refused credentials to Catch at once, and still fires nobody joined at the end', async function () {
      const escalate = await load({ steps: steps(['expert1', 0.5]) }, 'wrong-password');
      const alarmAt = Date.now();
      escalate.receive({ payload: 'alarm' });
      const [caught] = await outputs.until('caught', 1);
      should(Date.now() - alarmAt).be.below(400);
      should(caught.error?.message).match(/refused the login/);
      const [exhausted] = await outputs.until('exhausted', 1);
      should(Date.now() - alarmAt).be.within(500, 500 + SLACK_MS);
      should(exhausted.escalation.failures).match([{ step: 1, reason: 'timed-out' }]);
      should(outputs.received.caught).have.length(1);
    });

    it('cancels an escalation whose steps are still being looked up when msg.stop comes', async function () {
      const { sim, answers } = bed;
      const escalate = await load({ steps: steps(['expert1', 30]), ...BY_TOPIC });
      sim.addFault({ endpoint: 'users/list', type: 'latency', ms: 300 });
      escalate.receive({ topic: 'machine7', payload: 'alarm' });
      await nextRequest(sim, 'users/list');
      // a repeat that waits for that set-up is stopped with it
      escalate.receive({ topic: 'machine7', payload: 'again' });
      escalate.receive({ topic: 'machine7', stop: true });
      // a later alarm for another machine proves the node went on: its call is made
      escalate.receive({ topic: 'machine8', payload: 'alarm' });
      await answers.untilCreated(1);
      should(answers.created.map((created) => created.call.title ?? null)).have.length(1);
      should(sim.count('rtc/createCall')).equal(1);
      should(outputs.received.caught).be.empty();
    });

    it('starts one escalation for 20 alarms with one key that arrive while its steps are looked up', async function () {
      const { sim, answers } = bed;
      const escalate = await load({ steps: steps(['expert1', 30]), ...BY_TOPIC });
      sim.addFault({ endpoint: 'users/list', type: 'latency', ms: 200 });
      for (let i = 0; i < 20; i++) escalate.receive({ topic: 'machine7', payload: i });
      await answers.untilCreated(1);
      // one more alarm for another key, to know the 20 have all been handled
      escalate.receive({ topic: 'machine8', payload: 'other' });
      await answers.untilCreated(2);
      should(sim.count('rtc/createCall')).equal(2);
    });

    it('escalates against a server that shows every variant at once, its tokens revoked midway', async function () {
      const { sim, answers } = bed;
      Object.assign(sim.variants, {
        dates: 'epoch',
        expiredStatus: 403,
        refreshFault: 'html',
        listOrder: 'shuffle',
      });
      answers.joins('expert2', 200);
      const escalate = await load({ steps: steps(['expert3', 0.5], ['expert2', 30]) });
      escalate.receive({ payload: 'alarm' });
      await answers.untilCreated(1);
      sim.tokens.revokeAccess();
      const [joined] = await outputs.until('joined', 1);
      should(joined.escalation).match({ step: 2, joinedBy: { userId: 'expert2' }, failures: [] });
      should(sim.count('rtc/createCall')).equal(2);
      // the refresh answered HTML: the node logged in again, once
      should(sim.count('refresh')).equal(1);
      should(sim.count('login')).equal(2);
      should(outputs.received.caught).be.empty();
    });

    it('sends no call ended through a 3 s storm of HTML 404 pages for the joined call, and once it ends', async function () {
      const { sim, answers } = bed;
      const gateway = await startGateway(sim.url);
      try {
        answers.joins('expert1', 100);
        const escalate = await load(
          { steps: steps(['expert1', 30]) },
          CONNECTOR.password,
          `${gateway.url}${sim.tenant}/`,
        );
        escalate.receive({ payload: 'alarm', topic: 'line7' });
        const [joined] = await outputs.until('joined', 1);
        gateway.pages = 'rtc/getCallLogById';
        await statusMatching(escalate, shows('not-found', 'yellow'));
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        should(outputs.received.ended).be.empty();
        gateway.pages = undefined;
        const endedAt = Date.now();
        sim.calls.end(joined.callId!);
        const [ended] = await outputs.until('ended', 1);
        console.log(
          `      3 s of HTML 404s for the joined call: ${gateway.pagesSent} pages, call ended ` +
            `${Date.now() - endedAt} ms after the call did`,
        );
        should(ended).match({ callId: joined.callId, escalation: { outcome: 'ended' } });
        should((ended.call as CallLog).callStatus).equal('Ended');
        should(outputs.received.ended).have.length(1);
        should(sim.count('rtc/getFilteredCallLogsV2')).equal(0);
      } finally {
        await gateway.close();
      }
    });

    it('sends call ended at once when the joined call is deleted', async function () {
      const { sim, answers } = bed;
      answers.joins('expert1', 100);
      const escalate = await load({ steps: steps(['expert1', 30]) });
      escalate.receive({ payload: 'alarm', topic: 'line7' });
      const [joined] = await outputs.until('joined', 1);
      sim.calls.clear();
      const goneAt = Date.now();
      const [ended] = await outputs.until('ended', 1);
      should(Date.now() - goneAt).be.below(100 + SLACK_MS);
      should(ended).match({ callId: joined.callId, escalation: { outcome: 'ended' } });
      should(ended.call).be.undefined();
      should(sim.count('rtc/getFilteredCallLogsV2')).equal(1);
    });

    it('starts a repeat alarm when the set-up of the first failed on bad input', async function () {
      const { answers } = bed;
      const escalate = await load(BY_TOPIC);
      escalate.receive({ topic: 'machine7', roster: ['nobody-such'] });
      escalate.receive({ topic: 'machine7', roster: ['expert1'] });
      await outputs.until('caught', 1);
      await answers.untilCreated(1);
      should(answers.created[0].invitees).eql(['expert1']);
    });
  });
});
