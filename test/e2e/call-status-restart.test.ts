import should from 'should';
import type { Simulator } from '../../src/sim';
import type { CallEvent } from '../../src/xassist';
import {
  Collector,
  followOverHttp,
  followOverHttpFlow,
  freePort,
  NodeRedProcess,
  UserDir,
} from '../support/node-red-process';
import { CONNECTOR, startCall, startSimulator } from '../support/simulator';

describe('call-status in a real Node-RED with a file context store', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let collector: Collector;
  let userDir: UserDir;
  let nodeRed: NodeRedProcess;

  before(async function () {
    sim = await startSimulator();
    collector = new Collector();
    await collector.start();
    userDir = new UserDir();
    userDir.write(
      followOverHttpFlow(sim.tenantUrl, collector),
      { server: { username: CONNECTOR.username, password: CONNECTOR.password } },
      await freePort(),
    );
  });

  after(async function () {
    await nodeRed?.stop();
    await collector.close();
    await sim.close();
    userDir.remove();
  });

  async function redeploy(): Promise<void> {
    should(await nodeRed.deploy()).equal(204);
  }

  it('resumes after a restart and a redeploy with no event lost or repeated', async function () {
    nodeRed = new NodeRedProcess(userDir);
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
