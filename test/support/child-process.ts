import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Sends `signal` to `child` and resolves once it has exited; at once when it never started or
 * has ended already (a signal ends a process without an exit code).
 */
export async function stopChild(
  child: ChildProcess | undefined,
  signal: NodeJS.Signals,
): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
