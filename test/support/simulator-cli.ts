import { spawn, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { stopChild } from './child-process';

/**
 * The simulator's command line with `args`, from source: the built bin (dist/sim/cli.js) is
 * what the packaging tests install.
 */
export function spawnSimulatorCli(
  args: string[],
  stdio: StdioOptions = ['ignore', 'pipe', 'inherit'],
) {
  return spawn(process.execPath, ['--require', 'tsx/cjs', 'src/sim/cli.ts', ...args], { stdio });
}

/** A simulator started from its command line; stop() ends it as Ctrl+C would. */
export interface SimulatorCli {
  /** the tenant URL it printed */
  url: string;
  /** what it printed up to `until` */
  printed: string;
  stop(): Promise<void>;
}

/**
 * Starts the simulator's command line with `args`; resolves once it has printed where it
 * listens and `until`.
 */
export async function startSimulatorCli(args: string[], until = ''): Promise<SimulatorCli> {
  const child = spawnSimulatorCli(args);
  const listening = /xAssist simulator: (\S+)\n/;
  let printed = '';
  while (!listening.test(printed) || !printed.includes(until)) {
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    printed += chunk.toString();
  }
  return {
    url: listening.exec(printed)?.[1] ?? '',
    printed,
    stop: () => stopChild(child, 'SIGTERM'),
  };
}
