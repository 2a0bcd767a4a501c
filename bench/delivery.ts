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
  freePort,
  NodeRedProcess,
  UserDir,
} from '../test/support/node-red-process';
import { RedisServer } from '../test/support/redis';
import { CONNECTOR, startCall, startSimulator } from '../test/support/simulator';
import { withRedis } from './support/with-redis';

const LEASE_S = 1;
const EVENT_EVERY_MS = 50;

export interface DeliveryResult {
  rounds: number;
  events: number;
  lost: number;
  sentTwice: number;
}

/** The tests' follow-over-HTTP flow, its server sharing state in Redis. */
function followFlow(sim: Simulator, redisUrl: string, collector: Collector) {
  return withRedis(followOverHttpFlow(sim.tenantUrl, collector), { redisUrl, redisLease: LEASE_S });
}

export async function benchDelivery(rounds = 10): Promise<DeliveryResult> {
  const redis = new RedisServer();
  const sim = await startSimulator();
  const collector = new Collector();
  const dirs: UserDir[] = [];
  const instances: NodeRedProcess[] = [];
  const result: DeliveryResult = { rounds, events: 0, lost: 0, sentTwice: 0 };
  try {
    await redis.start();
    await collector.start();
    for (let i = 0; i < 2; i++) {
      const dir = new UserDir();
      dirs.push(dir);
      dir.write(
        followFlow(sim, redis.url, collector),
        { server: { username: CONNECTOR.username, password: CONNECTOR.password } },
        await freePort(),
      );
      instances.push(new NodeRedProcess(dir));
    }
    await Promise.all(instances.map((instance) => instance.start()));
    for (let round = 0; round < rounds; round++) {
      const victim = instances[round % 2];
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
      result.events += all.length;
      result.lost += all.filter((id) => !unique.has(id)).length;
      result.sentTwice += received.length - unique.size;
      await victim.start();
    }
    return result;
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    await collector.close();
    await sim.close();
    await redis.stop();
    for (const dir of dirs) dir.remove();
  }
}
