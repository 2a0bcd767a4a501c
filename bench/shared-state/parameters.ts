/** What the shared-state bench measures with: leases, counts, intervals, the instances' users. */

/** the escalation takeover: the lease, and how many kills */
export const TAKEOVER_LEASE_S = 2;
export const TAKEOVER_RUNS = Number(process.env.BENCH_TAKEOVER_RUNS ?? 10);

/** the followed calls: how many, the read interval, the lease (the default), the measured window */
export const CALLS = Number(process.env.BENCH_SHARED_CALLS ?? 10_000);
export const INTERVAL_S = 5;
export const FOLLOW_LEASE_S = 10;
export const WINDOW_MS = 3 * INTERVAL_S * 1000;
/** alone, the control (two without Redis), then the pair, this many times: the mean is printed */
export const ROUNDS = Number(process.env.BENCH_SHARED_ROUNDS ?? 2);
/** events added to random calls during the window: state changes, hence writes */
export const EVENTS_PER_SECOND = 20;

/** the two instances' xAssist users: a read is told apart by the token it carries */
export const USER_A = 'connector';
export const USER_B = 'tester';
