import { once } from 'node:events';
import { Simulator, type SimulatorOptions } from '../../src/sim';
import type { CallLog } from '../../src/xassist';

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

/** A call made in the simulator directly (as if from another client), by the connector user. */
export function startCall(simulator: Simulator, invitees = ['expert1', 'expert2']): CallLog {
  return simulator.calls.create({
    callTitle: 'Line 7',
    callType: 'SFU',
    callReason: 'STANDARD',
    invitedContacts: invitees.map((userId) => ({ userId })),
    invitedTeams: [],
    joinAnonymousAllowed: false,
    informOthersDirectly: true,
    plannedDateTime: null,
    creator: simulator.users[0],
  });
}
