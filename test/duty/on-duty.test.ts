import should from 'should';
import { lastChangeBefore, nextChangeAfter, onDutyAt } from '../../src/duty/on-duty';
import { FieldError } from '../../src/mapping/field-error';
import { dutyScheduleOf, type DutySchedule } from '../../src/duty/schedule';
import { instantAt } from '../../src/duty/zoned';

/** The instant a wall-clock time in `zone` names (its first showing). */
function at(zone: string, text: string): number {
  const [date, time] = text.split(' ');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return instantAt({ year, month, day, hour, minute }, zone);
}

const who = (schedule: DutySchedule, instant: number) => onDutyAt(schedule, instant).levels;

describe('who is on duty', function () {
  // a week with a night shift: weekdays by day and by night, the weekend otherwise
  const week = dutyScheduleOf({
    zone: 'Europe/Berlin',
    shifts: [
      { days: 'mon tue wed thu fri', from: '06:00', to: '22:00', levels: ['expert1', 'expert2'] },
      {
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        from: '22:00',
        to: '06:00',
        levels: ['expert3'],
      },
    ],
    otherwise: ['expert4'],
  });
  const berlin = (text: string) => at('Europe/Berlin', text);

  it('at each boundary of a week with a night shift', function () {
    // 2026-11-30 is a Monday
    const cases: Array<[string, string[]]> = [
      ['2026-11-30 05:59', ['expert4']], // Sunday's night has no shift
      ['2026-11-30 06:00', ['expert1', 'expert2']],
      ['2026-11-30 21:59', ['expert1', 'expert2']],
      ['2026-11-30 22:00', ['expert3']],
      ['2026-12-01 05:59', ['expert3']], // Monday's night shift, past midnight
      ['2026-12-01 06:00', ['expert1', 'expert2']],
      ['2026-12-04 22:00', ['expert3']], // Friday's night runs into Saturday
      ['2026-12-05 05:59', ['expert3']],
      ['2026-12-05 06:00', ['expert4']],
      ['2026-12-06 23:00', ['expert4']],
    ];
    should(cases.map(([time]) => [time, who(week, berlin(time))])).eql(cases);
    should(onDutyAt(week, berlin('2026-11-30 22:00'))).eql({
      levels: ['expert3'],
      source: 'shift',
      shift: 1,
      away: [],
    });
  });

  it('names the next change, and who is on duty then', function () {
    const next = nextChangeAfter(week, berlin('2026-11-30 12:00'));
    should(next?.at).equal(berlin('2026-11-30 22:00'));
    should(next?.onDuty.levels).eql(['expert3']);
    should(nextChangeAfter(week, berlin('2026-12-05 12:00'))?.at).equal(berlin('2026-12-07 06:00'));
  });

  it('says since when who is on duty has been, across a weekend with no shift', function () {
    should(lastChangeBefore(week, berlin('2026-11-30 12:00'))).equal(berlin('2026-11-30 06:00'));
    // at the change itself: the new shift's start
    should(lastChangeBefore(week, berlin('2026-11-30 22:00'))).equal(berlin('2026-11-30 22:00'));
    // Sunday: otherwise since the Friday night shift ended on Saturday morning
    should(lastChangeBefore(week, berlin('2026-12-06 12:00'))).equal(berlin('2026-12-05 06:00'));
  });

  // the evenings before each change, and a time in the hour the autumn change shows twice
  for (const [zone, spring, autumn, twice] of [
    ['Europe/Berlin', '2026-03-28', '2026-10-24', '02:30'],
    ['America/New_York', '2026-03-07', '2026-10-31', '01:30'],
  ]) {
    describe(`across the daylight-saving changes in ${zone}`, function () {
      const nights = dutyScheduleOf({
        zone,
        shifts: [{ days: 'daily', from: '22:00', to: '06:00', levels: ['expert3'] }],
        otherwise: ['expert1'],
      });
      const local = (text: string) => at(zone, text);
      const hours = (from: string, to: string) => (local(to) - local(from)) / 3_600_000;
      const day = (date: string, days: number) =>
        new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

      it('a night shift is an hour shorter in spring and longer in autumn, as worked', function () {
        const springEnd = `${day(spring, 1)} 06:00`;
        should(hours(`${spring} 22:00`, springEnd)).equal(7);
        should(who(nights, local(springEnd) - 60_000)).eql(['expert3']);
        should(who(nights, local(springEnd))).eql(['expert1']);
        const autumnEnd = `${day(autumn, 1)} 06:00`;
        should(hours(`${autumn} 22:00`, autumnEnd)).equal(9);
        should(who(nights, local(autumnEnd) - 60_000)).eql(['expert3']);
        should(who(nights, local(autumnEnd))).eql(['expert1']);
        should(nextChangeAfter(nights, local(`${autumn} 23:00`))?.at).equal(local(autumnEnd));
      });

      it('a shift from a time the spring change skips starts when the clocks jump past it', function () {
        const gap = dutyScheduleOf({
          zone,
          shifts: [{ days: 'daily', from: '02:30', to: '04:00', levels: ['expert2'] }],
          otherwise: ['expert1'],
        });
        const changeDay = day(spring, 1);
        // 02:30 is not shown that night: the shift starts at 03:00
        should(local(`${changeDay} 02:30`)).equal(local(`${changeDay} 03:00`));
        should(who(gap, local(`${changeDay} 03:00`) - 60_000)).eql(['expert1']);
        should(who(gap, local(`${changeDay} 03:00`))).eql(['expert2']);
      });

      it('a shift that ends in the hour shown twice ends at its first showing', function () {
        const early = dutyScheduleOf({
          zone,
          shifts: [{ days: 'daily', from: '00:00', to: twice, levels: ['expert2'] }],
          otherwise: ['expert1'],
        });
        const changeDay = day(autumn, 1);
        const firstEnd = local(`${changeDay} ${twice}`);
        should(who(early, firstEnd - 60_000)).eql(['expert2']);
        should(who(early, firstEnd)).eql(['expert1']);
        // an hour later the clocks show that time again: the shift is over
        should(who(early, firstEnd + 60 * 60_000)).eql(['expert1']);
        should(who(early, firstEnd + 45 * 60_000)).eql(['expert1']);
      });
    });
  }

  it('with overrides: someone away leaves every level, a cover replaces the shift', function () {
    const holidays = dutyScheduleOf({
      ...{ zone: 'Europe/Berlin', otherwise: ['expert4'] },
      shifts: [
        { days: 'daily', from: '06:00', to: '22:00', levels: ['expert2', 'expert1, expert2'] },
      ],
      overrides: [
        { from: '2026-12-24', to: '2026-12-31', away: ['expert2'] },
        { from: '2026-12-31T20:00', to: '2027-01-01T08:00', cover: ['expert4', 'expert3'] },
      ],
    });
    should(onDutyAt(holidays, berlin('2026-12-23 12:00')).levels).eql([
      'expert2',
      'expert1, expert2',
    ]);
    should(onDutyAt(holidays, berlin('2026-12-24 12:00'))).eql({
      levels: ['expert1'],
      source: 'shift',
      shift: 0,
      away: ['expert2'],
    });
    // the end date is included: away until the end of the 31st
    should(who(holidays, berlin('2026-12-31 12:00'))).eql(['expert1']);
    should(who(holidays, berlin('2026-12-31 21:00'))).eql(['expert4', 'expert3']);
    should(who(holidays, berlin('2027-01-01 07:59'))).eql(['expert4', 'expert3']);
    should(who(holidays, berlin('2027-01-01 08:00'))).eql(['expert2', 'expert1, expert2']);
  });

  it('never has nobody: with everyone planned away, otherwise; with them away too, otherwise as it is', function () {
    const small = dutyScheduleOf({
      zone: 'Europe/Berlin',
      shifts: [{ days: 'daily', from: '00:00', to: '00:00', levels: ['expert1'] }],
      overrides: [
        { from: '2026-12-24', to: '2026-12-24', away: 'expert1' },
        { from: '2026-12-25', to: '2026-12-25', away: 'expert1, expert4' },
      ],
      otherwise: ['expert4'],
    });
    should(who(small, berlin('2026-12-23 12:00'))).eql(['expert1']);
    should(onDutyAt(small, berlin('2026-12-24 12:00'))).have.properties({
      levels: ['expert4'],
      source: 'otherwise',
      away: ['expert1'],
    });
    should(who(small, berlin('2026-12-25 12:00'))).eql(['expert4']);
  });
});

