import fc from 'fast-check';
import should from 'should';
import {
  dutyChoicesOf,
  dutyProblemOf,
  dutyRefOf,
  dutyValueOf,
  levelCountOf,
  scheduleNameOf,
  type DutyWords,
  type ScheduleNode,
} from '../../src/editor/duty';
import { draftsFor } from '../../src/escalation/plan';
import { PLANT7 } from '../support/duty-step';

/** The editor's words as en-US has them. */
const WORDS: DutyWords = {
  level: (level) => (level === 1 ? 'primary' : level === 2 ? 'backup' : `level ${level}`),
  unknown: (id) => `unknown schedule ${id}`,
  none: 'no duty schedule in this workspace yet',
};

const exists = (id: string) => id === PLANT7.id;

describe('duty rows in the editor', function () {
  describe('their value, <schedule id>:<level>', function () {
    it('is made and taken apart again', function () {
      should(dutyValueOf(PLANT7.id, 2)).equal('d0e1f2a3b4c5d6e7:2');
      should(dutyRefOf('d0e1f2a3b4c5d6e7:2')).eql({
        schedule: PLANT7.id,
        level: 2,
        levelText: '2',
      });
      should(dutyRefOf(' a1 : 3 ')).eql({ schedule: 'a1', level: 3, levelText: '3' });
      should(dutyRefOf('a1:1.5')).have.properties({ schedule: 'a1', levelText: '1.5' });
      should(dutyRefOf('a1:1.5')!.level).be.NaN();
      should(dutyRefOf('a1')).be.undefined();
      should(dutyRefOf(undefined)).be.undefined();
    });

    it('is valid with a schedule of the workspace and a whole level from 1', function () {
      should(dutyProblemOf(`${PLANT7.id}:1`, exists)).be.undefined();
      // a level the schedule has not now is its last, at run time: valid
      should(dutyProblemOf(`${PLANT7.id}:9`, exists)).be.undefined();
      should(dutyProblemOf(`${PLANT7.id}:0`, exists)).equal('level');
      should(dutyProblemOf(`${PLANT7.id}:-1`, exists)).equal('level');
      should(dutyProblemOf(`${PLANT7.id}:1.5`, exists)).equal('level');
      should(dutyProblemOf(`${PLANT7.id}:`, exists)).equal('level');
      should(dutyProblemOf('gone0123456789ab:1', exists)).equal('schedule');
      should(dutyProblemOf(PLANT7.id, exists)).equal('schedule');
      should(dutyProblemOf('', exists)).equal('schedule');
    });

    it('reads as the runtime reads it: what the editor takes, the escalate node calls', async function () {
      await fc.assert(
        fc.asyncProperty(
          fc.stringMatching(/^[0-9a-f]{16}$/),
          fc.integer({ min: 1, max: 1000 }),
          async (id, level) => {
            const value = dutyValueOf(id, level);
            should(dutyProblemOf(value, (candidate) => candidate === id)).be.undefined();
            const [step] = await draftsFor(
              {},
              {
                steps: [{ v: value, vt: 'duty', timeout: '' }],
                defaultTimeoutMs: 1000,
                errors: { noSteps: 'none', emptyStep: 'empty' },
              },
              async () => undefined,
            );
            should(step.duty).eql({ schedule: id, level });
            should(dutyRefOf(value)).have.properties({ schedule: id, level });
          },
        ),
        { numRuns: 50 },
      );
    });
  });

  describe('the levels a schedule offers', function () {
    it('are as many as its fullest list of levels: a shift, a cover or otherwise', function () {
      should(levelCountOf(PLANT7)).equal(3);
      should(levelCountOf({ ...PLANT7, overrides: [] })).equal(2);
      should(levelCountOf({ id: 'x', otherwise: ['a', 'b'] })).equal(2);
      // a schedule whose dialog saved nothing yet, or what is no list: still its primary
      should(levelCountOf({ id: 'x' })).equal(1);
      should(levelCountOf({ id: 'x', shifts: 'daily', overrides: [null], otherwise: {} })).equal(1);
    });
  });

  describe('the choices of a row', function () {
    it('name each schedule at each level, schedules in the order of their names', function () {
      const plant9: ScheduleNode = { id: '0000000000000009', name: 'Plant 9', otherwise: ['x'] };
      should(dutyChoicesOf([{ ...PLANT7, overrides: [] }, plant9], WORDS)).eql([
        { value: 'd0e1f2a3b4c5d6e7:1', label: 'Line 9 duty · primary' },
        { value: 'd0e1f2a3b4c5d6e7:2', label: 'Line 9 duty · backup' },
        { value: '0000000000000009:1', label: 'Plant 9 · primary' },
      ]);
      should(dutyChoicesOf([PLANT7], WORDS)[2]).eql({
        value: 'd0e1f2a3b4c5d6e7:3',
        label: 'Line 9 duty · level 3',
      });
    });

    it('name a schedule without a name by its zone, else by the fallback', function () {
      should(scheduleNameOf({ id: 'x', name: ' ', zone: 'America/New_York' })).equal(
        'America/New_York',
      );
      should(scheduleNameOf({ id: 'x' })).equal('x');
      should(scheduleNameOf({ id: 'x', zone: '' }, () => 'duty schedule')).equal('duty schedule');
      const choices = dutyChoicesOf([{ id: 'abc', otherwise: ['x'] }], WORDS, undefined, () => 'Z');
      should(choices).eql([{ value: 'abc:1', label: 'Z · primary' }]);
    });

    it('keep what the row holds when it is none of them, so that the row shows it', function () {
      const beyond = dutyChoicesOf([PLANT7], WORDS, `${PLANT7.id}:5`);
      should(beyond).have.length(4);
      should(beyond[3]).eql({ value: `${PLANT7.id}:5`, label: 'Line 9 duty · level 5' });
      const gone = dutyChoicesOf([PLANT7], WORDS, 'gone0123456789ab:2');
      should(gone[3]).eql({
        value: 'gone0123456789ab:2',
        label: 'unknown schedule gone0123456789ab · backup',
      });
      should(dutyChoicesOf([], WORDS, 'nolevel')).eql([
        { value: 'nolevel', label: 'unknown schedule nolevel · ?' },
      ]);
      // a value among the choices is not added twice
      should(dutyChoicesOf([PLANT7], WORDS, `${PLANT7.id}:2`)).have.length(3);
    });

    it('say so when the workspace has no schedule: an empty value, which the row does not save', function () {
      should(dutyChoicesOf([], WORDS)).eql([
        { value: '', label: 'no duty schedule in this workspace yet' },
      ]);
    });
  });
});
