import should from 'should';
import { draftsFor, stepsFor, type PlanSettings } from '../../src/escalation/plan';
import { FieldError } from '../../src/mapping/field-error';

const settings = (steps: PlanSettings['steps']): PlanSettings => ({
  steps,
  defaultTimeoutMs: 120_000,
  errors: { noSteps: 'nobody to call', emptyStep: 'gives nobody to call' },
});
const evaluate = async ({ value }: { value: unknown }) => value;
/** a directory that knows every name: the look-up is not what these tests ask about */
const directory = {
  find: async (name: string) => ({ id: 1, userId: name }),
  contact: async (name: string) => ({ userId: name, userDbId: 1 }),
};

describe('the steps of an escalation, with duty levels', function () {
  it('takes a duty row as a schedule and a level, its people left for when it is called', async function () {
    const drafts = await draftsFor(
      { payload: { callTitle: 'Line 7' } },
      settings([
        { v: 'plant7:1', vt: 'duty', timeout: '60' },
        { v: 'expert1', vt: 'str', timeout: '' },
      ]),
      evaluate,
    );
    should(drafts[0]).have.properties({
      duty: { schedule: 'plant7', level: 1 },
      timeoutMs: 60_000,
    });
    should(drafts[0].draft).have.properties({ callTitle: 'Line 7', invitedContacts: [] });
    should(drafts[1]).not.have.property('duty');
    const steps = await stepsFor({}, drafts, directory, () => undefined);
    // looked up now: the named expert; the duty level, when its step is called
    should(steps[0]).have.properties({ duty: { schedule: 'plant7', level: 1 } });
    should(steps[0]).not.have.property('body');
    should(steps[1].body?.invitedContacts).eql([{ userId: 'expert1', userDbId: 1 }]);
  });

  it('refuses a duty row without a level, naming the step', async function () {
    for (const v of ['plant7', 'plant7:0', ':2', 'plant7:first']) {
      let thrown: unknown;
      try {
        await draftsFor({}, settings([{ v, vt: 'duty' }]), evaluate);
      } catch (err) {
        thrown = err;
      }
      should(thrown).be.instanceOf(FieldError).and.have.property('field', 'steps[0]');
    }
  });
});
