import { Redis } from 'ioredis';
import type { Simulator } from '../../src/sim';
import { RedisServer } from '../../test/support/redis';
import { startSimulator } from '../../test/support/simulator';
import { packageSnapshot } from '../support/package-snapshot';
import type { Started } from '../support/started';
import { ReadsByUser } from './reads-by-user';

/** What every scenario uses: started all at once, stopped at the end. */
export interface Bench {
  started: Started;
  /** the package the Node-RED processes load */
  snapshot: string;
  sim: Simulator;
  reads: ReadsByUser;
  /** this bench's own connection to the Redis the instances share */
  redis: Redis;
  redisUrl: string;
}

/** A redis-server, the bench's connection to it, the simulator and the package snapshot. */
export async function startBench(started: Started): Promise<Bench> {
  const redisServer = new RedisServer();
  started.add(() => redisServer.stop());
  await redisServer.start();
  const redis = new Redis(redisServer.url, { lazyConnect: true });
  started.add(() => redis.disconnect());
  await redis.connect();
  const sim = await startSimulator();
  started.add(() => sim.close());
  return {
    started,
    snapshot: packageSnapshot(started),
    sim,
    reads: new ReadsByUser(sim),
    redis,
    redisUrl: redisServer.url,
  };
}
