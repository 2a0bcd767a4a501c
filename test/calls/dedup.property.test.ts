import fc from 'fast-check';
import should from 'should';
import { CallDedup, type DedupRecord } from '../../src/calls/dedup';
import type { CallLog } from '../../src/xassist';
import { everyInterleaving, releaseAll } from '../support/scheduler';

const KEYS = ['line7', 'line8'] as const;
type Key = (typeof KEYS)[number];

/** What happens next, in an order the scheduler picks among everything that is pending. */
type Command =
  | { kind: 'alarm'; key: Key }
  /** the newest call of the key ends (someone hung up) */
  | { kind: 'end'; key: Key }
  /** the newest call of the key disappears (404) */
  | { kind: 'gone'; key: Key }
  /** the next createCall fails */
  | { kind: 'fail-next-create' }
  /** the next read of a held call fails (its state is unknown) */
  | { kind: 'fail-next-read' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(...KEYS).map((key) => ({ kind: 'alarm', key }) as const),
  },
  { weight: 1, arbitrary: fc.constantFrom(...KEYS).map((key) => ({ kind: 'end', key }) as const) },
  { weight: 1, arbitrary: fc.constantFrom(...KEYS).map((key) => ({ kind: 'gone', key }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fail-next-create' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fail-next-read' } as const) },
);

/** The calls of an in-memory server, per key, with what the test needs to judge the dedup. */
class Calls {
  private readonly byId = new Map<string, { key: Key; state: 'open' | 'ended' | 'gone' }>();
  private next = 1;
  failCreates = 0;
  failReads = 0;

  make(key: Key): CallLog {
    const callId = `call-${this.next++}`;
    this.byId.set(callId, { key, state: 'open' });
    return { callId, callStatus: 'Started' };
  }

  openOf(key: Key): string[] {
    return [...this.byId]
      .filter(([, call]) => call.key === key && call.state === 'open')
      .map(([id]) => id);
  }

  settle(key: Key, state: 'ended' | 'gone'): void {
    const newest = [...this.byId]
      .reverse()
      .find(([, call]) => call.key === key && call.state === 'open');
    if (newest) newest[1].state = state;
  }

  state(callId: string): 'open' | 'ended' | 'gone' {
    return this.byId.get(callId)?.state ?? 'gone';
  }
}

describe('CallDedup under every interleaving (fast-check)', function () {
  this.timeout(120_000);
  const tried = { runs: 0, alarms: 0, creates: 0, failedCreates: 0 };

  after(function () {
    console.log(
      `      tried ${tried.runs} interleavings: ${tried.alarms} alarms, ${tried.creates} creates ` +
        `(${tried.failedCreates} failed)`,
    );
  });

  it('never makes a call for a key while another of its calls is open, answers every alarm once, and retries a failed create once for all its waiters', async function () {
    await everyInterleaving(commandArb, async (s, commands) => {
      tried.runs += 1;
      const calls = new Calls();
      let records: Record<string, DedupRecord> = {};
      const dedup = new CallDedup({
        load: () => records,
        save: (saved) => (records = saved),
      });
      const violations: string[] = [];
      const creating = new Map<Key, number>();
      const perKey = new Map<Key, { creates: number; failed: number; freed: number }>();
      const stats = (key: Key) => {
        let entry = perKey.get(key);
        if (!entry) perKey.set(key, (entry = { creates: 0, failed: 0, freed: 0 }));
        return entry;
      };
      const answers: Array<Promise<unknown>> = [];

      const create = (key: Key) => async (): Promise<CallLog> => {
        stats(key).creates += 1;
        tried.creates += 1;
        if ((creating.get(key) ?? 0) > 0) violations.push(`two creates at once for ${key}`);
        const open = calls.openOf(key);
        if (open.length) violations.push(`create for ${key} while ${open.join(',')} is open`);
        creating.set(key, (creating.get(key) ?? 0) + 1);
        const fails = calls.failCreates > 0;
        if (fails) calls.failCreates -= 1;
        try {
          await s.schedule(Promise.resolve(), `createCall ${key}`);
          if (fails) {
            stats(key).failed += 1;
            tried.failedCreates += 1;
            throw new Error('503');
          }
          return calls.make(key);
        } finally {
          creating.set(key, (creating.get(key) ?? 1) - 1);
        }
      };
      const openCall = (key: Key) => async (callId: string) => {
        const fails = calls.failReads > 0;
        if (fails) calls.failReads -= 1;
        await s.schedule(Promise.resolve(), `read ${callId}`);
        if (fails) throw new Error('503');
        const state = calls.state(callId);
        if (state !== 'open') stats(key).freed += 1;
        return state === 'open' ? { callId, callStatus: 'Started' } : undefined;
      };

      const run = (command: Command) => {
        switch (command.kind) {
          case 'alarm':
            tried.alarms += 1;
            answers.push(
              dedup.run(command.key, 600_000, create(command.key), openCall(command.key)).then(
                () => 'made or repeated',
                () => 'failed',
              ),
            );
            return;
          case 'end':
          case 'gone':
            calls.settle(command.key, command.kind === 'end' ? 'ended' : 'gone');
            return;
          case 'fail-next-create':
            calls.failCreates += 1;
            return;
          case 'fail-next-read':
            calls.failReads += 1;
            return;
        }
      };
      s.scheduleSequence(
        commands.map((command) => ({
          label: JSON.stringify(command),
          builder: async () => run(command),
        })),
      );
      await releaseAll(s);
      const settled = await Promise.allSettled(answers);

      should(violations).eql([]);
      should(settled).have.length(answers.length);
      for (const [key, { creates, failed, freed }] of perKey) {
        // the first call, then one more only after a failure or once the held call is over
        should(creates).be.belowOrEqual(1 + failed + freed, `creates for ${key}`);
      }
    });
  });
});
