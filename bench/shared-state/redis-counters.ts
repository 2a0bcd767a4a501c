/** What Redis did over a window, from its INFO: commands, script time, network bytes. */
import type { Redis } from 'ioredis';

/** INFO commandstats: calls and µs by command; INFO stats: network bytes. */
export async function redisCounters(redis: Redis) {
  const commands = new Map<string, { calls: number; usec: number }>();
  for (const match of (await redis.info('commandstats')).matchAll(
    /^cmdstat_(\S+?):calls=(\d+),usec=(\d+)/gm,
  )) {
    commands.set(match[1], { calls: Number(match[2]), usec: Number(match[3]) });
  }
  const stats = await redis.info('stats');
  const bytes = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
  return {
    commands,
    netBytes: bytes('total_net_input_bytes') + bytes('total_net_output_bytes'),
  };
}

export type RedisCounters = Awaited<ReturnType<typeof redisCounters>>;

/**
 * What Redis did between two counters, leaving out the INFO commands that read them: commands
 * (those the scripts run included), EVALSHA calls, µs in scripts, network bytes, and the commands
 * run most.
 */
export function redisDelta(before: RedisCounters, after: RedisCounters) {
  let calls = 0;
  let usec = 0;
  const byName: Array<[string, number]> = [];
  for (const [name, now] of after.commands) {
    if (name === 'info') continue;
    const then = before.commands.get(name) ?? { calls: 0, usec: 0 };
    calls += now.calls - then.calls;
    // a script's time includes that of the commands it runs, which are counted too: the time is
    // the scripts' (the instances send nothing else)
    if (name === 'evalsha' || name === 'eval') usec += now.usec - then.usec;
    byName.push([name, now.calls - then.calls]);
  }
  const evalsha =
    (after.commands.get('evalsha')?.calls ?? 0) - (before.commands.get('evalsha')?.calls ?? 0);
  const top = byName
    .filter(([, count]) => count > 0)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 8);
  return { calls, usec, evalsha, netBytes: after.netBytes - before.netBytes, top };
}

export type RedisDelta = ReturnType<typeof redisDelta>;

/** The redis-server's pid, as it tells it. */
export async function redisPid(redis: Redis): Promise<number> {
  return Number(/^process_id:(\d+)/m.exec(await redis.info('server'))?.[1]);
}
