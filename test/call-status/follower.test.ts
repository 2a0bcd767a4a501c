import FakeTimers from '@sinonjs/fake-timers';
import should from 'should';
import {
  CallFollower,
  type FollowerOptions,
  type FollowerOutput,
} from '../../src/call-status/follower';
import { MemoryXAssist } from '../support/memory-xassist';

/** The follower alone, on a fake clock over an in-memory server: times are exact. */
describe('CallFollower on a fake clock', function () {
  let clock: ReturnType<typeof FakeTimers.install>;
  let server: MemoryXAssist;
  let follower: CallFollower | undefined;
  let outputs: Array<{ at: number; output: FollowerOutput }>;
  let readsAt: number[];

  beforeEach(function () {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 0 });
    server = new MemoryXAssist(() => clock.now, 10);
    outputs = [];
    readsAt = [];
  });

  afterEach(function () {
    follower?.stop();
    follower = undefined;
    clock.uninstall();
  });

  function track(options: Partial<FollowerOptions> = {}): CallFollower {
    follower = new CallFollower({
      intervalMs: 1_000,
      skipHistory: false,
      maxConcurrent: 4,
      read: (callId) => {
        readsAt.push(clock.now);
        return server.read(callId);
      },
      emit: (output) => outputs.push({ at: clock.now, output }),
      save: () => undefined,
      onError: () => undefined,
      now: () => clock.now,
      ...options,
    });
    return follower;
  }

  const kinds = () => outputs.map(({ output }) => output.kind);
  const newCall = async () => server.startCall();

  it('sends NoJoin at the deadline to the millisecond, on a read brought forward to it', async function () {
    const call = await newCall();
    track({ joinTimeoutMs: 2_500 }).follow(call.callId, {});
    await clock.tickAsync(5_000);
    const noJoin = outputs.find(({ output }) => output.kind === 'no-join');
    // the read is sent at the deadline and answered 10 ms later
    should(noJoin?.at).equal(2_510);
    should(readsAt).containEql(2_500);
  });

  it('sends NoJoin at the deadline when the server cannot be read, if asked to', async function () {
    const call = await newCall();
    track({ joinTimeoutMs: 2_500, noJoinWhenUnread: true }).follow(call.callId, {});
    await clock.tickAsync(1_100);
    server.down = true;
    await clock.tickAsync(3_000);
    should(kinds()).eql(['event', 'no-join']);
    should(outputs[1].at).equal(2_510);
    should(outputs[1].output).not.have.property('call');
  });

  it('waits for a read at the deadline when not asked to send NoJoin unread', async function () {
    const call = await newCall();
    track({ joinTimeoutMs: 2_500 }).follow(call.callId, {});
    await clock.tickAsync(1_100);
    server.down = true;
    await clock.tickAsync(10_000);
    should(kinds()).eql(['event']);
    server.down = false;
    await clock.tickAsync(70_000);
    should(kinds()).eql(['event', 'no-join']);
  });

  it('reads a failing call after twice the wait each time, and then every interval again', async function () {
    const call = await newCall();
    track().follow(call.callId, {});
    await clock.tickAsync(10);
    readsAt.length = 0;
    server.down = true;
    await clock.tickAsync(20_000);
    const gaps = readsAt.slice(1).map((at, i) => at - readsAt[i]);
    should(gaps.slice(0, 3)).eql([2_010, 4_010, 8_010]);
    server.down = false;
    const before = readsAt.length;
    await clock.tickAsync(60_000);
    const after = readsAt.slice(before + 1);
    should(after.slice(1).map((at, i) => at - after[i])).matchEach(1_000);
  });

  it('sends each event once, in id order, and Joined once, whatever the case of the names', async function () {
    const call = await newCall();
    track().follow(call.callId, {});
    await clock.tickAsync(10);
    server.join(call.callId, 'expert1');
    server.join(call.callId, 'expert1');
    const stored = server.calls.get(call.callId);
    for (const event of stored?.callEvents ?? []) event.type = event.type.toUpperCase();
    await clock.tickAsync(1_000);
    should(kinds()).eql(['event', 'event', 'joined', 'event']);
    if (stored) stored.callStatus = 'ENDED';
    await clock.tickAsync(1_000);
    should(kinds()).eql(['event', 'event', 'joined', 'event', 'ended']);
    should(follower?.size).equal(0);
  });

  describe('a 404', function () {
    it('ends a call at once when it is believed (the call is gone), asking once', async function () {
      const call = await newCall();
      const asked: unknown[] = [];
      track({ isGone: async (err) => (asked.push(err), true) }).follow(call.callId, {});
      await clock.tickAsync(10);
      server.calls.delete(call.callId);
      await clock.tickAsync(1_000);
      // at the first read after it went, answered 10 ms after it was sent
      should(readsAt).have.length(2);
      should(outputs.at(-1)).match({
        at: readsAt[1] + 10,
        output: { kind: 'ended', reason: 'not-found' },
      });
      should(asked).have.length(1);
      should(follower?.size).equal(0);
    });

    it('keeps following a call when it is not believed, reads it again later, and loses nothing', async function () {
      const call = await newCall();
      const errors: unknown[] = [];
      track({ isGone: async () => false, onError: (err) => errors.push(err) }).follow(
        call.callId,
        {},
      );
      await clock.tickAsync(10);
      const stored = server.calls.get(call.callId)!;
      server.calls.delete(call.callId);
      await clock.tickAsync(5_000);
      should(kinds()).eql(['event']);
      should(errors.length).be.within(2, 3); // read after 2 s, then 4 s: the usual back-off
      server.calls.set(call.callId, stored);
      server.join(call.callId, 'expert1');
      await clock.tickAsync(10_000);
      should(kinds()).eql(['event', 'event', 'joined']);
      should(follower?.size).equal(1);
    });

    it('is never believed without isGone: the follower alone cannot tell whose answer it is', async function () {
      const call = await newCall();
      track().follow(call.callId, {});
      await clock.tickAsync(10);
      server.calls.delete(call.callId);
      await clock.tickAsync(10_000);
      should(kinds()).eql(['event']);
      should(follower?.has(call.callId)).be.true();
    });

    it('is not believed when isGone fails', async function () {
      const call = await newCall();
      track({ isGone: () => Promise.reject(new Error('probe broke')) }).follow(call.callId, {});
      await clock.tickAsync(10);
      server.calls.delete(call.callId);
      await clock.tickAsync(5_000);
      should(kinds()).eql(['event']);
    });
  });

  describe('the time to join', function () {
    /**
     * A call whose expert joins 300 ms after it starts, by the server's clock (`dates` writes its
     * times, shifted by `skewMs`), seen by a later read: the output, and when it was sent after
     * the call was followed.
     */
    async function joinedAt300(dates: (ms: number) => string | number | undefined, skewMs = 0) {
      outputs.length = 0;
      const call = await newCall();
      const stored = server.calls.get(call.callId)!;
      const followedAt = clock.now;
      track().follow(call.callId, {});
      await clock.tickAsync(300);
      server.join(call.callId, 'expert1');
      const [created, join] = stored.callEvents!;
      stored.callStart = dates(skewMs);
      created.time = dates(skewMs);
      join.time = dates(300 + skewMs);
      await clock.tickAsync(1_500);
      follower?.stop();
      const joined = outputs.find(({ output }) => output.kind === 'joined')!;
      return { output: joined.output, seenAfter: joined.at - followedAt };
    }

    it('is counted by the server clock, from the call start to the Join, epoch numbers', async function () {
      const { output, seenAfter } = await joinedAt300((ms) => ms);
      should(seenAfter).be.above(300);
      should(output).match({ afterMs: 300, afterFrom: 'server' });
    });

    it('is counted by the server clock with ISO dates, with or without a zone, and a clock an hour off', async function () {
      const hour = 3_600_000;
      const iso = (ms: number) => new Date(ms).toISOString();
      const local = (ms: number) => new Date(ms).toISOString().replace('Z', '');
      for (const [dates, skew] of [
        [iso, hour],
        [local, -hour],
        [(ms: number) => String(ms), 0],
      ] as const) {
        const { output } = await joinedAt300(dates, skew);
        should(output).match({ afterMs: 300, afterFrom: 'server' });
      }
    });

    it('is counted until the join was seen when the server gives no times, or a Join before its start', async function () {
      const untimed = await joinedAt300(() => undefined);
      should(untimed.output).match({ afterMs: untimed.seenAfter, afterFrom: 'seen' });
      const backwards = await joinedAt300((ms) => (ms === 0 ? 10_000 : ms));
      should(backwards.output).match({ afterMs: backwards.seenAfter, afterFrom: 'seen' });
    });
  });
});
