import should from 'should';
import { presenceRead } from '../../src/duty/presence';
import { Simulator } from '../../src/sim';
import { UserDirectory, XAssistClient } from '../../src/xassist';
import { CONNECTOR } from '../support/simulator';

describe('presence read afresh for a step, against the simulator', function () {
  let sim: Simulator;
  let client: XAssistClient;

  before(async function () {
    sim = new Simulator();
    await sim.listen();
    client = new XAssistClient({ url: sim.tenantUrl, ...CONNECTOR });
  });

  after(async function () {
    await client.close();
    await sim.close();
  });

  const setPresence = (userId: string, status: string | null | undefined) => {
    const user = sim.users.find((one) => one.userId === userId)!;
    if (status === undefined) delete user.presence;
    else user.presence = status;
  };

  it('reads each name afresh, not from the users remembered, and unknown where none is told', async function () {
    const directory = new UserDirectory(client);
    setPresence('expert1', 'ONLINE');
    setPresence('expert3', 'ONLINE');
    await directory.find('expert1');
    // expert1 went offline after the look-up the directory remembers
    setPresence('expert1', 'OFFLINE');
    const presence = await presenceRead(['expert1', 'expert3', 'expert2'], directory);
    should(['expert1', 'expert3', 'expert2'].map(presence)).eql(['offline', 'online', 'unknown']);
    // and the directory remembers the fresh answer
    should((await directory.find('expert1')).status).equal('OFFLINE');
  });

  it('is unknown for a name that cannot be read now: it is called as planned', async function () {
    const directory = new UserDirectory(client);
    setPresence('expert1', 'OFFLINE');
    sim.outage(60_000, { endpoints: ['users/list'] });
    try {
      const presence = await presenceRead(['expert1'], directory);
      should(presence('expert1')).equal('unknown');
    } finally {
      sim.outage(0, { endpoints: ['users/list'] });
    }
  });

  afterEach(function () {
    for (const user of sim.users) delete user.presence;
  });
});
