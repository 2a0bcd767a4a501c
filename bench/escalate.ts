/**
 * Escalation hand-over: the time from a step's deadline to the next step's call being made
 * (createCall answered), for escalations running side by side, against the least any flow can
 * do: a bare timer at the deadline that calls createCall. The simulator runs in its own process.
 */
import { Escalator, type Escalation, type Step } from '../src/escalation/escalator';
import { XAssistClient, type CallLog, type CreateCallRequest } from '../src/xassist';
import { CONNECTOR } from '../test/support/simulator';
import { startSimulatorProcess } from './support/simulator-process';
import { percentile, round } from './support/stats';

const WAIT_MS = 1_000;
const STEPS = 3;
/** the default read interval: a deadline is read on time whatever the interval */
const INTERVAL_MS = 5_000;

// expert3 never answers in the simulator
const body: CreateCallRequest = {
  callType: 'SFU',
  invitedContacts: [{ userId: 'expert3', userDbId: 13 }],
};
const step: Step = {
  body,
  timeoutMs: WAIT_MS,
};

/** Hand-over times (ms) of `count` escalations of STEPS steps each, run with the Escalator. */
async function escalatorHandovers(client: XAssistClient, count: number): Promise<number[]> {
  const handovers: number[] = [];
  let left = count;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const escalator = new Escalator({
    resolve: () => Promise.resolve(body),
    make: async (request) => ({
      call: await client.createCall(request),
      recovered: false,
      attempts: 1,
      sentAt: Date.now(),
    }),
    read: (callId) => client.getCallLogById(callId),
    emit: ({ escalation }) => {
      const { calls } = escalation;
      for (let i = 1; i < calls.length; i++)
        handovers.push(calls[i].calledAt - calls[i - 1].deadline);
      if (--left === 0) done();
    },
    save: () => undefined,
    onStepFailed: (err) => console.error(err),
    onReadFailed: () => undefined,
    intervalMs: INTERVAL_MS,
    maxConcurrent: 32,
  });
  for (let i = 0; i < count; i++) {
    const escalation: Escalation = {
      id: `bench-${i}`,
      alarm: {},
      steps: Array.from({ length: STEPS }, () => step),
      rounds: 1,
      position: 0,
      startedAt: Date.now(),
      calls: [],
      failures: [],
    };
    escalator.start(escalation);
  }
  await finished;
  await escalator.stop();
  return handovers;
}

/** The same hand-overs with a bare timer: no read at the deadline, no state, nothing saved. */
async function timerHandovers(client: XAssistClient, count: number): Promise<number[]> {
  const handovers: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async () => {
      let call: CallLog = await client.createCall(body);
      let deadline = Date.now() + WAIT_MS;
      for (let i = 1; i < STEPS; i++) {
        await new Promise((resolve) => setTimeout(resolve, deadline - Date.now()));
        call = await client.createCall(body);
        const calledAt = Date.now();
        handovers.push(calledAt - deadline);
        deadline = calledAt + WAIT_MS;
      }
      return call;
    }),
  );
  return handovers;
}

export async function benchEscalate(concurrent: number) {
  const { child, url } = await startSimulatorProcess();
  const client = new XAssistClient({ url, ...CONNECTOR, timeoutMs: 30_000 });
  await client.listUsers();
  const escalator: number[] = [];
  const timer: number[] = [];
  // interleaved, so that the machine's noise falls on both alike
  for (let run = 0; run < (concurrent === 1 ? 10 : 3); run++) {
    escalator.push(...(await escalatorHandovers(client, concurrent)));
    timer.push(...(await timerHandovers(client, concurrent)));
  }
  await client.close();
  child.kill();
  const p50 = percentile(escalator, 0.5);
  const timerP50 = percentile(timer, 0.5);
  return {
    concurrent,
    handovers: escalator.length,
    p50,
    p99: percentile(escalator, 0.99),
    max: Math.max(...escalator),
    timerP50,
    timerP99: percentile(timer, 0.99),
    extraP50: round(p50 - timerP50),
  };
}
