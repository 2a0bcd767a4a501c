import should from 'should';
import type { Simulator } from '../../src/sim';
import type { CallEvent } from '../../src/xassist';
import type { FlowNode } from '../support/node-red';
import { Collector, freePort, NodeRedProcess, UserDir } from '../support/node-red-process';
import { CONNECTOR, startCall, startSimulator } from '../support/simulator';

describe('call-status in a real Node-RED with a file context store', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let collector: Collector;
  let userDir: UserDir;
  let nodeRed: NodeRedProcess;

  function flows(): FlowNode[] {
    return [
      { id: 'tab', type: 'tab', label: 'follow' },
      {
        id: 'server',
        type: 'xassist-server',
        url: sim.tenantUrl,
        domain: 'ubimax',
        refreshPath: 'refresh',
        timeout: 5,
      },
      {
        id: 'in',
        type: 'http in',
        z: 'tab',
        url: '/follow',
        method: 'post',
        x: 100,
        y: 100,
        wires: [['follow', 'ok']],
      },
      { id: 'ok', type: 'http response', z: 'tab', statusCode: '200', x: 300, y: 50, wires: [] },
      {
        id: 'follow',
        type: 'xassist-call-status',
        z: 'tab',
        server: 'server',
        pollInterval: 0.2,
        x: 300,
        y: 100,
        wires: [['events'], [], [], ['ended']],
      },
      collector.postNode('events', '/events', 100),
      collector.postNode('ended', '/ended', 200),
    ];
  }

  before(async function () {
    sim = await startSimulator();
    collector = new Collector();
    await collector.start();
    userDir = new UserDir();
    userDir.write(
      flows(),
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
    const current = await fetch(`${nodeRed.url}flows`, {
      headers: { 'Node-RED-API-Version': 'v2' },
    });
    const { rev, flows: nodes } = (await current.json()) as { rev: string; flows: FlowNode[] };
    const answer = await fetch(`${nodeRed.url}flows`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Node-RED-API-Version': 'v2',
        'Node-RED-Deployment-Type': 'full',
      },
      body: JSON.stringify({ rev, flows: nodes }),
    });
    should(answer.status).equal(200);
  }

  it('resumes after a restart and a redeploy with no event lost or repeated', async function () {
    nodeRed = new NodeRedProcess(userDir);
    await nodeRed.start();

    const call = startCall(sim);
    const started = await fetch(`${nodeRed.url}follow`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ callId: call.callId }),
    });
    should(started.status).equal(200);
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
