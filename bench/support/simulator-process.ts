import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { builtFile } from './built';

/**
 * The built simulator's command line in a process of its own, on a free port, so that the CPU
 * and memory a bench measures are the package's only; `args` are more of its options, e.g.
 * `['--history', '10000']`. Resolves once it prints its URL; stop it with `child.kill()`.
 */
export async function startSimulatorProcess(
  args: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [builtFile('sim/cli.js'), '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  while (!/simulator: (\S+)/.test(output)) output += String((await once(child.stdout!, 'data'))[0]);
  return { child, url: /simulator: (\S+)/.exec(output)![1] };
}
