/** What loading this package adds to Node-RED's start: time to "Started flows" and memory. */
import { freePort, NodeRedProcess, UserDir } from '../test/support/node-red-process';
import { rssMbOf } from './support/process-usage';
import { median, round } from './support/stats';

async function startOnce(withPackage: boolean): Promise<{ ms: number; rssMb: number }> {
  const userDir = new UserDir(withPackage);
  userDir.write([], {}, await freePort());
  const nodeRed = new NodeRedProcess(userDir);
  const started = performance.now();
  await nodeRed.start();
  const ms = performance.now() - started;
  const rssMb = rssMbOf(nodeRed.pid!);
  await nodeRed.stop();
  userDir.remove();
  return { ms, rssMb };
}

export async function benchLoadCost(rounds = 5) {
  const runs: Record<'without' | 'with', Array<{ ms: number; rssMb: number }>> = {
    without: [],
    with: [],
  };
  for (let i = 0; i < rounds; i++) {
    runs.without.push(await startOnce(false));
    runs.with.push(await startOnce(true));
  }
  const summary = (key: 'without' | 'with') => ({
    ms: round(median(runs[key].map((run) => run.ms)), 0),
    rssMb: round(median(runs[key].map((run) => run.rssMb)), 1),
  });
  return { without: summary('without'), with: summary('with') };
}
