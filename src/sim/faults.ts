/** A fault the simulator injects into the next matching requests. */
export interface Fault {
  /** API path after the tenant (`rtc/createCall`), or `*` (the default) for every endpoint */
  endpoint?: string;
  /**
   * latency: answer `ms` later; latency-after: handle at once (e.g. create the call), then
   * answer `ms` later (a client with a shorter timeout gives up on a call that exists);
   * status: answer `status` (default 500) without handling; status-after: handle, then answer
   * `status` (default 502) instead, as a proxy does when the backend reset or timed out after
   * receiving the request; drop: close the connection before handling; drop-after: handle,
   * then close the connection without answering; garbage: answer 200 with a non-JSON body;
   * body: answer 200 with `body` as JSON (missing fields, wrong types…)
   */
  type: FaultType;
  /** for `body`: the JSON to answer, or a function of the real answer (e.g. to drop events) */
  body?: unknown;
  status?: number;
  /** for `status` and `status-after`: seconds, sent as Retry-After */
  retryAfter?: number;
  /**
   * for `status` and `status-after`: answer the HTML error page of a proxy in front of the
   * server (nginx's `<html><head><title>502 Bad Gateway</title>…`) instead of Spring's JSON
   */
  html?: boolean;
  /** for `latency` and `latency-after` (default 1000) */
  ms?: number;
  /** how many requests it hits (default 1); 0 or less: until cleared */
  count?: number;
}

export type FaultType = (typeof FAULT_TYPES)[number];

const FAULT_TYPES = [
  'latency',
  'latency-after',
  'status',
  'status-after',
  'drop',
  'drop-after',
  'garbage',
  'body',
] as const;

/** Throws, saying what is wrong, unless `fault` is one the simulator can play. */
export function checkFault(fault: Fault): void {
  if (!fault || !FAULT_TYPES.includes(fault.type)) {
    throw new Error(`fault type must be one of ${FAULT_TYPES.join(', ')}`);
  }
  const { endpoint, status, retryAfter, html, ms, count } = fault;
  if (endpoint !== undefined && typeof endpoint !== 'string') {
    throw new Error('fault endpoint must be an endpoint name, or * for every endpoint');
  }
  if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
    throw new Error('fault status must be an HTTP status (100 to 599)');
  }
  if (retryAfter !== undefined && !(Number.isInteger(retryAfter) && retryAfter >= 0)) {
    throw new Error('fault retryAfter must be a whole number of seconds, 0 or more');
  }
  if (html !== undefined && typeof html !== 'boolean') {
    throw new Error('fault html must be true or false');
  }
  if (ms !== undefined && !(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) {
    throw new Error('fault ms must be a number of milliseconds, 0 or more');
  }
  if (count !== undefined && !Number.isInteger(count)) {
    throw new Error('fault count must be a whole number (0 or less: until cleared)');
  }
}

export class FaultQueue {
  private faults: Array<Fault & { left: number }> = [];

  add(fault: Fault): void {
    checkFault(fault);
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
