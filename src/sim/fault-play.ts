import type { Exchange } from './exchange';
import type { Fault, FaultType } from './faults';
import type { OutageAnswer } from './outage';
import { errorReply, reasonOf, type Reply } from './replies';

const DEFAULT_LATENCY_MS = 1000;
const GARBAGE = '<html><body>Gateway says hello</body></html>';

/** Answers as the outage does, when one hits the request: true when it did. */
export function playOutage(outage: OutageAnswer | undefined, exchange: Exchange): boolean {
  if (!outage) return false;
  if (outage.status === 0) exchange.drop();
  else exchange.send(errorReply(outage.status, 'Simulated outage', exchange.path, outage.html));
  return true;
}

/** The faults one request struck (at most one of each type), played around its handling. */
export class StruckFaults {
  constructor(
    private readonly faults: readonly Fault[],
    private readonly exchange: Exchange,
    /** the simulator's, which close() cuts short */
    private readonly wait: (ms: number) => Promise<void>,
  ) {}

  /** Plays latency, then drop, status or garbage instead of handling: true when one answered. */
  async preempt(): Promise<boolean> {
    const latency = this.of('latency');
    if (latency) await this.wait(latency.ms ?? DEFAULT_LATENCY_MS);
    if (this.of('drop')) {
      this.exchange.drop();
      return true;
    }
    const status = this.of('status');
    if (status) {
      this.exchange.send(injectedError(status, 500, this.exchange.path));
      return true;
    }
    if (this.of('garbage')) {
      this.exchange.sendUnsized(200, { 'Content-Type': 'text/html' }, GARBAGE);
      return true;
    }
    return false;
  }

  /** After latency-after: sends `reply`, or what drop-after, status-after or body make of it. */
  async deliver(reply: Reply): Promise<void> {
    const latency = this.of('latency-after');
    if (latency) await this.wait(latency.ms ?? DEFAULT_LATENCY_MS);
    if (this.of('drop-after')) return this.exchange.drop();
    const status = this.of('status-after');
    if (status) return this.exchange.send(injectedError(status, 502, this.exchange.path));
    const replaced = this.of('body');
    if (replaced) return this.exchange.send({ status: 200, body: replacedBody(replaced, reply) });
    this.exchange.send(reply);
  }

  private of(type: FaultType): Fault | undefined {
    return this.faults.find((fault) => fault.type === type);
  }
}

/** What a `status` or `status-after` fault answers instead of the real answer. */
function injectedError(fault: Fault, defaultStatus: number, path: string): Reply {
  const status = fault.status ?? defaultStatus;
  const reply = errorReply(status, injectedMessage(status), path, fault.html);
  if (fault.retryAfter === undefined) return reply;
  return { ...reply, headers: { ...reply.headers, 'Retry-After': String(fault.retryAfter) } };
}

function injectedMessage(status: number): string {
  return status === 429 ? 'Too many requests' : `Simulated ${reasonOf(status) ?? 'error'}`;
}

function replacedBody(fault: Fault, reply: Reply): unknown {
  return typeof fault.body === 'function' ? fault.body(reply.body) : fault.body;
}
