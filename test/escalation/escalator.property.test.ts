import FakeTimers from '@sinonjs/fake-timers';
import fc from 'fast-check';
import should from 'should';
import {
  Escalator,
  type Escalation,
  type EscalationOutput,
  type Step,
} from '../../src/escalation/escalator';
import { CallLedger } from '../../src/calls/ledger';
import { stepMaker } from '../support/step-maker';
import { MemoryXAssist, type CreateOutcome } from '../support/memory-xassist';

const IDS = ['line7', 'line8'] as const;
type Id = (typeof IDS)[number];

/** What happens, after `after` ms of the fake clock. */
type Command = { after: number } & (
  | { kind: 'alarm'; id: Id }
  | { kind: 'stop'; id?: Id }
  | { kind: 'join'; id: Id; first: boolean }
  | { kind: 'end'; id: Id }
  | { kind: 'down' }
  | { kind: 'up' }
  | { kind: 'next-create'; outcome: CreateOutcome }
  | { kind: 'restart' }
);

const idArb = fc.constantFrom(...IDS);
const commandArb: fc.Arbitrary<Command> = fc
  .tuple(
    fc.integer({ min: 0, max: 1_500 }),
    fc.oneof(
      { weight: 4, arbitrary: idArb.map((id) => ({ kind: 'alarm' as const, id })) },
      {
        weight: 1,
        arbitrary: fc
          .option(idArb, { nil: undefined })
          .map((id) => ({ kind: 'stop' as const, id })),
      },
      {
        weight: 3,
        arbitrary: fc
          .tuple(idArb, fc.boolean())
          .map(([id, first]) => ({ kind: 'join' as const, id, first })),
      },
      { weight: 1, arbitrary: idArb.map((id) => ({ kind: 'end' as const, id })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'down' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'up' as const }) },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom<CreateOutcome>('down', 'refused', 'broken-after-made')
          .map((outcome) => ({ kind: 'next-create' as const, outcome })),
      },
      { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
    ),
  )
  .map(([after, command]) => ({ after, ...command }));

const STEPS: Step[] = [
  { body: { callTitle: 'alarm', invitedContacts: [{ userId: 'expert1' }] }, timeoutMs: 1_000 },
  { body: { callTitle: 'alarm', invitedContacts: [{ userId: 'expert2' }] }, timeoutMs: 1_500 },
];

interface Run {
  id: Id;
  outputs: Array<EscalationOutput['kind']>;
  cancelledAfter?: number;
  last?: Escalation;
}

describe('Escalator under interleavings of alarms, stops, joins, failures and restarts (fast-check, fake clock)', function () {
  this.timeout(300_000);
  const tried = { runs: 0, commands: 0, escalations: 0, restarts: 0 };

  after(function () {
    console.log(
      `      tried ${tried.runs} interleavings: ${tried.commands} commands, ` +
        `${tried.escalations} escalations, ${tried.restarts} restarts`,
    );
  });

  it('gives every escalation exactly one outcome, joined or nobody joined, none after a stop, and calls each step at most once', async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 20 }), async (commands) => {
        tried.runs += 1;
        tried.commands += commands.length;
        const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
        try {
          await play(clock, commands);
        } finally {
          clock.uninstall();
        }
      }),
      { numRuns: 1000 },
    );
  });

  async function play(
    clock: ReturnType<typeof FakeTimers.install>,
    commands: Command[],
  ): Promise<void> {
    const server = new MemoryXAssist(() => clock.now);
    const runs: Run[] = [];
    const current = new Map<Id, Run>();
    const violations: string[] = [];
    let saved: Escalation[] = [];
    // the server node's: it outlives the escalate node's restarts
    const ledger = new CallLedger();

    const make = () =>
      new Escalator({
        resolve: () => Promise.reject(new Error('steps come looked up')),
        make: stepMaker(server, ledger),
        read: server.read,
        emit: (output) => {
          const run = current.get(output.escalation.id as Id);
          if (!run) return void violations.push(`output for an unknown escalation`);
          if (run.cancelledAfter !== undefined) {
            violations.push(`${output.kind} after ${run.id} was stopped`);
          }
          run.outputs.push(output.kind);
          run.last = structuredClone(output.escalation);
        },
        save: (escalations) => (saved = structuredClone(escalations)),
        onStepFailed: () => undefined,
        onReadFailed: () => undefined,
        intervalMs: 200,
        maxConcurrent: 8,
        now: () => clock.now,
      });
    let escalator = make();

    for (const command of commands) {
      await clock.tickAsync(command.after);
      switch (command.kind) {
        case 'alarm': {
          const started = escalator.start({
            id: command.id,
            alarm: {},
            steps: structuredClone(STEPS),
            rounds: 2,
            position: 0,
            startedAt: clock.now,
            calls: [],
            failures: [],
          });
          if (started) {
            tried.escalations += 1;
            const run: Run = { id: command.id, outputs: [] };
            runs.push(run);
            current.set(command.id, run);
          }
          break;
        }
        case 'stop':
          for (const id of command.id ? [command.id] : IDS) {
            const run = current.get(id);
            if (run && escalator.get(id)) run.cancelledAfter = run.outputs.length;
          }
          escalator.cancel(command.id);
          break;
        case 'join': {
          const running = escalator.get(command.id);
          const call = command.first ? running?.calls[0] : running?.calls.at(-1);
          if (call) server.join(call.callId, call.position % 2 === 0 ? 'expert1' : 'expert2');
          break;
        }
        case 'end': {
          const joined = escalator.get(command.id)?.joined;
          if (joined) server.end(joined.callId);
          break;
        }
        case 'down':
        case 'up':
          server.down = command.kind === 'down';
          break;
        case 'next-create':
          server.outcomes.push(command.outcome);
          break;
        case 'restart':
          tried.restarts += 1;
          await Promise.all([escalator.stop(), clock.tickAsync(100)]);
          escalator = make();
          for (const escalation of structuredClone(saved)) escalator.resume(escalation);
          break;
      }
    }
    server.down = false;
    server.outcomes.length = 0;
    // long enough for every escalation to run out: 2 rounds of 2.5 s, and reads after an outage
    await clock.tickAsync(30_000);
    await escalator.stop();

    should(violations).eql([]);
    for (const run of runs) {
      const count = (kind: string) => run.outputs.filter((output) => output === kind).length;
      const label = `${run.id}: ${run.outputs.join(', ') || 'nothing'}`;
      should(count('joined') + count('exhausted')).be.belowOrEqual(1, label);
      should(count('ended')).be.belowOrEqual(count('joined'), label);
      if (run.cancelledAfter === undefined) {
        should(count('joined') + count('exhausted')).equal(1, label);
      }
      const positions = (run.last?.calls ?? []).map((call) => call.position);
      should(new Set(positions).size).equal(positions.length, `${label}: a step called twice`);
    }
  }
});
