export interface OutageOptions {
  /** what every request hit answers (default 503, a Spring error); 0 drops the connection */
  status?: number;
  /** the endpoints it hits (`login`, `rtc/createCall`, …, `other`); every one when absent */
  endpoints?: string[];
  /**
   * answer the HTML error page of a proxy in front of the server (nginx's) with that status
   * instead of Spring's JSON, as while the backend restarts
   */
  html?: boolean;
}

/** What a request hit by the outage gets. */
export interface OutageAnswer {
  /** 0: the connection is dropped */
  status: number;
  html: boolean;
}

/** A window of time during which the server answers every API request with an error. */
export class Outage {
  private until = 0;
  private status = 503;
  private endpoints?: string[];
  private html = false;

  /** Starts a window of `ms` from `now`, replacing any other; 0 ends the current one. */
  start(ms: number, options: OutageOptions = {}, now = Date.now()): void {
    const { status = 503, endpoints, html = false } = options;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new Error('outage ms must be a number of milliseconds, 0 or more');
    }
    if (!Number.isInteger(status) || (status !== 0 && (status < 100 || status > 599))) {
      throw new Error('outage status must be an HTTP status, or 0 to drop the connection');
    }
    if (endpoints !== undefined && !isStringArray(endpoints)) {
      throw new Error('outage endpoints must be an array of endpoint names');
    }
    if (typeof html !== 'boolean') throw new Error('outage html must be true or false');
    this.until = now + ms;
    this.status = status;
    this.endpoints = endpoints && [...endpoints];
    this.html = html;
  }

  /** What a request for `endpoint` gets now, or undefined when it is served. */
  answerFor(endpoint: string, now = Date.now()): OutageAnswer | undefined {
    if (now >= this.until) return undefined;
    if (this.endpoints && !this.endpoints.includes(endpoint)) return undefined;
    return { status: this.status, html: this.html };
  }

  /** The current window as JSON: `until` (epoch ms) is null when there is none. */
  state(now = Date.now()): {
    until: number | null;
    status: number;
    endpoints: string[] | null;
    html: boolean;
  } {
    const active = now < this.until;
    return {
      until: active ? this.until : null,
      status: this.status,
      endpoints: this.endpoints ?? null,
      html: this.html,
    };
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
