import should from 'should';
import { onDutyAt } from '../../src/duty/on-duty';
import { scheduleOfRows } from '../../src/duty/rows';
import { dutyScheduleOf } from '../../src/duty/schedule';
import { instantAt } from '../../src/duty/zoned';
import { FieldError } from '../../src/mapping/field-error';

/** rows as the core csv node gives them, header `days,from,to,primary,backup` */
const csv = (text: string) => {
  const [header, ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) =>
    Object.fromEntries(line.split(',').map((cell, index) => [columns[index], cell])),
  );
};

const berlin = (day: number, hour: number, minute = 0) =>
  instantAt({ year: 2026, month: 12, day, hour, minute }, 'Europe/Berlin');

function problemOf(run: () => unknown): FieldError {
  try {
    run();
  } catch (err) {
    should(err).be.instanceOf(FieldError);
    return err as FieldError;
  }
  throw new Error('no problem found');
}

describe('a duty schedule from rows, as the csv node gives them', function () {
  const rows = csv(`
days,from,to,primary,backup,away
mon-fri,06:00,14:00,expert1,expert2,
mon-fri,14:00,22:00,expert2,expert1,
daily,22:00,06:00,expert3,expert4;expert1,
,2026-12-24,2026-12-26,expert4,,
,2026-12-28,2026-12-31,,,expert2
otherwise,,,expert4,,`);

  it('gives the shifts, overrides and otherwise, in the zone given', function () {
    const schedule = dutyScheduleOf(scheduleOfRows(rows, 'Europe/Berlin'));
    // Tuesday 1 December: the early shift, then the night shift past midnight
    should(onDutyAt(schedule, berlin(1, 10)).levels).eql(['expert1', 'expert2']);
    should(onDutyAt(schedule, berlin(2, 3)).levels).eql(['expert3', 'expert4, expert1']);
    // Saturday by day: no shift
    should(onDutyAt(schedule, berlin(5, 12)).levels).eql(['expert4']);
    // Christmas: expert4 covers, the whole of the 26th included
    should(onDutyAt(schedule, berlin(26, 23, 59)).levels).eql(['expert4']);
    // expert2 away: the late shift's backup steps up
    should(onDutyAt(schedule, berlin(29, 15)).levels).eql(['expert1']);
  });

  it('takes level columns in order, and headers as the csv node keeps them', function () {
    const setting = scheduleOfRows(
      [
        { Days: 'daily', From: '00:00', To: '00:00', level2: 'b', level1: 'a', level3: 'c' },
        { Days: 'Otherwise', Primary: 'z' },
      ],
      'UTC',
    );
    should(setting.shifts).eql([
      { days: 'daily', from: '00:00', to: '00:00', levels: ['a', 'b', 'c'] },
    ]);
    should(setting.otherwise).eql(['z']);
  });

  it('takes the zone of a row over the one given', function () {
    const setting = scheduleOfRows(
      [{ days: 'otherwise', primary: 'z', zone: 'America/New_York' }],
      'UTC',
    );
    should(setting.zone).equal('America/New_York');
  });

  it('names the row and column of a problem', function () {
    const bad = [...rows];
    bad[1] = { ...bad[1], from: '25:00' };
    should(problemOf(() => scheduleOfRows(bad, 'UTC')).field).equal('payload[1].from');
    bad[1] = { ...rows[1], days: 'someday' };
    should(problemOf(() => scheduleOfRows(bad, 'UTC')).field).equal('payload[1].days');
    bad[1] = { ...rows[1], primary: '', backup: '' };
    should(problemOf(() => scheduleOfRows(bad, 'UTC')).field).equal('payload[1].primary');
    bad[1] = rows[1];
    bad[3] = { ...rows[3], to: '2026-12-20' };
    should(problemOf(() => scheduleOfRows(bad, 'UTC')).field).equal('payload[3].to');
    should(problemOf(() => scheduleOfRows(rows, 'Mars/Olympus')).field).equal('payload.zone');
  });

  it('refuses rows without otherwise: no moment may have nobody', function () {
    const problem = problemOf(() => scheduleOfRows(rows.slice(0, 3), 'UTC'));
    should(problem.field).equal('payload');
    should(problem.message).match(/otherwise/);
  });

  it('skips blank lines, and refuses a line that is not a row', function () {
    should(scheduleOfRows([...rows, { days: '', from: '' }], 'UTC').shifts).have.length(3);
    should(problemOf(() => scheduleOfRows(['mon,06:00'], 'UTC')).field).equal('payload[0]');
  });
});
