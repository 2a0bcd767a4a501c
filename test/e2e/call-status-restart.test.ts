import should from 'should';
import type { CallEvent } from '../../src/xassist';
import { followOverHttp, followOverHttpFlow } from '../support/node-red-process';
import { NodeRedRig } from '../support/node-red-rig';
import { CONNECTOR, startCall } from '../support/simulator';

describe('call-status in a real Node-RED with a file context store', function () {
  this.timeout(60_000);
  const rig = new NodeRedRig();

  before(() => rig.start({ flows: followOverHttpFlow, startNodeRed: false }));

  after(() => rig.close());

  async function redeploy(): Promise<void> {
    should(await rig.nodeRed.deploy()).equal(204);
  }

  it('resumes after a restart and a redeploy with no event lost or repeated', async function () {
    const { sim, collector, nodeRed } = rig;
    await nodeRed.start();

    const call = startCall(sim);
    should(await followOverHttp(nodeRed, call.callId)).equal(200);
    await collector.until('/events', 1);
    sim.calls.join(call.callId, 'expert1');
    await collector.until('/events', 2);

    await nodeRed.stop();
    // while Node-RED is down, the call goes on
    sim.calls.join(call.callId, 'expert2');
    sim.calls.leave(call.callId, 'expert1');
    await nodeRed.start();
    await collector.until('/events', 4);

    sim.calls.addEvent(call.callId, 'ScreenShare', undefined);
    await redeploy();
    await collector.until('/events', 5);
    sim.calls.addEvent(call.callId, 'Recording', undefined);
    await collector.until('/events', 6);

    sim.calls.end(call.callId);
    await collector.until('/ended', 1);
    const events = (await collector.until('/events', 7)) as CallEvent[];
    should(events.map((event) => event.type)).eql([
      'Created',
      'Join',
      'Join',
      'Leave',
      'ScreenShare',
      'Recording',
      'Leave',
    ]);
    should(events.map((event) => event.id)).eql(
      sim.calls.get(call.callId)?.callEvents?.map((event) => event.id),
    );
    should(nodeRed.output).not.containEql(CONNECTOR.password);
  });
});
