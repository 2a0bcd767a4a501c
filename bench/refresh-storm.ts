/** 1,000 concurrent requests at the moment the token expires: how many refreshes, how long. */
import { Simulator } from '../src/sim';
import { XAssistClient } from '../src/xassist';
import { CONNECTOR } from '../test/support/simulator';
import { median, round } from './support/stats';

export async function benchRefreshStorm(concurrent = 1_000, rounds = 5) {
  const times: number[] = [];
  const refreshes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const sim = new Simulator();
    const url = await sim.listen();
    let offset = 0;
    const client = new XAssistClient({ url, ...CONNECTOR }, { now: () => Date.now() + offset });
    await client.listUsers();
    offset = 16 * 60_000; // the 15-minute token has expired
    sim.tokens.revokeAccess();
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrent }, () => client.listUsers()));
    times.push(performance.now() - started);
    refreshes.push(sim.count('refresh') + sim.count('login') - 1);
    await client.close();
    await sim.close();
  }
  return { concurrent, renewals: Math.max(...refreshes), ms: round(median(times), 0) };
}
