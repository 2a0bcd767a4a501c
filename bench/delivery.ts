/**
 * Delivery across a crash: a followed call's events stream (one every 50 ms) while the instance
 * following it is killed (kill -9) at a random moment; the survivor takes the call over. Counts,
 * over every round, the events never sent (lost) and those sent by both (sent twice).
 */
import type { Simulator } from '../src/sim';
import {
  Collector,
  followOverHttp,
  followOverHttpFlow,
  type NodeRedProcess,
} from '../test/support/node-red-process';
import { RedisServer } from '../test/support/redis';
import { CONNECTOR, startCall, startSimulator } from '../test/support/simulator';
import { newInstance } from './support/instance';
import { packageSnapshot } from './support/package-snapshot';
import { Started } from './support/started';
import { withRedis } from './support/with-redis';

const LEASE_S = 1;
const EVENT_EVERY_MS = 50;

export interface DeliveryResult {
  rounds: number;
  events: number;
  lost: number;
  sentTwice: number;
}

export async function benchDelivery(rounds = 10): Promise<DeliveryResult> {
  const started = new Started();
  try {
    const { sim, collector, instances } = await startFollowers(started);
    const result: DeliveryResult = { rounds, events: 0, lost: 0, sentTwice: 0 };
    for (let round = 0; round < rounds; round++) {
      const victim = instances[round % 2];
      const { events, lost, sentTwice } = await killFollower(sim, collector, victim);
      result.events += events;
      result.lost += lost;
      result.sentTwice += sentTwice;
      await victim.start();
    }
    return result;
  } finally {
    await started.stopAll();
  }
}

/**
 * A redis-server, the simulator, a collector, and two Node-RED instances, started, that follow
 * calls over HTTP and post their events to the collector, sharing state in Redis.
 */
async function startFollowers(started: Started) {
  const redis = new RedisServer();
  started.add(() => redis.stop());
  await redis.start();
  const sim = await startSimulator();
  started.add(() => sim.close());
  const collector = new Collector();
  started.add(() => collector.close());
  await collector.start();
  const snapshot = packageSnapshot(started);
  const flows = withRedis(followOverHttpFlow(sim.tenantUrl, collector), {
    redisUrl: redis.url,
    redisLease: LEASE_S,
  });
  const instances: NodeRedProcess[] = [];
  for (let i = 0; i < 2; i++) {
    instances.push(await newInstance(started, snapshot, { flows, user: CONNECTOR.username }));
  }
  await Promise.all(instances.map((instance) => instance.start()));
  return { sim, collector, instances };
}

/**
 * One round: a call followed by `victim`, its events streaming, `victim` killed at a random
 * moment; once the call ends, its events that the collector never got, and got twice.
 */
async function killFollower(sim: Simulator, collector: Collector, victim: NodeRedProcess) {
  const call = startCall(sim);
  await followOverHttp(victim, call.callId);
  let joined = false;
  const stream = setInterval(() => {
    if (joined) sim.calls.leave(call.callId, 'expert1');
    else sim.calls.join(call.callId, 'expert1');
    joined = !joined;
  }, EVENT_EVERY_MS);
  await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 1_000));
  await victim.kill();
  // the survivor takes over after the lease; the stream goes on meanwhile
  await new Promise((resolve) => setTimeout(resolve, (LEASE_S + 1) * 1000));
  clearInterval(stream);
  const ended = collector.received['/ended']?.length ?? 0;
  sim.calls.end(call.callId);
  await collector.until('/ended', ended + 1);
  const all = (sim.calls.get(call.callId)?.callEvents ?? []).map((event) => event.id);
  const receivedNow = () =>
    ((collector.received['/events'] ?? []) as Array<{ callId: string; id: number }>)
      .filter((event) => event.callId === call.callId)
      .map((event) => event.id);
  // the last events' posts may arrive after the end's: until all came, or 2 s of silence
  while (!all.every((id) => receivedNow().includes(id))) {
    const posted = collector.received['/events']?.length ?? 0;
    const more = await Promise.race([
      collector.until('/events', posted + 1).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000)),
    ]);
    if (!more) break;
  }
  const received = receivedNow();
  const unique = new Set(received);
  return {
    events: all.length,
    lost: all.filter((id) => !unique.has(id)).length,
    sentTwice: received.length - unique.size,
  };
}
