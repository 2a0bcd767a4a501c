import FakeTimers from '@sinonjs/fake-timers';
import should from 'should';
import { ScheduleInForce, type Replacement, type ReplacementStore } from '../../src/duty/in-force';
import { DutyWatch, type DutyChange } from '../../src/duty/watch';
import { instantAt } from '../../src/duty/zoned';
import { FieldError } from '../../src/mapping/field-error';

const ZONE = 'Europe/Berlin';
const berlin = (year: number, month: number, day: number, hour: number, minute = 0) =>
  instantAt({ year, month, day, hour, minute }, ZONE);

/** a week of day and night shifts on weekdays */
const TABLE = {
  zone: ZONE,
  shifts: [
    { days: 'mon tue wed thu fri', from: '06:00', to: '22:00', levels: ['expert1', 'expert2'] },
    { days: 'mon tue wed thu fri', from: '22:00', to: '06:00', levels: ['expert3'] },
  ],
  otherwise: ['expert4'],
};
const CSV_WEEK = {
  zone: ZONE,
  shifts: [{ days: 'daily', from: '00:00', to: '00:00', levels: ['expert2'] }],
  otherwise: ['expert4'],
};

/** A node's context, as a restart finds it. */
class MemoryStore implements ReplacementStore {
  kept: Replacement | undefined;
  load = () => (this.kept ? structuredClone(this.kept) : undefined);
  save = (replacement: Replacement | undefined) => {
    this.kept = replacement && structuredClone(replacement);
  };
}

describe('the duty schedule in force', function () {
  it('is the table, until a message replaces it; a bad replacement names its row and keeps the old', function () {
    const store = new MemoryStore();
    const inForce = new ScheduleInForce(TABLE, store, () => 1_000);
    should(inForce.current.source).equal('table');
    let thrown: unknown;
    try {
      inForce.replace({
        ...CSV_WEEK,
        shifts: [{ days: 'daily', from: '7am', to: '00:00', levels: ['x'] }],
      });
    } catch (err) {
      thrown = err;
    }
    should(thrown).be.instanceOf(FieldError).and.have.property('field', 'schedule.shifts[0].from');
    should(inForce.current.source).equal('table');
    should(store.kept).be.undefined();
    should(inForce.replace(CSV_WEEK)).have.properties({ source: 'replaced', replacedAt: 1_000 });
    should(inForce.current.schedule.shifts[0].levels).eql(['expert2']);
  });

  it('keeps a replacement across a restart and a deploy of the same table; a changed table wins', function () {
    const store = new MemoryStore();
    new ScheduleInForce(TABLE, store).replace(CSV_WEEK);
    // a restart, or a deploy that leaves the table as it was
    should(new ScheduleInForce(structuredClone(TABLE), store).current.source).equal('replaced');
    // a deploy whose table was changed in the editor after the replacement
    const edited = { ...TABLE, otherwise: ['expert1'] };
    const afterDeploy = new ScheduleInForce(edited, store);
    should(afterDeploy.current).have.properties({ source: 'table' });
    should(afterDeploy.current.schedule.otherwise).eql(['expert1']);
  });

  it('goes back to the table on reset, and another instance sees a replacement on reload', function () {
    const shared = new MemoryStore();
    const a = new ScheduleInForce(TABLE, shared);
    const b = new ScheduleInForce(TABLE, shared);
    a.replace(CSV_WEEK);
    should(b.current.source).equal('table');
    should(b.reload().source).equal('replaced');
    a.reset();
    should(b.reload().source).equal('table');
  });
});

describe('the watch on who is on duty', function () {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => (clock = FakeTimers.install({ now: berlin(2026, 12, 4, 12) }))); // a Friday
  afterEach(() => clock.uninstall());

  it('tells of each shift change as it happens, over a weekend', function () {
    const changes: DutyChange[] = [];
    const watch = new DutyWatch(
      new ScheduleInForce(TABLE, new MemoryStore()),
      (c) => changes.push(c),
      (e) => {
        throw e;
      },
    );
    should(watch.current.levels).eql(['expert1', 'expert2']);
    clock.tick(berlin(2026, 12, 8, 12) - Date.now());
    should(changes.map((change) => [change.at, change.before.levels, change.now.levels])).eql([
      [berlin(2026, 12, 4, 22), ['expert1', 'expert2'], ['expert3']],
      [berlin(2026, 12, 5, 6), ['expert3'], ['expert4']],
      [berlin(2026, 12, 7, 6), ['expert4'], ['expert1', 'expert2']],
      [berlin(2026, 12, 7, 22), ['expert1', 'expert2'], ['expert3']],
      [berlin(2026, 12, 8, 6), ['expert3'], ['expert1', 'expert2']],
    ]);
    watch.close();
    should(clock.countTimers()).equal(0);
  });

  it('tells of a change at once when the schedule is replaced, and follows the new one', function () {
    const inForce = new ScheduleInForce(TABLE, new MemoryStore());
    const changes: DutyChange[] = [];
    const watch = new DutyWatch(
      inForce,
      (c) => changes.push(c),
      (e) => {
        throw e;
      },
    );
    inForce.replace(CSV_WEEK);
    watch.changed();
    should(changes.map((change) => change.now.levels)).eql([['expert2']]);
    // the table's 22:00 change is no longer the schedule's
    clock.tick(berlin(2026, 12, 5, 12) - Date.now());
    should(changes).have.length(1);
    watch.close();
  });
});
