import should from 'should';
import { setMsg, xassistNode } from '../support/flow-nodes';
import type { FlowNode } from '../support/node-red';
import { httpEntryFlow, type Collector } from '../support/node-red-process';
import { NodeRedRig } from '../support/node-red-rig';

/** Alarms POSTed to /alarm make calls; each call made is posted to the collector's /calls. */
function alarmFlow(serverUrl: string, collector: Collector): FlowNode[] {
  return [
    ...httpEntryFlow(serverUrl, { label: 'alarms', path: '/alarm', to: 'create' }),
    xassistNode('create', 'xassist-create-call', {
      invitees: [{ v: 'expert1', vt: 'str' }],
      keepTrying: 30,
      property: 'call',
      x: 300,
      y: 100,
      wires: [['made']],
    }),
    // what the collector gets: the alarm and the call it got
    setMsg('made', 'payload', '{"alarm": payload, "callId": callId, "recovered": recovered}', {
      x: 450,
      y: 100,
      wires: [['calls']],
    }),
    collector.postNode('calls', '/calls', 100),
  ];
}

describe('create-call in a real Node-RED: alarms waiting at a redeploy or a restart', function () {
  this.timeout(90_000);
  const rig = new NodeRedRig();

  before(() => rig.start({ flows: alarmFlow, settings: { flushInterval: 0 } }));

  after(() => rig.close());

  async function alarm(machine: number): Promise<void> {
    should((await rig.nodeRed.post('alarm', { machine })).status).equal(200);
  }

  /** Resolves once Node-RED has logged that create-call is trying again. */
  function retrying(): Promise<void> {
    const { nodeRed } = rig;
    return nodeRed.untilOutput(/the call could not be made yet/, nodeRed.output.length);
  }

  type Made = { alarm: { machine: number }; callId: string; recovered: boolean };

  it('resumes the alarms a redeploy and a restart interrupted: each gets its call, once', async function () {
    const { sim, collector, nodeRed } = rig;
    sim.outage(600_000, { endpoints: ['rtc/createCall'] });
    const waiting = retrying();
    await alarm(1);
    await alarm(2);
    await waiting;
    should(await nodeRed.deploy()).equal(204);
    should(nodeRed.output).match(/2 alarm\(s\) interrupted by a redeploy or a restart/);

    // still down after the redeploy: a graceful restart now, then the server comes back
    await retrying();
    await nodeRed.stop();
    await nodeRed.start();
    // one of the requests of the new start is handled, but its answer lost (a proxy's 503)
    sim.outage(0);
    sim.addFault({ endpoint: 'rtc/createCall', type: 'status-after', status: 503 });
    const made = (await collector.until('/calls', 2)) as Made[];

    should(made.map((each) => each.alarm.machine).sort()).eql([1, 2]);
    should(new Set(made.map((each) => each.callId)).size).equal(2);
    should(sim.calls.all()).have.length(2);
    should(made.filter((each) => each.recovered)).have.length(1);
  });
});
