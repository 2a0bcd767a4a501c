import should from 'should';
import { Answers } from '../support/answers';
import { setMsg, xassistNode } from '../support/flow-nodes';
import type { FlowNode } from '../support/node-red';
import { httpEntryFlow, type Collector } from '../support/node-red-process';
import { NodeRedRig } from '../support/node-red-rig';
import { CONNECTOR, nextRequest } from '../support/simulator';

/** the first step's wait: long enough for a restart to fit inside it */
const FIRST_WAIT_S = 6;
const SLACK_MS = 600;

/** POST /alarm → escalate (expert3, then expert2) → msg.escalation posted to /joined, /exhausted, /ended. */
function escalationFlow(serverUrl: string, collector: Collector): FlowNode[] {
  const ports = ['joined', 'exhausted', 'ended'];
  return [
    ...httpEntryFlow(serverUrl, { label: 'escalate', path: '/alarm', to: 'escalate' }),
    xassistNode('escalate', 'xassist-escalate', {
      steps: [
        { v: 'expert3', vt: 'str', timeout: FIRST_WAIT_S },
        { v: 'expert2', vt: 'str', timeout: 30 },
      ],
      timeout: 120,
      rounds: 1,
      dedupKey: 'payload.machine',
      dedupKeyType: 'msg',
      pollInterval: 0.2,
      x: 300,
      y: 100,
      wires: ports.map((port) => [`summary-${port}`]),
    }),
    ...ports.flatMap((port, i) => [
      setMsg(
        `summary-${port}`,
        'payload',
        'escalation',
        { x: 450, y: 100 + 60 * i, wires: [[port]] },
        'msg',
      ),
      collector.postNode(port, `/${port}`, 100 + 60 * i),
    ]),
  ];
}

describe('escalate in a real Node-RED with a file context store', function () {
  this.timeout(90_000);
  const rig = new NodeRedRig();
  let answers: Answers;

  before(async function () {
    await rig.start({ flows: escalationFlow, startNodeRed: false });
    answers = new Answers(rig.sim);
  });

  after(async function () {
    answers?.stop();
    await rig.close();
  });

  it('continues after a restart at the same step with the same deadline, and after a redeploy', async function () {
    const { sim, collector, nodeRed } = rig;
    answers.joins('expert2', 2_000);
    await nodeRed.start();
    const alarmAt = Date.now();
    const alarm = await nodeRed.post('alarm', { machine: 7 });
    should(alarm.status).equal(200);
    await answers.untilCreated(1);

    // a restart in the middle of step 1
    const stoppedAt = Date.now();
    await nodeRed.stop();
    await nodeRed.start();
    const restartMs = Date.now() - stoppedAt;
    should(restartMs).be.below(FIRST_WAIT_S * 1000 - SLACK_MS);
    await answers.untilCreated(2);
    // step 2 is called at step 1's own deadline (the alarm plus its wait), not a full wait
    // after the restart
    const lateBy = answers.created[1].at - (alarmAt + FIRST_WAIT_S * 1000);
    should(lateBy).be.within(0, SLACK_MS);
    console.log(
      `      restart took ${restartMs} ms; the next call came ${lateBy} ms after the deadline`,
    );
    should(answers.created.map((call) => call.invitees)).eql([['expert3'], ['expert2']]);

    // a redeploy while step 2 rings: the join is still seen, once
    should(await nodeRed.deploy()).equal(204);
    const [joined] = (await collector.until('/joined', 1)) as Array<Record<string, unknown>>;
    should(joined).match({ key: '7', outcome: 'joined', step: 2, joinedBy: { userId: 'expert2' } });
    should(joined.joinedAfter).be.within(
      FIRST_WAIT_S * 1000 + 2_000,
      FIRST_WAIT_S * 1000 + 2_000 + 2 * SLACK_MS,
    );

    sim.calls.end(answers.created[1].call.callId);
    const [ended] = (await collector.until('/ended', 1)) as Array<Record<string, unknown>>;
    should(ended).match({ key: '7', outcome: 'ended', step: 2 });
    should(sim.count('rtc/createCall')).equal(2);
    should(collector.received['/joined']).have.length(1);
    should(collector.received['/exhausted']).be.undefined();
    should(nodeRed.output).not.containEql(CONNECTOR.password);
  });

  it('redeployed while a call is being made: waits for it, and the new flow follows it, one call', async function () {
    const { sim, nodeRed } = rig;
    sim.addFault({ endpoint: 'rtc/createCall', type: 'latency', ms: 1_000 });
    const made = answers.created.length;
    await nodeRed.post('alarm', { machine: 8 });
    await nextRequest(sim, 'rtc/createCall');
    const deployAt = Date.now();
    should(await nodeRed.deploy()).equal(204);
    const deployMs = Date.now() - deployAt;
    await answers.untilCreated(made + 1);
    const callId = answers.created[made].call.callId;
    // the new flow follows the call the old one made, and the same alarm again starts nothing
    const readsBefore = sim.reads[callId] ?? 0;
    while ((sim.reads[callId] ?? 0) < readsBefore + 2) {
      await new Promise((resolve) => sim.once('read', resolve));
    }
    await nodeRed.post('alarm', { machine: 8 });
    await new Promise((resolve) => sim.once('read', resolve));
    should(answers.created.length).equal(made + 1);
    should(sim.count('rtc/createCall')).equal(made + 1);
    should(nodeRed.output).not.containEql('Close timed out');
    console.log(`      a redeploy with a createCall in flight (1 s) took ${deployMs} ms`);
  });
});
