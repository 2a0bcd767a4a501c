import FakeTimers from '@sinonjs/fake-timers';
import should from 'should';
import { MAX_TIMER_MS, Timers } from '../../src/xassist/timers';
import { Waits } from '../../src/node-red/waits';

describe('Timers: the timers of one owner, all ended by its close', function () {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => (clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout'] })));
  afterEach(() => clock.uninstall());

  it('runs each action once, after its wait; a cancelled one never', function () {
    const ran: string[] = [];
    const timers = new Timers(() => undefined);
    timers.after(100, () => ran.push('a'));
    const cancel = timers.after(200, () => ran.push('b'));
    cancel();
    clock.tick(1_000);
    should(ran).eql(['a']);
  });

  it('keeps one timer per name: setting it again replaces the pending one', function () {
    const ran: number[] = [];
    const timers = new Timers(() => undefined);
    timers.set('renew', 100, () => ran.push(1));
    timers.set('renew', 300, () => ran.push(2));
    clock.tick(200);
    should(ran).eql([]);
    clock.tick(200);
    should(ran).eql([2]);
  });

  it('on close runs what each pending timer asked for instead, and so for every timer after it', function () {
    const events: string[] = [];
    const timers = new Timers(() => undefined);
    timers.after(
      100,
      () => events.push('action'),
      () => events.push('cleared'),
    );
    timers.close();
    timers.after(
      100,
      () => events.push('late action'),
      () => events.push('late cleared'),
    );
    clock.tick(1_000);
    should(events).eql(['cleared', 'late cleared']);
    should(clock.countTimers()).equal(0);
  });

  it('sends what an action throws to its owner, never into the event loop', function () {
    const errors: unknown[] = [];
    const timers = new Timers((err) => errors.push(err));
    timers.after(10, () => {
      throw new Error('boom');
    });
    should(() => clock.tick(10)).not.throw();
    should(errors.map((err) => (err as Error).message)).eql(['boom']);
  });

  it('waits at most what setTimeout can: a longer wait fires at the cap', function () {
    let fired = false;
    new Timers(() => undefined).after(MAX_TIMER_MS * 2, () => (fired = true));
    clock.tick(MAX_TIMER_MS);
    should(fired).be.true();
  });

  it('Waits: a close rejects the waits pending and those asked for after it', async function () {
    const waits = new Waits(() => new Error('closed'));
    const pending = waits.wait(1_000);
    waits.cancelAll();
    await should(pending).be.rejectedWith('closed');
    await should(waits.wait(10)).be.rejectedWith('closed');
    should(clock.countTimers()).equal(0);
  });
});
