/**
 * Following 1 to 10,000 calls at a 5 s interval. The simulator runs in a process of its own,
 * so that CPU and memory are this package's only.
 */
import { once } from 'node:events';
import axios from 'axios';
import { CallFollower } from '../src/call-status/follower';
import { XAssistClient, type CallLog, type CreateCallRequest } from '../src/xassist';
import { CONNECTOR } from '../test/support/simulator';
import { collectGarbage } from './support/process-usage';
import { startSimulatorProcess } from './support/simulator-process';
import { percentile, round } from './support/stats';

const INTERVAL_MS = 5_000;
const MAX_CONCURRENT = 32;

export async function benchFollowScale(scale: number) {
  const { child, url } = await startSimulatorProcess();
  const control = axios.create({ baseURL: new URL('/_sim/', url).toString() });
  const client = new XAssistClient({ url, ...CONNECTOR, timeoutMs: 30_000 });
  const body: CreateCallRequest = {
    callType: 'SFU',
    invitedContacts: [{ userId: 'expert1', userDbId: 9 }],
  };
  const calls: CallLog[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < scale) {
        next++;
        calls.push(await client.createCall(body));
      }
    }),
  );

  let inFlight = 0;
  let maxInFlight = 0;
  const readStarts: number[] = [];
  const latencies: number[] = [];
  let measuring = false;
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const follower = new CallFollower({
    intervalMs: INTERVAL_MS,
    skipHistory: true,
    maxConcurrent: MAX_CONCURRENT,
    read: async (callId) => {
      inFlight++;
      if (measuring) {
        maxInFlight = Math.max(maxInFlight, inFlight);
        readStarts.push(performance.now());
      }
      try {
        return await client.getCallLogById(callId);
      } finally {
        inFlight--;
      }
    },
    emit: (output) => {
      if (output.kind === 'event' && measuring)
        latencies.push(Date.now() - Date.parse(String(output.event.time)));
    },
    save: () => undefined,
    onError: () => undefined,
  });
  for (const call of calls) follower.follow(call.callId, { alarm: 'bench' });
  // the first interval reads everything once and phases the calls; measure the next two
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 1.2));
  collectGarbage();
  const heapFollowing = process.memoryUsage().heapUsed;
  const readsBefore = (await control.get('stats')).data.requests['rtc/getCallLogById'] ?? 0;
  const cpuBefore = process.cpuUsage();
  const windowStart = performance.now();
  measuring = true;
  const eventsPerSecond = Math.min(20, Math.max(2, scale / 50));
  const adder = setInterval(() => {
    const call = calls[Math.floor(Math.random() * calls.length)];
    void control.post(`calls/${call.callId}/events`, { type: 'Custom' });
  }, 1000 / eventsPerSecond);
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 2));
  clearInterval(adder);
  measuring = false;
  const seconds = (performance.now() - windowStart) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const readsAfter = (await control.get('stats')).data.requests['rtc/getCallLogById'] ?? 0;
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS + 200)); // last events arrive
  follower.stop();

  // the busiest 100 ms against an even spread
  const buckets = new Map<number, number>();
  for (const start of readStarts)
    buckets.set(Math.floor(start / 100), (buckets.get(Math.floor(start / 100)) ?? 0) + 1);
  const busiest = Math.max(0, ...buckets.values());
  await client.close();
  child.kill();
  await once(child, 'exit');
  const readsPerSecond = (readsAfter - readsBefore) / seconds;
  return {
    calls: scale,
    readsPerSecond: round(readsPerSecond, 1),
    perCallPerInterval: round((readsPerSecond * INTERVAL_MS) / 1000 / scale, 2),
    busiest100ms: busiest,
    even100ms: round((scale / INTERVAL_MS) * 100, 1),
    maxInFlight,
    kbPerCall: round((heapFollowing - heapBefore) / 1024 / scale, 2),
    cpuPercent: round(((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100, 1),
    events: latencies.length,
    latencyP50: latencies.length ? percentile(latencies, 0.5) : NaN,
    latencyP99: latencies.length ? percentile(latencies, 0.99) : NaN,
  };
}
