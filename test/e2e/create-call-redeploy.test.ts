import should from 'should';
import type { Simulator } from '../../src/sim';
import type { FlowNode } from '../support/node-red';
import {
  Collector,
  freePort,
  httpEntryFlow,
  NodeRedProcess,
  UserDir,
} from '../support/node-red-process';
import { CONNECTOR, startSimulator } from '../support/simulator';

/** Alarms POSTed to /alarm make calls; each call made is posted to the collector's /calls. */
function alarmFlow(serverUrl: string, collector: Collector): FlowNode[] {
  return [
    ...httpEntryFlow(serverUrl, { label: 'alarms', path: '/alarm', to: 'create' }),
    {
      id: 'create',
      type: 'xassist-create-call',
      z: 'tab',
      server: 'server',
      invitees: [{ v: 'expert1', vt: 'str' }],
      keepTrying: 30,
      property: 'call',
      x: 300,
      y: 100,
      wires: [['made']],
    },
    // what the collector gets: the alarm and the call it got
    {
      id: 'made',
      type: 'change',
      z: 'tab',
      rules: [
        {
          t: 'set',
          p: 'payload',
          pt: 'msg',
          to: '{"alarm": payload, "callId": callId, "recovered": recovered}',
          tot: 'jsonata',
        },
      ],
      x: 450,
      y: 100,
      wires: [['calls']],
    },
    collector.postNode('calls', '/calls', 100),
  ];
}

describe('create-call in a real Node-RED: alarms waiting at a redeploy or a restart', function () {
  this.timeout(90_000);
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
      alarmFlow(sim.tenantUrl, collector),
      { server: { username: CONNECTOR.username, password: CONNECTOR.password } },
      await freePort(),
      { flushInterval: 0 },
    );
    nodeRed = new NodeRedProcess(userDir);
    await nodeRed.start();
  });

  after(async function () {
    await nodeRed?.stop();
    await collector.close();
    await sim.close();
    userDir.remove();
  });

  async function alarm(machine: number): Promise<void> {
    const answer = await fetch(`${nodeRed.url}alarm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ machine }),
    });
    should(answer.status).equal(200);
  }

  /** Resolves once Node-RED has logged that create-call is trying again. */
  async function retrying(): Promise<void> {
    const from = nodeRed.output.length;
    while (!/the call could not be made yet/.test(nodeRed.output.slice(from))) {
      await nodeRed.nextOutput();
    }
  }

  type Made = { alarm: { machine: number }; callId: string; recovered: boolean };

  it('resumes the alarms a redeploy and a restart interrupted: each gets its call, once', async function () {
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
