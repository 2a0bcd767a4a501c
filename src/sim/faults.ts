/** A fault the simulator injects into the next matching requests. */
export interface Fault {
  /** API path after the tenant (`rtc/createCall`), or `*` (the default) for every endpoint */
  endpoint?: string;
  /**
   * latency: answer `ms` later; status: answer `status` (with Retry-After when set);
   * drop: close the connection before handling; drop-after: handle (e.g. create the call),
   * then close the connection without answering; garbage: answer 200 with a non-JSON body;
   * body: answer 200 with `body` as JSON (missing fields, wrong types…)
   */
  type: 'latency' | 'status' | 'drop' | 'drop-after' | 'garbage' | 'body';
  /** for `body`: the JSON to answer, or a function of the real answer (e.g. to drop events) */
  body?: unknown;
  status?: number;
  /** seconds, sent as Retry-After */
  retryAfter?: number;
  ms?: number;
  /** how many requests it hits (default 1); 0 or less: until cleared */
  count?: number;
}

const FAULT_TYPES = ['latency', 'status', 'drop', 'drop-after', 'garbage', 'body'];

export class FaultQueue {
  private faults: Array<Fault & { left: number }> = [];

  add(fault: Fault): void {
    if (!fault || !FAULT_TYPES.includes(fault.type)) {
      throw new Error(`fault type must be one of ${FAULT_TYPES.join(', ')}`);
    }
    const count = fault.count ?? 1;
    this.faults.push({ ...fault, left: count > 0 ? count : Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  /** The faults that apply to this request, each spent once: at most one of each type. */
  take(endpoint: string): Fault[] {
    const taken: Fault[] = [];
    for (const fault of this.faults) {
      const matches = !fault.endpoint || fault.endpoint === '*' || fault.endpoint === endpoint;
      if (!matches || taken.some((other) => other.type === fault.type)) continue;
      fault.left -= 1;
      taken.push(fault);
    }
    this.faults = this.faults.filter((fault) => fault.left > 0);
    return taken;
  }
}
