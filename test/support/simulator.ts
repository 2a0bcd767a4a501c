import { once } from 'node:events';
import { Simulator, type SimulatorOptions } from '../../src/sim';

export const CONNECTOR = {
  username: 'connector',
  password: 'connector-password',
  domain: 'ubimax',
};

/** A simulator on a free loopback port; stop it with close(). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = new Simulator(options);
  await simulator.listen();
  return simulator;
}

/** Resolves when the simulator has received a request for `endpoint`. */
export async function nextRequest(simulator: Simulator, endpoint: string): Promise<void> {
  for (;;) {
    const [name] = await once(simulator, 'request');
    if (name === endpoint) return;
  }
}
