import { once } from 'node:events';
import type { Node } from 'node-red';
import should from 'should';
import { seedUsers } from '../../src/sim';
import type { CallLog } from '../../src/xassist';
import { serverConfig, xassistNode } from '../support/flow-nodes';
import {
  createCallNode,
  handlesReleased,
  helper,
  loadFlow,
  serverNode,
  statusesOf,
  statusMatching,
} from '../support/node-red';
import { NodeTestBed } from '../support/node-test-bed';
import { Outputs } from '../support/outputs';
import { CONNECTOR } from '../support/simulator';

/** The seed's own Node.js example body, byte for byte. */
const SEED_BODY =
  '{"callType":"SFU","invitedContacts":[{"userId":"tester","userDbId":8,"email":"test@test.com","domain":"ubimax","displayName":"Tester","phoneNumber":null}],"invitedTeams":[],"joinAnonymousAllowed":false,"callTitle":"New Call","plannedDateTime":null,"callReason":"STANDARD"}';

type Msg = Record<string, unknown> & {
  payload?: unknown;
  error?: { message: string; code?: string; cause?: Record<string, unknown>; field?: string };
};
/** The full contact the simulator's users/list gives for a seeded user. */
function contactOf(userId: string) {
  const user = seedUsers('ubimax').find((candidate) => candidate.userId === userId)!;
  return {
    displayName: user.realName,
    domain: 'ubimax',
    email: user.email,
    phoneNumber: '',
    userDbId: user.id,
    userId,
  };
}

/** a date as every message gives it: ISO text in UTC */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Outcome = { port: 'out' | 'caught' | 'failed'; msg: Msg };