describe('a duty schedule as a flow gives it', function () {
  const valid = {
    zone: 'Europe/Berlin',
    shifts: [{ days: 'mon', from: '06:00', to: '14:00', levels: ['expert1'] }],
    otherwise: ['expert4'],
  };

  it('is refused with the field named, for each kind of mistake', function () {
    const problems: Array<[unknown, string]> = [
      [{ ...valid, zone: 'Mars/Olympus' }, 'schedule.zone'],
      [{ ...valid, otherwise: [] }, 'schedule.otherwise'],
      [{ ...valid, shifts: [{ ...valid.shifts[0], from: '25:00' }] }, 'schedule.shifts[0].from'],
      [
        { ...valid, shifts: [{ ...valid.shifts[0], days: ['mon', 'someday'] }] },
        'schedule.shifts[0].days[1]',
      ],
      [
        { ...valid, shifts: [{ ...valid.shifts[0], levels: ['expert1', ''] }] },
        'schedule.shifts[0].levels[1]',
      ],
      [
        { ...valid, overrides: [{ from: '2026-12-31', to: '2026-12-24', away: ['x'] }] },
        'schedule.overrides[0].to',
      ],
      [
        { ...valid, overrides: [{ from: '2026-02-30', to: '2026-03-01', away: ['x'] }] },
        'schedule.overrides[0].from',
      ],
      [
        { ...valid, overrides: [{ from: '2026-12-24', to: '2026-12-25' }] },
        'schedule.overrides[0]',
      ],
    ];
    for (const [value, field] of problems) {
      let thrown: unknown;
      try {
        dutyScheduleOf(value);
      } catch (err) {
        thrown = err;
      }
      should(thrown).be.instanceOf(FieldError).and.have.property('field', field);
    }
  });

  it('takes days by name or number, and daily', function () {
    const days = (value: unknown) =>
      dutyScheduleOf({ ...valid, shifts: [{ ...valid.shifts[0], days: value }] }).shifts[0].days;
    should(days('Monday, Tuesday')).eql([1, 2]);
    should(days([0, 'sat'])).eql([0, 6]);
    should(days('daily')).eql([0, 1, 2, 3, 4, 5, 6]);
  });
});
