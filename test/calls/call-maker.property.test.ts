import fc from 'fast-check';
import should from 'should';
import { CallMaker, type CallApi } from '../../src/calls/call-maker';
import { CallDedup, type DedupRecord } from '../../src/calls/dedup';
import { CallLedger } from '../../src/calls/ledger';
import { XAssistError, type CallLog, type CreateCallRequest, type Page } from '../../src/xassist';
import { everyInterleaving, releaseAll } from '../support/scheduler';

const KEYS = ['line7', 'line8'] as const;
type Key = (typeof KEYS)[number];
/** what the next createCall meets: made and answered, refused before (nothing made), lost after */
type CreateFault = 'unreachable' | '429' | '503-before' | '503-after' | 'dropped-after';

type Command =
  | { kind: 'alarm'; key: Key }
  | { kind: 'fail-next-create'; fault: CreateFault }
  | { kind: 'fail-next-list' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(...KEYS).map((key) => ({ kind: 'alarm', key }) as const),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom<CreateFault>('unreachable', '429', '503-before', '503-after', 'dropped-after')
      .map((fault) => ({ kind: 'fail-next-create', fault }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'fail-next-list' } as const) },
);

/** Every alarm asks for the same body: only the ledger keeps them from taking one call twice. */
const BODY: CreateCallRequest = { callTitle: 'alarm', invitedContacts: [{ userDbId: 9 }] };

/** A server in memory whose answers come when the scheduler lets them. */
class Server implements CallApi {
  readonly calls: CallLog[] = [];
  readonly creates: CreateFault[] = [];
  failLists = 0;

  constructor(
    private readonly s: fc.Scheduler,
    private readonly now: () => number,
  ) {}

  createCall = async (body: CreateCallRequest): Promise<CallLog> => {
    const fault = this.creates.shift();
    await this.s.schedule(Promise.resolve(), 'createCall');
    if (fault === 'unreachable') throw error('network', undefined, false);
    if (fault === '429') throw error('http', 429, true, 1_000);
    if (fault === '503-before') throw error('http', 503, true);
    const call: CallLog = {
      id: this.calls.length + 1,
      callId: `call-${this.calls.length + 1}`,
      title: body.callTitle,
      callStatus: 'Started',
      invitedContacts: body.invitedContacts,
      invitedTeams: [],
      callStart: this.now(),
    };
    this.calls.push(call);
    if (fault === '503-after') throw error('http', 503, true);
    if (fault === 'dropped-after') throw error('network', undefined, true);
    return structuredClone(call);
  };

  getCallLogPage = async (): Promise<Page<CallLog>> => {
    const fails = this.failLists > 0;
    if (fails) this.failLists -= 1;
    await this.s.schedule(Promise.resolve(), 'list');
    if (fails) throw error('http', 503, true);
    const content = structuredClone([...this.calls].reverse());
    return { content, totalElements: content.length, totalPages: 1, last: true };
  };
}

function error(
  kind: 'http' | 'network',
  status: number | undefined,
  mayHaveReachedServer: boolean,
  retryAfterMs?: number,
): XAssistError {
  return new XAssistError(kind, `xAssist rtc/createCall failed: ${status ?? kind}`, {
    path: 'rtc/createCall',
    status,
    retryAfterMs,
    mayHaveReachedServer,
  });
}

describe('CallMaker with dedup keys under every interleaving of failures (fast-check)', function () {
  this.timeout(120_000);
  const tried = { runs: 0, alarms: 0, faults: 0, recovered: 0, failed: 0 };

  after(function () {
    console.log(
      `      tried ${tried.runs} interleavings: ${tried.alarms} alarms, ${tried.faults} faults, ` +
        `${tried.recovered} calls recovered, ${tried.failed} alarms failed`,
    );
  });

  it('answers every alarm once, gives no call to two keys, and makes at most one call per key unless an alarm of it failed', async function () {
    await everyInterleaving(commandArb, async (s, commands) => {
      tried.runs += 1;
      let time = 0;
      const server = new Server(s, () => time);
      const maker = new CallMaker(server, new CallLedger(), {
        now: () => time,
        random: () => 0.5,
      });
      let records: Record<string, DedupRecord> = {};
      const dedup = new CallDedup(
        { load: () => records, save: (saved) => (records = saved) },
        () => time,
      );
      const answers: Array<Promise<{ key: Key; callId?: string }>> = [];
      const wait = async (ms: number) => {
        await s.schedule(Promise.resolve(), 'wait');
        time += ms;
      };

      const alarm = (key: Key) => {
        tried.alarms += 1;
        const until = time + 5_000;
        const create = () =>
          maker
            .make(() => Promise.resolve(BODY), { until, wait })
            .then((made) => {
              if (made.recovered) tried.recovered += 1;
              return made.call;
            });
        // calls never end here: a held call is open
        const open = async (callId: string) => server.calls.find((c) => c.callId === callId);
        answers.push(
          dedup.run(key, 600_000, create, open, until).then(
            ({ call }) => ({ key, callId: call.callId }),
            () => ({ key }),
          ),
        );
      };

      s.scheduleSequence(
        commands.map((command) => ({
          label: JSON.stringify(command),
          builder: async () => {
            if (command.kind === 'alarm') alarm(command.key);
            else if (command.kind === 'fail-next-list') server.failLists += 1;
            else {
              tried.faults += 1;
              server.creates.push(command.fault);
            }
          },
        })),
      );
      await releaseAll(s);
      const settled = await Promise.all(answers);

      should(settled).have.length(commands.filter((c) => c.kind === 'alarm').length);
      const keyOfCall = new Map<string, Key>();
      for (const { key, callId } of settled) {
        if (!callId) continue;
        should(keyOfCall.get(callId) ?? key).equal(key, `${callId} given to two keys`);
        keyOfCall.set(callId, key);
      }
      for (const key of KEYS) {
        const mine = settled.filter((answer) => answer.key === key);
        const failed = mine.filter((answer) => !answer.callId).length;
        tried.failed += failed;
        const calls = new Set(mine.map((answer) => answer.callId).filter(Boolean));
        should(calls.size).be.belowOrEqual(1 + failed, `calls for ${key}`);
      }
      if (settled.every((answer) => answer.callId)) {
        // nobody failed: every call the server made went to an alarm
        const given = new Set(settled.map((answer) => answer.callId));
        should(server.calls.filter((call) => !given.has(call.callId))).have.length(0);
      }
    });
  });
});
