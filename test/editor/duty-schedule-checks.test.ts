import should from 'should';
import { DUTY_SCHEDULE_SCHEMA } from '../../src/nodes/duty-schedule/schema';
import type { Check, Problem } from '../../src/schema/fields';
import { englishCatalog, lookUp } from '../support/editor-files';

/**
 * The duty schedule dialog's checks: the runtime's rules, each problem a key of the node's
 * catalogue with the row it is in, which the editor shows translated.
 */
const { fields } = DUTY_SCHEDULE_SCHEMA;
const catalog = englishCatalog('xassist-duty-schedule');

function problemOf(check: Check | undefined, value: unknown): true | Problem {
  const result = check!(value);
  if (typeof result === 'string') throw new Error(`an English text, not a key: ${result}`);
  if (result !== true) {
    const text = lookUp(catalog, `xassist-duty-schedule.${result.key}`);
    should(typeof text).equal('string', `no text for ${result.key}`);
  }
  return result;
}

const night = { days: 'daily', from: '22:00', to: '06:00', levels: ['expert3', 'expert2'] };

describe('the duty schedule dialog’s checks', function () {
  it('takes a table the runtime takes: days, times past midnight, levels', function () {
    should(problemOf(fields.shifts.check, [night, { ...night, days: 'mon,tue' }])).be.true();
    should(problemOf(fields.shifts.check, [])).be.true();
    should(
      problemOf(fields.overrides.check, [
        { from: '2026-12-24', to: '2026-12-24', away: 'expert3' },
      ]),
    ).be.true();
    should(problemOf(fields.otherwise.check, ['expert4'])).be.true();
    should(problemOf(fields.zone.check, 'Europe/Berlin')).be.true();
  });

  it('names the row, from 1, and what is wrong with it', function () {
    should(problemOf(fields.shifts.check, [night, { ...night, from: '7am' }])).eql({
      key: 'validation.time',
      values: { row: 2 },
    });
    should(problemOf(fields.shifts.check, [{ ...night, days: '' }])).eql({
      key: 'validation.days',
      values: { row: 1 },
    });
    should(problemOf(fields.shifts.check, [{ ...night, levels: [] }])).eql({
      key: 'validation.levels',
      values: { row: 1 },
    });
    should(problemOf(fields.shifts.check, 'daily')).eql({ key: 'validation.list' });
  });

  it('asks an override for dates in order, and for cover or away', function () {
    should(
      problemOf(fields.overrides.check, [{ from: '2026-12-31', to: '2026-12-24', away: 'x' }]),
    ).eql({ key: 'validation.override-time', values: { row: 1 } });
    should(
      problemOf(fields.overrides.check, [{ from: '24.12.2026', to: '2026-12-24', away: 'x' }]),
    ).eql({
      key: 'validation.override-time',
      values: { row: 1 },
    });
    should(problemOf(fields.overrides.check, [{ from: '2026-12-24', to: '2026-12-24' }])).eql({
      key: 'validation.override-who',
      values: { row: 1 },
    });
  });

  it('wants someone otherwise, and a zone the platform knows', function () {
    should(problemOf(fields.otherwise.check, [])).eql({ key: 'validation.otherwise' });
    should(problemOf(fields.zone.check, 'Europe/Berlim')).eql({ key: 'validation.zone' });
    should(fields.zone.completions!()).containEql('Europe/Berlin').and.containEql('UTC');
  });
});