describe('xassist-create-call node', function () {
  const bed = new NodeTestBed();
  let outputs: Outputs<Msg>;
  const CREDENTIALS = { server: { username: CONNECTOR.username, password: CONNECTOR.password } };
  /** settings that invite expert1 */
  const toExpert1 = () => ({ invitees: [{ v: 'expert1', vt: 'str' }] });
  /** and make one call for the alarms of one msg.topic */
  const oneCallPerTopic = () => ({ ...toExpert1(), dedupKey: 'topic', dedupKeyType: 'msg' });

  async function load(
    settings: Record<string, unknown> = {},
    env?: Record<string, string>,
    serverSettings: Record<string, unknown> = {},
  ) {
    const errorOutput = settings.errorOutput === true;
    await loadFlow(
      [serverNode, createCallNode],
      [
        {
          id: 'flow',
          type: 'tab',
          label: 'test',
          env: env
            ? Object.entries(env).map(([name, value]) => ({ name, value, type: 'str' }))
            : [],
        },
        serverConfig(bed.sim.tenantUrl, serverSettings),
        xassistNode(
          'create',
          'xassist-create-call',
          { x: 100, y: 100, ...settings, wires: errorOutput ? [['out'], ['failed']] : [['out']] },
          'flow',
        ),
        {
          id: 'catch',
          type: 'catch',
          z: 'flow',
          x: 100,
          y: 200,
          scope: null,
          uncaught: false,
          wires: [['caught']],
        },
        { id: 'out', type: 'helper', z: 'flow', x: 300, y: 100 },
        { id: 'failed', type: 'helper', z: 'flow', x: 300, y: 150 },
        { id: 'caught', type: 'helper', z: 'flow', x: 300, y: 200 },
      ],
      CREDENTIALS,
    );
    outputs = new Outputs<Msg>(['out', 'caught', 'failed'], bed.capture);
    return helper.getNode('create') as Node;
  }

  /** Sends `msg` into the node and resolves with the first message that comes out anywhere. */
  async function send(msg: Msg): Promise<Outcome> {
    const outcome = outputs.next(['out', 'caught', 'failed']);
    (helper.getNode('create') as Node).receive(msg);
    const { id, msg: out } = await outcome;
    return { port: id as Outcome['port'], msg: out };
  }

  async function created(msg: Msg): Promise<Msg> {
    const outcome = await send(msg);
    should(outcome.port).equal('out', JSON.stringify(outcome.msg.error));
    return outcome.msg;
  }

  const lastBody = () => bed.sim.bodiesOf('rtc/createCall').at(-1) as Record<string, unknown>;

  beforeEach(() => bed.start());
  afterEach(() => bed.end(['create']));

  it('shows its own status, a connection problem over it while it lasts, then its own again', async function () {
    const sim = await bed.restartSimulator({ tokenLifetimeMs: 1_500 });
    const node = await load(toExpert1());
    await created({ payload: {} });
    const own = { fill: 'green', shape: 'dot', text: 'xassist-create-call.status.created' };
    should(statusesOf(node).at(-1)).eql(own);
    // the server goes away before the token is due for renewal, and comes back
    const port = Number(new URL(sim.url).port);
    await sim.close();
    const problem = await statusMatching(node, (status) => status.fill === 'red');
    should(problem.text).equal('xassist-server.status.unreachable');
    await sim.listen(port);
    const problemAt = statusesOf(node).indexOf(problem);
    while (
      !statusesOf(node)
        .slice(problemAt + 1)
        .some((status) => status.fill === 'green')
    ) {
      await once(node as unknown as NodeJS.EventEmitter, 'call:status');
    }
    should(statusesOf(node).at(-1)).eql(own);
  });

  describe('mapping msg.payload and the settings to the createCall body', function () {
    it("sends the seed's example body unchanged through a node with no settings", async function () {
      const { sim } = bed;
      await load();
      const msg = await created({ payload: JSON.parse(SEED_BODY), topic: 'alarm/7' });
      should(sim.bodiesOf('rtc/createCall')).eql([JSON.parse(SEED_BODY)]);
      should(sim.count('users/list')).equal(0);
      const call = msg.payload as CallLog;
      should(msg.callId)
        .equal(call.callId)
        .and.match(/^[0-9a-f-]{36}$/);
      should(msg.inviteLink).equal(`${sim.tenantUrl}join/${call.callId}`);
      should(msg.topic).equal('alarm/7');
      should(msg.repeat).be.false();
      should(call.title).equal('New Call');
      should(call.callTitle).equal('New Call');
      should(call.anonymousJoinAllow).be.false();
      should(call.anonymousJoinAllowed).be.false();
      should(call.callEvents?.[0]?.type).equal('Created');
    });

    it('takes the node’s settings for the fields the payload leaves out', async function () {
      await load({
        callTitle: 'Machine alarm',
        callReason: 'SERVICE_REQUEST',
        callReasonType: 'reason',
        callType: 'MESH',
        callTypeType: 'calltype',
        invitees: [{ v: 'expert1', vt: 'str' }],
        joinAnonymousAllowed: 'true',
        joinAnonymousAllowedType: 'bool',
        informOthersDirectly: 'false',
        informOthersDirectlyType: 'bool',
      });
      await created({ payload: { machine: 7, code: 'E42' } });
      should(lastBody()).eql({
        callTitle: 'Machine alarm',
        callReason: 'SERVICE_REQUEST',
        callType: 'MESH',
        invitedContacts: [contactOf('expert1')],
        joinAnonymousAllowed: true,
        informOthersDirectly: false,
      });
    });

    it('lets a payload field win over the setting, and null fall back to it', async function () {
      await load({ callTitle: 'From the node', invitees: [{ v: 'expert1', vt: 'str' }] });
      await created({ payload: { callTitle: 'From the message' } });
      should(lastBody().callTitle).equal('From the message');
      await created({ payload: { callTitle: null } });
      should(lastBody().callTitle).equal('From the node');
      await created({ payload: 'not an object: ignored' });
      should(lastBody().callTitle).equal('From the node');
    });

    it('replaces the node’s invitees with msg.payload.invitedContacts', async function () {
      await load({
        invitees: [
          { v: 'expert1', vt: 'str' },
          { v: 'expert2', vt: 'str' },
        ],
      });
      await created({ payload: { invitedContacts: ['tester'] } });
      should((lastBody().invitedContacts as Array<{ userId: string }>).map((c) => c.userId)).eql([
        'tester',
      ]);
    });

    it('evaluates settings from msg, flow, env and JSONata', async function () {
      await load(
        {
          callTitle: 'alarm.text',
          callTitleType: 'msg',
          invitees: [
            { v: 'onDuty', vt: 'msg' },
            { v: 'BACKUP', vt: 'env' },
          ],
          informOthersDirectly: 'NOTIFY',
          informOthersDirectlyType: 'env',
          plannedDateTime: '"2026-12-01T08:00:00Z"',
          plannedDateTimeType: 'jsonata',
        },
        { BACKUP: 'expert2@example.com', NOTIFY: 'true' },
      );
      await created({ payload: {}, alarm: { text: 'Line 7 stopped' }, onDuty: ['expert1'] });
      const body = lastBody();
      should(body.callTitle).equal('Line 7 stopped');
      should((body.invitedContacts as Array<{ userDbId: number }>).map((c) => c.userDbId)).eql([
        9, 10,
      ]);
      should(body.informOthersDirectly).be.true();
      should(body.plannedDateTime).equal('2026-12-01T08:00:00Z');
    });

    it('keeps a flow saved with version-0 settings working (invitees as text)', async function () {
      await load({ invitees: 'expert1, expert2' });
      await created({ payload: {} });
      should(
        (lastBody().invitedContacts as Array<{ userDbId: number }>).map((c) => c.userDbId),
      ).eql([9, 10]);
    });

    it('accepts a Date and epoch milliseconds for plannedDateTime', async function () {
      await load(toExpert1());
      await created({ payload: { plannedDateTime: new Date('2026-12-24T18:00:00Z') } });
      should(lastBody().plannedDateTime).equal('2026-12-24T18:00:00.000Z');
      await created({ payload: { plannedDateTime: Date.parse('2026-12-31T23:00:00Z') } });
      should(lastBody().plannedDateTime).equal('2026-12-31T23:00:00.000Z');
    });
  });

  describe('contacts as people write them', function () {
    it('completes login names and emails through users/list, remembering them', async function () {
      const { sim } = bed;
      await load({
        invitees: [
          { v: 'expert1', vt: 'str' },
          { v: 'Expert2@Example.com', vt: 'str' },
        ],
      });
      await created({ payload: {} });
      should(lastBody().invitedContacts).eql([contactOf('expert1'), contactOf('expert2')]);
      should(sim.count('users/list')).equal(2);
      await created({ payload: {} });
      should(sim.count('users/list')).equal(2);
    });

    it('completes a partial contact and a creatorUser given by login name (broker mode)', async function () {
      const { sim } = bed;
      await load({ creatorUser: 'glasses1' });
      await created({
        payload: { invitedContacts: [{ userId: 'expert1', phoneNumber: '+49 1' }, 'connector'] },
      });
      const body = lastBody();
      should(body.creatorUser).equal(12);
      should(body.invitedContacts).containDeep([
        { userDbId: 9, userId: 'expert1', phoneNumber: '+49 1' },
        { userDbId: 1 },
      ]);
      const call = sim.calls.list(1)[0];
      should(call.creatorContact?.userId).equal('glasses1');
    });

    it('names the invitee that matches no user, or several', async function () {
      const { sim } = bed;
      await load();
      const none = await send({ payload: { invitedContacts: ['expert1', 'nobody'] } });
      should(none.port).equal('caught');
      should(none.msg.error?.message).equal(
        "invitedContacts[1]: no xAssist user has the login name 'nobody'",
      );
      should(none.msg.error?.code).equal('INVALID_INPUT');
      should(none.msg.error?.cause).eql({ field: 'invitedContacts[1]' });
      sim.users.push({ ...sim.users[2], id: 99, userId: 'expert1b', email: 'expert1@example.com' });
      const several = await send({ payload: { invitedContacts: ['expert1@example.com'] } });
      should(several.msg.error?.message).equal(
        "invitedContacts[0]: 2 xAssist users have the email 'expert1@example.com'",
      );
      should(sim.count('rtc/createCall')).equal(0);
    });
  });

  describe('bad input', function () {
    const cases: Array<[string, unknown, RegExp]> = [
      ['unknown callType', { callType: 'VIDEO' }, /^callType: must be MESH or SFU, not 'VIDEO'$/],
      [
        'unknown callReason',
        { callReason: 'URGENT' },
        /^callReason: must be STANDARD or SERVICE_REQUEST, not 'URGENT'$/,
      ],
      [
        'a contact that is a number',
        { invitedContacts: ['expert1', 7] },
        /^invitedContacts\[1\]: must be a login name, an email or a contact object, not the number 7$/,
      ],
      [
        'a contact that is a list',
        { invitedContacts: [['expert1']] },
        /^invitedContacts\[0\]: must be a login name, an email or a contact object, not a list$/,
      ],
      [
        'a contact object with nothing to find it by',
        { invitedContacts: [{ displayName: 'X' }] },
        /^invitedContacts\[0\]: a contact needs a userDbId, a userId \(login name\) or an email$/,
      ],
      [
        'a text boolean',
        { joinAnonymousAllowed: 'yes' },
        /^joinAnonymousAllowed: must be true or false, not the text 'yes'$/,
      ],
      [
        'a number boolean',
        { informOthersDirectly: 1 },
        /^informOthersDirectly: must be true or false, not the number 1$/,
      ],
      [
        'a creatorUser that is neither id nor name',
        { creatorUser: 1.5 },
        /^creatorUser: must be a user's numeric id or login name, not the number 1.5$/,
      ],
      [
        'a creatorUser object',
        { creatorUser: { id: 1 } },
        /^creatorUser: must be a user's numeric id or login name, not an object$/,
      ],
      [
        'a plannedDateTime that is no date',
        { plannedDateTime: 'tomorrow' },
        /^plannedDateTime: must be a date \(a Date, an ISO 8601 text or epoch milliseconds\), not the text 'tomorrow'$/,
      ],
      [
        'an invalid Date',
        { plannedDateTime: new Date('nope') },
        /^plannedDateTime: must be a date .*not an invalid date$/,
      ],
      [
        'no invitee',
        { invitedContacts: [] },
        /^invitedContacts: nobody is invited: add an invitee in the node or give msg.payload.invitedContacts$/,
      ],
      [
        'MESH with two invitees',
        { callType: 'MESH', invitedContacts: ['expert1', 'expert2'] },
        /^callType: a MESH call has exactly one invitee: use SFU for more$/,
      ],
      [
        'a team given by name',
        { invitedContacts: ['expert1'], invitedTeams: ['Experts'] },
        /^invitedTeams\[0\]: must be a team object or a team's numeric id/,
      ],
      [
        'a title that is not text',
        { invitedContacts: ['expert1'], callTitle: 42 },
        /^callTitle: must be text, not the number 42$/,
      ],
    ];

    for (const [what, fields, message] of cases) {
      it(`rejects ${what}, naming the field, and sends nothing`, async function () {
        const { sim } = bed;
        const node = await load();
        const payload = { invitedContacts: ['expert1'], ...(fields as object) };
        const outcome = await send({ payload });
        should(outcome.port).equal('caught');
        should(outcome.msg.error?.message).match(message);
        should(outcome.msg.error?.code).equal('INVALID_INPUT');
        should(sim.count('rtc/createCall')).equal(0);
        should(statusesOf(node).at(-1)).eql({
          fill: 'red',
          shape: 'ring',
          text: 'xassist-create-call.status.invalid',
        });
      });
    }

    it('sends failures to the second output when asked, and not to Catch', async function () {
      await load({ errorOutput: true });
      const outcome = await send({
        payload: { callType: 'VIDEO', invitedContacts: ['expert1'] },
        topic: 't',
      });
      should(outcome.port).equal('failed');
      should(outcome.msg.error).eql({
        message: "callType: must be MESH or SFU, not 'VIDEO'",
        field: 'callType',
      });
      should(outcome.msg.topic).equal('t');
    });
  });

  describe('the alarm on the way', function () {
    it('puts the call in another property when asked: msg.payload and msg.topic stay the alarm', async function () {
      await load({ ...toExpert1(), property: 'call' });
      const alarm = { machine: 7, state: 'stopped' };
      const msg = await created({ payload: alarm, topic: 'factory/line7/alarm' });
      should(msg.payload).eql(alarm);
      should(msg.topic).equal('factory/line7/alarm');
      should((msg.call as CallLog).callId).equal(msg.callId);
      should(lastBody().invitedContacts).eql([contactOf('expert1')]);
    });

    it('gives the call’s dates as ISO text beside the server’s, the same when it sends epoch numbers', async function () {
      const { sim } = bed;
      const seen: Msg[][] = [];
      for (const dates of ['iso', 'epoch'] as const) {
        sim.variants.dates = dates;
        await load(oneCallPerTopic());
        const now = await created({ payload: {}, topic: 'machine-7' });
        // the dedup key's open call, read back from the server
        const repeat = await created({ payload: {}, topic: 'machine-7' });
        const planned = await created({
          payload: { plannedDateTime: '2026-12-24T19:00:00+01:00' },
          topic: 'machine-8',
        });
        should(repeat.repeat).be.true();
        const asSent = (iso: unknown) =>
          dates === 'iso' || iso === null ? iso : Date.parse(String(iso));
        for (const msg of [now, repeat]) {
          // the simulator keeps its dates as ISO texts, and answers them in the variant's form
          const stored = sim.calls.get(String(msg.callId))!;
          should(msg.payload).match({
            callStart: asSent(stored.callStart),
            callStartIso: stored.callStart,
            callEnd: null,
            callEndIso: null,
            plannedDateTime: null,
            plannedDateTimeIso: null,
          });
          should((msg.payload as CallLog).callStartIso).match(ISO);
        }
        should(planned.payload).match({
          callStart: null,
          callStartIso: null,
          plannedDateTime: asSent('2026-12-24T19:00:00+01:00'),
          plannedDateTimeIso: '2026-12-24T18:00:00.000Z',
        });
        seen.push([now, repeat, planned]);
        await helper.unload();
      }
      // a flow written against the default sees the same properties
      const shape = (messages: Msg[]) =>
        messages.map((msg) => ({
          keys: Object.keys(msg).sort(),
          call: Object.keys(msg.payload as CallLog).sort(),
        }));
      should(shape(seen[1])).eql(shape(seen[0]));
    });

    it('reports a name nobody has at once, with the closest logins, and sends no createCall', async function () {
      const { sim } = bed;
      await load({ invitees: [{ v: 'exprt1', vt: 'str' }] });
      const outcome = await send({ payload: {} });
      should(outcome.port).equal('caught');
      should(outcome.msg.error?.message).equal(
        "invitedContacts[0]: no xAssist user has the login name 'exprt1' (did you mean expert1?)",
      );
      should(outcome.msg.error?.code).equal('INVALID_INPUT');
      should(sim.count('rtc/createCall')).equal(0);
    });
  });

  describe('no duplicate calls', function () {
    it('after a 401 mid-flow, renews the token and creates exactly one call', async function () {
      const { sim } = bed;
      await load(toExpert1());
      await created({ payload: {} });
      sim.tokens.revokeAccess();
      await created({ payload: {} });
      should(sim.count('rtc/createCall')).equal(3);
      should(sim.count('refresh')).equal(1);
      should(sim.calls.list(10)).have.length(2);
    });

    it('outputs the call that a connection dropped after it was made, found among the newest, and makes no second one', async function () {
      const { sim } = bed;
      await load(toExpert1());
      sim.addFault({ endpoint: 'rtc/createCall', type: 'drop-after' });
      const msg = await created({ payload: {} });
      should(msg).match({ recovered: true, repeat: false, attempts: 1 });
      should(sim.count('rtc/createCall')).equal(1);
      should(sim.calls.list(10).map((call) => call.callId)).eql([msg.callId]);
      should(outputs.received.caught).have.length(0);
    });

    it("outputs the call that a proxy's 502 answered after it was made: one call, a normal output", async function () {
      const { sim } = bed;
      await load(toExpert1());
      sim.addFault({ endpoint: 'rtc/createCall', type: 'status-after', status: 502, html: true });
      const msg = await created({ payload: {} });
      should(msg).match({ recovered: true, attempts: 1 });
      should((msg.payload as CallLog).callId).equal(msg.callId);
      should(sim.calls.all()).have.length(1);
      should(outputs.received.caught).have.length(0);
    });

    it('outputs the call whose answer came after the request timeout: one call, a normal output', async function () {
      const { sim } = bed;
      await load(toExpert1(), undefined, { timeout: 0.5 });
      sim.addFault({ endpoint: 'rtc/createCall', type: 'latency-after', ms: 1_500 });
      const msg = await created({ payload: {} });
      should(msg).match({ recovered: true, attempts: 1 });
      should(sim.calls.all()).have.length(1);
      should(outputs.received.caught).have.length(0);
    });

    it('gives two identical alarms whose answers were both lost a call each', async function () {
      const { sim } = bed;
      await load({
        invitees: [{ v: 'expert1', vt: 'str' }],
        callTitle: 'Line 7',
        callTitleType: 'str',
      });
      await created({ payload: {} }); // an earlier call just like theirs is no one's lost call
      sim.addFault({ endpoint: 'rtc/createCall', type: 'drop-after', count: 2 });
      const [a, b] = await Promise.all([created({ payload: {} }), created({ payload: {} })]);
      should([a.recovered, b.recovered]).eql([true, true]);
      should(a.callId).not.equal(b.callId);
      should(sim.calls.all()).have.length(3);
      should(sim.count('rtc/createCall')).equal(3);
    });

    it('sends again a request that certainly did not reach the server, and creates one call', async function () {
      const { sim } = bed;
      const node = await load(toExpert1());
      await created({ payload: {} });
      const port = Number(new URL(sim.url).port);
      await sim.close();
      await handlesReleased(); // the client sees its kept-alive socket closed
      const retrying = new Promise<void>((resolve) =>
        (node as unknown as NodeJS.EventEmitter).once('call:log', () => resolve()),
      );
      const outcome = send({ payload: {} });
      await retrying;
      await sim.listen(port);
      should((await outcome).port).equal('out');
      should(sim.count('rtc/createCall')).equal(2);
      should(sim.calls.list(10)).have.length(2);
    });

    it('reports a server error that lasts longer than Keep trying, with its status, message and attempts', async function () {
      const { sim } = bed;
      const node = await load({ ...toExpert1(), keepTrying: 1 });
      await created({ payload: {} });
      sim.outage(60_000, { endpoints: ['rtc/createCall'] });
      const startedAt = Date.now();
      const outcome = await send({ payload: {} });
      const after = Date.now() - startedAt;
      should(outcome.port).equal('caught');
      should(outcome.msg.error?.code).equal('HTTP_503');
      should(outcome.msg.error?.message).match(
        /Simulated outage.*\(gave up: \d+ call requests sent\)$/,
      );
      should(outcome.msg.error?.cause).containEql({ status: 503, mayHaveReachedServer: true });
      // it gives up when its next attempt would come after the second is over
      should(after).be.within(0, 5_000);
      // a 503 may come after the call was made: each repeat was looked for first
      should(sim.count('rtc/getFilteredCallLogsV2')).be.aboveOrEqual(
        sim.count('rtc/createCall') - 2,
      );
      should(sim.calls.all()).have.length(1);
      should(statusesOf(node).at(-1)).eql({ fill: 'red', shape: 'ring', text: 'error 503' });
    });

    it('with a dedup key, gives the open call back instead of calling again', async function () {
      const { sim } = bed;
      await load(oneCallPerTopic());
      const first = await created({ payload: {}, topic: 'machine-7' });
      const [again, concurrent] = await Promise.all([
        created({ payload: {}, topic: 'machine-7' }),
        created({ payload: {}, topic: 'machine-7' }),
      ]);
      should(first.repeat).be.false();
      should(again.repeat).be.true();
      should(again.callId).equal(first.callId);
      should(concurrent.callId).equal(first.callId);
      const other = await created({ payload: {}, topic: 'machine-8' });
      should(other.callId).not.equal(first.callId);
      should(sim.count('rtc/createCall')).equal(2);

      sim.calls.end(first.callId as string);
      const afterEnd = await created({ payload: {}, topic: 'machine-7' });
      should(afterEnd.repeat).be.false();
      should(afterEnd.callId).not.equal(first.callId);
      should(sim.count('rtc/createCall')).equal(3);
    });

    it('reads a dedup key saved without its type as the editor shows it: a msg property', async function () {
      const { sim } = bed;
      // a flow written by hand, or by a tool, that names the key but not its type
      await load({ ...toExpert1(), dedupKey: 'topic' });
      const seven = await created({ payload: {}, topic: 'machine-7' });
      const eight = await created({ payload: {}, topic: 'machine-8' });
      should(eight.callId).not.equal(seven.callId);
      should((await created({ payload: {}, topic: 'machine-7' })).callId).equal(seven.callId);
      should(sim.count('rtc/createCall')).equal(2);
    });

    it('rides out an outage at the alarm while it cannot log in, and makes the call once', async function () {
      const { sim } = bed;
      await load(toExpert1());
      sim.outage(2_500);
      const alarmAt = Date.now();
      const msg = await created({ payload: {}, topic: 'machine-7' });
      const madeAfter = Date.now() - alarmAt;
      should(madeAfter).be.within(2_500, 2_500 + 8_000);
      should(msg.repeat).be.false();
      should(sim.calls.all()).have.length(1);
      console.log(`      outage of 2.5 s at the alarm: the call was made after ${madeAfter} ms`);
    });

    it('rides out 3 s of 503 at createCall: one call, within about a second of the server coming back', async function () {
      const { sim } = bed;
      const node = await load(toExpert1());
      await created({ payload: {}, dedupKey: 'warm-up' });
      sim.outage(3_000, { endpoints: ['rtc/createCall'] });
      const backAt = Date.now() + 3_000;
      const msg = await created({ payload: {} });
      const madeAfterReturn = Date.now() - backAt;
      should(madeAfterReturn).be.within(0, 2_000);
      should(msg).match({ recovered: false, repeat: false });
      should(msg.attempts).be.above(1);
      should(sim.calls.all()).have.length(2);
      should(outputs.received.caught).have.length(0);
      should(statusesOf(node)).containEql({
        fill: 'yellow',
        shape: 'ring',
        text: 'xassist-create-call.status.retrying',
      });
      console.log(
        `      3 s of 503: the call made ${madeAfterReturn} ms after the server came back, ` +
          `${msg.attempts} attempts`,
      );
    });

    it('gives each of 30 alarms at once its call when the first 12 are answered 429 with Retry-After: 1', async function () {
      const { sim } = bed;
      await load(toExpert1());
      await created({ payload: {} });
      sim.addFault({
        endpoint: 'rtc/createCall',
        type: 'status',
        status: 429,
        retryAfter: 1,
        count: 12,
      });
      const startedAt = Date.now();
      const alarms = await Promise.all(Array.from({ length: 30 }, () => created({ payload: {} })));
      const tookMs = Date.now() - startedAt;
      should(new Set(alarms.map((msg) => msg.callId)).size).equal(30);
      should(sim.calls.all()).have.length(31);
      should(sim.count('rtc/createCall')).equal(31 + 12);
      // a 429 made nothing: nothing to look for
      should(sim.count('rtc/getFilteredCallLogsV2')).equal(0);
      should(alarms.every((msg) => msg.recovered === false)).be.true();
      should(outputs.received.caught).have.length(0);
      console.log(`      30 alarms, 12 answered 429: 30 calls in ${tookMs} ms`);
    });

    it('makes one call for 20 concurrent alarms with one key once its call has ended', async function () {
      const { sim } = bed;
      await load(oneCallPerTopic());
      const first = await created({ payload: {}, topic: 'machine-7' });
      sim.calls.end(first.callId as string);
      const alarms = await Promise.all(
        Array.from({ length: 20 }, () => created({ payload: {}, topic: 'machine-7' })),
      );
      const callIds = new Set(alarms.map((msg) => msg.callId));
      should(callIds.size).equal(1);
      should(callIds.has(first.callId)).be.false();
      should(alarms.filter((msg) => !msg.repeat)).have.length(1);
      should(sim.count('rtc/createCall')).equal(2);
      // the ended call was read once for all 20
      should(sim.reads[first.callId as string]).equal(1);
    });

    it('lets the alarms waiting on one dedup key share the attempts, and gives each of them the call', async function () {
      const { sim } = bed;
      await load(toExpert1());
      await created({ payload: {}, dedupKey: 'warm-up' });
      sim.addFault({ endpoint: 'rtc/createCall', type: 'latency', ms: 100 });
      sim.addFault({ endpoint: 'rtc/createCall', type: 'status', status: 500, count: 2 });
      const alarms = await Promise.all(
        Array.from({ length: 20 }, () => created({ payload: {}, dedupKey: 'alarm-1' })),
      );
      should(new Set(alarms.map((msg) => msg.callId)).size).equal(1);
      should(alarms.filter((msg) => !msg.repeat)).have.length(1);
      should(sim.count('rtc/createCall')).equal(1 + 3);
      should(sim.calls.all()).have.length(2);
    });

    it('reports each waiting alarm once when the server fails for longer than Keep trying, then frees the key', async function () {
      const { sim } = bed;
      await load({ ...toExpert1(), keepTrying: 0.5 });
      await created({ payload: {}, dedupKey: 'warm-up' });
      sim.outage(60_000, { endpoints: ['rtc/createCall'] });
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, () => send({ payload: {}, dedupKey: 'alarm-1' })),
      );
      should(outcomes.every((outcome) => outcome.port === 'caught')).be.true();
      sim.outage(0);
      // the key is free again: the next alarm makes its call
      should((await created({ payload: {}, dedupKey: 'alarm-1' })).repeat).be.false();
      should(sim.calls.all()).have.length(2);
    });

    it('frees a key whose call is gone (404), instead of giving the lost call back', async function () {
      const { sim } = bed;
      await load(oneCallPerTopic());
      const first = await created({ payload: {}, topic: 'machine-7' });
      sim.calls.clear(); // another server, or the call deleted
      const next = await created({ payload: {}, topic: 'machine-7' });
      should(next.repeat).be.false();
      should(next.callId).not.equal(first.callId);
      const again = await created({ payload: {}, topic: 'machine-7' });
      should(again).match({ repeat: true, callId: next.callId });
      should(sim.count('rtc/createCall')).equal(2);
      // the 404 was believed once a small read showed the server answering
      should(sim.count('rtc/getFilteredCallLogsV2')).equal(1);
    });

    /** Machine 7's alarm makes its call; after `meanwhile`, its next alarm gets that call back. */
    async function sameCallAfter(meanwhile: () => void): Promise<void> {
      await load(oneCallPerTopic());
      const first = await created({ payload: {}, topic: 'machine-7' });
      meanwhile();
      const next = await created({ payload: {}, topic: 'machine-7' });
      should(next).match({ repeat: true, callId: first.callId });
      should(bed.sim.count('rtc/createCall')).equal(1);
    }

    it('keeps a key whose call answers 404 while the server answers nothing else: no second call', async function () {
      const { sim } = bed;
      // a route briefly wrong: the reads answer JSON 404s, createCall is still served
      const reads = ['rtc/getCallLogById', 'rtc/getFilteredCallLogsV2', 'users/list'];
      await sameCallAfter(() => sim.outage(60_000, { status: 404, endpoints: reads }));
      should(sim.count('rtc/getFilteredCallLogsV2')).equal(1);
    });

    it('takes a held call whose state cannot be read as open: no second call', async function () {
      const { sim } = bed;
      await sameCallAfter(() =>
        sim.addFault({ endpoint: 'rtc/getCallLogById', type: 'status', status: 503 }),
      );
    });

    it('waits for a call being created when the same key arrives meanwhile', async function () {
      const { sim } = bed;
      await load(toExpert1());
      sim.addFault({ endpoint: 'rtc/createCall', type: 'latency', ms: 200 });
      const [a, b] = await Promise.all([
        created({ payload: {}, dedupKey: 'alarm-1' }),
        created({ payload: {}, dedupKey: 'alarm-1' }),
      ]);
      should(a.callId).equal(b.callId);
      should([a.repeat, b.repeat].sort()).eql([false, true]);
      should(sim.count('rtc/createCall')).equal(1);
    });
  });
});
