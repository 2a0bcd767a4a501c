import should from 'should';
import {
  choosePresent,
  presenceOf,
  stepsWithPresence,
  type Presence,
} from '../../src/duty/presence';

const presence =
  (told: Record<string, Presence>) =>
  (name: string): Presence =>
    told[name] ?? 'unknown';

describe('presence: whom of a step to call', function () {
  it('reads users/list status, and tells nothing where the server gives none', function () {
    should(
      [{ status: 'ONLINE' }, { status: 'offline' }, {}, { status: 'AWAY' }, { status: 3 }].map(
        presenceOf,
      ),
    ).eql(['online', 'offline', 'unknown', 'unknown', 'unknown']);
  });

  it('skips those offline, saying why, and calls everyone when the server tells nobody’s', function () {
    should(
      choosePresent(['expert1', 'expert3'], presence({ expert1: 'online', expert3: 'offline' })),
    ).eql({
      call: ['expert1'],
      skipped: [{ name: 'expert3', why: 'offline' }],
      unknown: false,
    });
    should(choosePresent(['expert1', 'expert3'], presence({}))).eql({
      call: ['expert1', 'expert3'],
      skipped: [],
      unknown: true,
    });
    // one whose presence is not told is called: only offline is a reason not to
    should(choosePresent(['expert1', 'expert2'], presence({ expert1: 'offline' })).call).eql([
      'expert2',
    ]);
  });

  it('passes over a step whose people are all offline, but never calls nobody', function () {
    const steps = [['expert3'], ['expert1'], ['expert2']];
    const some = stepsWithPresence(steps, presence({ expert3: 'offline', expert1: 'online' }));
    should(some.map(({ step }) => step)).eql([1, 2]);
    const none = stepsWithPresence(
      steps,
      presence({ expert3: 'offline', expert1: 'offline', expert2: 'offline' }),
    );
    should(none.map(({ step, choice }) => [step, choice.call])).eql([
      [0, ['expert3']],
      [1, ['expert1']],
      [2, ['expert2']],
    ]);
  });
});
