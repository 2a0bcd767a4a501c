/** The followed-calls rounds summed up: means over the rounds, rates, shares and ratios. */
import { round } from '../support/stats';
import type { AloneRound } from './alone';
import type { CallsTakenOver } from './calls-taken-over';
import type { PairRound } from './pair';
import { CALLS, FOLLOW_LEASE_S, INTERVAL_S, ROUNDS } from './parameters';

export function summary(alone: AloneRound[], apart: PairRound[], shared: PairRound[]) {
  return {
    calls: CALLS,
    rounds: ROUNDS,
    single: aloneFigures(alone),
    apart: controlFigures(apart),
    instances: instanceFigures(shared),
    pair: pairFigures(shared, [...alone, ...apart, ...shared]),
    redis: redisFigures(shared),
    cost: costFigures(alone, apart, shared),
    takeover: takeoverFigures(shared[shared.length - 1].takeover!),
  };
}

export type FollowSummary = ReturnType<typeof summary>;

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const sum = <T>(rounds: T[], pick: (round: T) => number) =>
  rounds.reduce((total, each) => total + pick(each), 0);
const intervals = (seconds: number) => seconds / INTERVAL_S;

/** Means over the rounds of two instances: [A, B, Redis] CPU % and RSS MB, A's and B's reads. */
function pairMeans(rounds: PairRound[]) {
  return {
    cpu: (i: number) => mean(rounds.map((each) => each.cpuPercent[i])),
    rss: (i: number) => mean(rounds.map((each) => each.rssMb[i])),
    reads: (i: number) => mean(rounds.map((each) => each.reads[i])),
    seconds: mean(rounds.map((each) => each.seconds)),
  };
}

function aloneFigures(alone: AloneRound[]) {
  const reads = mean(alone.map((each) => each.reads));
  const seconds = mean(alone.map((each) => each.seconds));
  return {
    readsPerSecond: round(reads / seconds, 0),
    perCallPerInterval: round(reads / CALLS / intervals(seconds), 3),
    cpuPercent: round(mean(alone.map((each) => each.cpuPercent))),
    rssMb: round(mean(alone.map((each) => each.rssMb))),
    readTwice: sum(alone, (each) => each.readTwice),
  };
}

/** The control: two instances without Redis. */
function controlFigures(apart: PairRound[]) {
  const { cpu, rss, seconds } = pairMeans(apart);
  const reads = mean(apart.map((each) => each.reads[0] + each.reads[1]));
  return {
    readsPerSecond: round(reads / seconds, 0),
    perCallPerInterval: round(reads / CALLS / intervals(seconds), 3),
    cpuPercent: [0, 1].map((i) => round(cpu(i))),
    rssMb: [0, 1].map((i) => round(rss(i))),
    readTwice: sum(apart, (each) => each.readTwice),
  };
}

/** A and B of the pair on Redis, each. */
function instanceFigures(shared: PairRound[]) {
  const { cpu, rss, reads, seconds } = pairMeans(shared);
  const pairReads = reads(0) + reads(1);
  return [0, 1].map((i) => ({
    readsPerSecond: round(reads(i) / seconds, 0),
    share: round((reads(i) / pairReads) * 100),
    perCallPerInterval: round(reads(i) / (CALLS / 2) / intervals(seconds), 3),
    cpuPercent: round(cpu(i)),
    rssMb: round(rss(i)),
  }));
}

/** A and B of the pair on Redis together, and the checks over every round's window. */
function pairFigures(shared: PairRound[], all: Array<AloneRound | PairRound>) {
  const { cpu, rss, reads, seconds } = pairMeans(shared);
  const pairReads = reads(0) + reads(1);
  return {
    readsPerSecond: round(pairReads / seconds, 0),
    perCallPerInterval: round(pairReads / CALLS / intervals(seconds), 3),
    cpuPercent: round(cpu(0) + cpu(1)),
    rssMb: round(rss(0) + rss(1)),
    unattributed: sum(shared, (each) => each.unattributed),
    neverRead: sum(all, (each) => each.unread),
    readByBoth: sum(shared, (each) => each.readByBoth),
    readByOther: sum(shared, (each) => each.readByOther),
    readTwice: sum(shared, (each) => each.readTwice),
    windowIntervals: round(intervals(seconds), 2),
  };
}

/** The redis-server of the pair, and what it did per read of the instances. */
function redisFigures(shared: PairRound[]) {
  const { cpu, rss, reads, seconds } = pairMeans(shared);
  const pairReads = reads(0) + reads(1);
  const redis = {
    evalsha: mean(shared.map((each) => each.redis.evalsha)),
    calls: mean(shared.map((each) => each.redis.calls)),
    usec: mean(shared.map((each) => each.redis.usec)),
    netBytes: mean(shared.map((each) => each.redis.netBytes)),
  };
  const last = shared[shared.length - 1];
  return {
    cpuPercent: round(cpu(2)),
    rssMb: round(rss(2)),
    evalshaPerSecond: round(redis.evalsha / seconds),
    evalshaPerRead: round(redis.evalsha / pairReads, 4),
    commandsPerSecond: round(redis.calls / seconds, 0),
    commandsPerRead: round(redis.calls / pairReads, 2),
    usecPerRead: round(redis.usec / pairReads, 2),
    netKbPerSecond: round(redis.netBytes / 1024 / seconds),
    /** the commands Redis ran most (those inside the scripts too), per read, last round */
    top: last.redis.top.map(([name, calls]) => [
      name,
      round(calls / (last.reads[0] + last.reads[1]), 3),
    ]),
  };
}

/** The pair's and the control's CPU and RSS against one instance alone's. */
function costFigures(alone: AloneRound[], apart: PairRound[], shared: PairRound[]) {
  const aloneCpu = mean(alone.map((each) => each.cpuPercent));
  const aloneRss = mean(alone.map((each) => each.rssMb));
  const control = pairMeans(apart);
  const { cpu, rss } = pairMeans(shared);
  return {
    cpuApart: round((control.cpu(0) + control.cpu(1)) / aloneCpu, 2),
    rssApart: round((control.rss(0) + control.rss(1)) / aloneRss, 2),
    cpu: round((cpu(0) + cpu(1)) / aloneCpu, 2),
    cpuByRound: shared.map((each, i) =>
      round((each.cpuPercent[0] + each.cpuPercent[1]) / alone[i].cpuPercent, 2),
    ),
    cpuWithRedis: round((cpu(0) + cpu(1) + cpu(2)) / aloneCpu, 2),
    rss: round((rss(0) + rss(1)) / aloneRss, 2),
    rssWithRedis: round((rss(0) + rss(1) + rss(2)) / aloneRss, 2),
    rssPerInstance: round((rss(0) + rss(1)) / 2 / aloneRss, 2),
  };
}

/** A's calls read again by B after A was killed, in s. */
function takeoverFigures(takeover: CallsTakenOver) {
  return {
    leaseS: FOLLOW_LEASE_S,
    calls: takeover.calls,
    readAgain: takeover.readAgain,
    firstS: round(takeover.first / 1000),
    p50S: round(takeover.p50 / 1000),
    p90S: round(takeover.p90 / 1000),
    maxS: round(takeover.max / 1000),
  };
}
