import should from 'should';
import { DEDUP_RECORDS } from '../../src/calls/dedup';
import { ESCALATIONS, MADE_CALLS } from '../../src/escalation/saved';
import { NodeState } from '../../src/state/node-state';
import { current, versioned } from '../../src/state/versioned';
import { FOLLOWED } from '../../src/call-status/saved';

/** Saves as version 0 (before versions) wrote them, and what each becomes in the current one. */
describe('saved state: versions and migrations', function () {
  const step = { body: { invitedContacts: [{ userId: 'expert3' }] }, timeoutMs: 15_000 };

  it('escalations 0 → 1: a step starts when its call began, and failures say why', function () {
    const saved = [
      {
        id: 'line7',
        alarm: { payload: 'alarm' },
        steps: [step, step],
        rounds: 1,
        position: 1,
        startedAt: 1_000,
        calls: [
          { callId: 'a', position: 0, calledAt: 1_200, deadline: 16_200 },
          { callId: 'b', position: 1, calledAt: 16_400, deadline: 31_400 },
        ],
        failures: [{ position: 0, at: 1_100, message: 'xAssist rtc/createCall failed: 400' }],
      },
      {
        id: 'making',
        alarm: {},
        steps: [step],
        rounds: 1,
        position: 0,
        startedAt: 5_000,
        callingSince: 5_100,
        calls: [],
        failures: [],
      },
      { id: 'broken', steps: [] },
    ];
    const [line7, making, ...rest] = current(ESCALATIONS, saved) ?? [];
    should(line7).match({ stepStartedAt: 16_400, failures: [{ reason: 'refused', attempts: 1 }] });
    should(making).match({ stepStartedAt: 5_100, callingSince: 5_100 });
    should(rest).be.empty();
  });

  it('escalations 1: kept as saved', function () {
    const escalation = {
      id: 'line7',
      alarm: {},
      steps: [step],
      rounds: 2,
      position: 0,
      startedAt: 1_000,
      stepStartedAt: 1_000,
      calls: [],
      failures: [
        { position: 0, at: 2_000, message: '503', reason: 'timed-out' as const, attempts: 4 },
      ],
    };
    should(current(ESCALATIONS, versioned(ESCALATIONS, [escalation]))).eql([escalation]);
  });

  it('followed calls 0 → 1: the same list, without entries that are not calls', function () {
    const call = {
      callId: 'c1',
      context: {},
      startedAt: 1,
      lastEventId: 7,
      joined: false,
      noJoinSent: false,
    };
    should(current(FOLLOWED, [call, { callId: 42 }, null])).eql([call]);
  });

  it('dedup records 0 → 1: the same records, without those that are not calls', function () {
    const record = { createdAt: 1, call: { callId: 'c1' } };
    should(current(DEDUP_RECORDS, { 'key:a': record, 'key:b': { createdAt: 'x' } })).eql({
      'key:a': record,
    });
  });

  it('calls made 0 → 1: the same list of [call id, time]', function () {
    should(current(MADE_CALLS, [['c1', 5], ['c2'], 'c3'])).eql([['c1', 5]]);
  });

  it('reads nothing saved by a newer version of the package (after a downgrade), and nothing at all', function () {
    should(current(ESCALATIONS, { version: 99, value: [] })).be.undefined();
    should(current(ESCALATIONS, undefined)).be.undefined();
    should(current(FOLLOWED, 'garbage')).be.undefined();
  });

  it('saves with the version, through any store', function () {
    const kept = new Map<string, unknown>();
    const state = new NodeState({
      get: (key) => kept.get(key),
      set: (key, value) => kept.set(key, value),
    });
    state.save('madeCalls', MADE_CALLS, [['c1', 5]]);
    should(kept.get('madeCalls')).eql({ version: 1, value: [['c1', 5]] });
    should(state.load('madeCalls', MADE_CALLS)).eql([['c1', 5]]);
  });
});
