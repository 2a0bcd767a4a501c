import { once } from 'node:events';
import should from 'should';
import type { CallEvent } from '../../src/xassist';
import { escalateNode, serverNode } from '../support/node-red';
import { NodeTestBed } from '../support/node-test-bed';
import { junk, Random } from '../support/random';
import { CONNECTOR } from '../support/simulator';
import { UnhandledRejections } from '../support/unhandled-rejections';

type Msg = Record<string, unknown> & { error?: { message: string; code?: string } };
const GOOD_STEPS: unknown[] = [
  'expert1',
  'expert1, expert2',
  ['expert2@example.com'],
  { invitees: ['expert1'], timeout: 60 },
  { teams: [1], timeout: '60' },
  { invitees: 'tester', teams: [] },
  [{ userId: 'tester', userDbId: 8 }],
];

describe('reliability: the escalate node and bad input', function () {
  this.timeout(120_000);
  const bed = new NodeTestBed();
  const rejections = new UnhandledRejections();

  beforeEach(async function () {
    await bed.start();
    rejections.listen();
  });

  afterEach(async function () {
    const unhandled = rejections.stop();
    await bed.end(['escalate']);
    should(unhandled).be.empty();
  });

  function roster(random: Random): unknown {
    if (random.chance(0.15)) return junk(random);
    return Array.from({ length: 1 + random.int(3) }, () =>
      random.chance(0.75) ? random.pick(GOOD_STEPS) : junk(random),
    );
  }

  it('answers 300 random messages each with one call or one clear error, never both, never a crash', async function () {
    const settings = {
      id: 'escalate',
      type: 'xassist-escalate',
      steps: [{ v: 'expert1', vt: 'str', timeout: '60' }],
      pollInterval: 5,
    };
    const { sim } = bed;
    const { node: escalate, outputs } = await bed.load<Msg>(
      [serverNode, escalateNode],
      settings,
      ['joined', 'exhausted', 'ended'],
      { credentials: { ...CONNECTOR } },
    );
    let created = 0;
    sim.on('event', (_callId: string, event: CallEvent) => {
      if (event.type === 'Created') created += 1;
    });
    const random = new Random(20261123);
    let caught = 0;
    for (let i = 0; i < 300; i++) {
      const msg: Record<string, unknown> = { payload: random.chance(0.3) ? junk(random) : 'alarm' };
      const key = random.chance(0.05) ? junk(random) : 'alarm';
      // a key used twice starts one escalation: every valid key here is used once
      msg.dedupKey = typeof key === 'string' || typeof key === 'number' ? `${key}-${i}` : key;
      if (random.chance(0.8)) msg.roster = roster(random);
      const before = { caught, created };
      escalate.receive(msg);
      while (outputs.received.caught.length === before.caught && created === before.created) {
        await Promise.race([once(sim, 'event'), outputs.until('caught', before.caught + 1)]);
      }
      caught = outputs.received.caught.length;
      // one outcome per message: its first call, or one error naming a field
      should(caught - before.caught + (created - before.created)).equal(1);
      if (caught > before.caught) {
        const error = outputs.received.caught[caught - 1].error;
        should(error?.message).match(
          /^(roster|steps|dedupKey)\b|\bpayload\b|^[a-zA-Z]+(\[\d+\])?[:.]/,
        );
      }
    }
    should(created).be.above(50);
    should(caught).be.above(50);
    should(outputs.received.exhausted).be.empty();
    const saved = escalate.context().get('escalations') as { version: number; value: unknown[] };
    should(saved.version).equal(1);
    should(saved.value).have.length(created);
  });
});
