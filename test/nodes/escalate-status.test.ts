import should from 'should';
import type { Escalation } from '../../src/escalation/escalator';
import { escalateStatus } from '../../src/nodes/escalate/status';

/** The catalogue key with its substitutions, as text: what the status would say. */
const t = (key: string, subs: Record<string, string | number> = {}) =>
  `${key} ${JSON.stringify(subs)}`;

function escalation(overrides: Partial<Escalation> = {}): Escalation {
  const step = { body: { invitedContacts: [] }, timeoutMs: 1_000 };
  return {
    id: 'line7',
    alarm: {},
    steps: [step, step],
    rounds: 1,
    position: 0,
    startedAt: 0,
    calls: [],
    failures: [],
    ...overrides,
  };
}

describe('the escalate node status', function () {
  it('names the step of the list, and the round only when there are several', function () {
    should(escalateStatus([escalation({ position: 1 })], undefined, t)).eql({
      fill: 'blue',
      shape: 'dot',
      text: 'status.calling {"step":2,"steps":2,"round":1,"rounds":1}',
    });
    // the first step gone through a second time is step 1 of round 2, as msg.escalation says
    should(escalateStatus([escalation({ position: 2, rounds: 2 })], undefined, t).text).equal(
      'status.calling-round {"step":1,"steps":2,"round":2,"rounds":2}',
    );
  });

  it('says who joined at which step, and how the last one ended once none runs', function () {
    const joined = escalation({
      position: 3,
      rounds: 2,
      joined: { callId: 'c', position: 3, at: 0, contact: null },
    });
    should(escalateStatus([joined], undefined, t)).match({
      fill: 'green',
      text: 'status.joined-round {"step":2,"steps":2,"round":2,"rounds":2}',
    });
    should(escalateStatus([], 'exhausted', t)).match({ fill: 'red', text: /exhausted/ });
    should(escalateStatus([], 'cancelled', t)).match({ fill: 'grey', text: /cancelled/ });
    should(escalateStatus([], 'ended', t)).match({ fill: 'green', shape: 'ring' });
    should(escalateStatus([], undefined, t)).eql({});
    should(escalateStatus([escalation(), escalation()], 'cancelled', t).text).match(
      /status.running \{"count":2\}/,
    );
  });
});
