import should from 'should';
import type { NodeMessage, NodeMessageInFlow } from 'node-red';
import type { Simulator } from '../../src/sim';
import { CreateCallController } from '../../src/nodes/create-call/controller';
import { createCallSettingsOf } from '../../src/nodes/create-call/settings';
import { TestClients } from '../support/clients';
import { MemoryKit } from '../support/node-kit';
import { startSimulator } from '../support/simulator';

/** create-call's controller alone: no Node-RED, a real client against the simulator. */
describe('CreateCallController, without Node-RED', function () {
  let sim: Simulator;
  const clients = new TestClients(() => sim);

  beforeEach(async () => (sim = await startSimulator()));
  afterEach(() => clients.closeAndCheckSecrets());

  function controllerOn(kit: MemoryKit, keepTrying = 60) {
    const config = { id: 'n1', type: 'xassist-create-call', name: '', z: '', keepTrying };
    return new CreateCallController(kit, createCallSettingsOf(config, kit));
  }

  const alarm = (): NodeMessageInFlow =>
    ({
      _msgid: 'm1',
      payload: { callTitle: 'Press 7', invitedContacts: ['expert1'] },
    }) as NodeMessageInFlow;

  it('turns an alarm into one call, sent with its id, and shows it made', async function () {
    const kit = new MemoryKit(clients.create());
    const sent: NodeMessage[] = [];
    await controllerOn(kit).input(alarm(), (msg) => sent.push(msg as NodeMessage));
    should(sent).have.length(1);
    should(sent[0]).have.properties({ repeat: false, recovered: false });
    should(sim.calls.all().map((call) => call.callId)).eql([
      (sent[0] as { callId?: string }).callId,
    ]);
    should(kit.status).have.properties({ fill: 'green', text: 'status.created' });
  });

  it('saves an alarm a close interrupts, and the next controller on that context makes its call', async function () {
    const client = clients.create();
    const kit = new MemoryKit(client);
    sim.outage(60_000);
    const first = controllerOn(kit);
    const interrupted = first.input(alarm(), () => should.fail('sent', 'nothing'));
    await kit.until(() => kit.status?.fill === 'yellow');
    first.close();
    await interrupted;
    should(sim.calls.all()).be.empty();

    sim.outage(0);
    const next = new MemoryKit(client);
    for (const [key, value] of kit.context) next.context.set(key, value);
    controllerOn(next).resumeSaved();
    await next.until(() => next.sent.length > 0);
    should(sim.calls.all()).have.length(1);
    should(next.logged.some((text) => text.startsWith('log.resumed'))).be.true();
  });
});
