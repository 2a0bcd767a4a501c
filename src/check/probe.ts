import type { AxiosInstance } from 'axios';

/** One request the check made, as `--verbose` lists it: never a header, body or token. */
export interface Exchange {
  method: string;
  path: string;
  status?: number;
  ms: number;
  error?: string;
}

/** What the server answered: the status, the headers, and the body as JSON or as text. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  json?: unknown;
  text: string;
  ms: number;
}

interface Request {
  method?: 'GET' | 'POST';
  params?: Record<string, string | number>;
  data?: unknown;
  /** a bearer token */
  token?: string;
}

/**
 * Sends the check's requests through the package's own transport (its TLS, proxy and tenant
 * URL), answering every status instead of throwing, and records each one. Nothing is sent once
 * the check's time is up: `send` then gives undefined, as for a request with no answer.
 */
export class Probe {
  readonly exchanges: Exchange[] = [];
  /** why the last request got no answer */
  lastError?: string;

  constructor(
    private readonly http: AxiosInstance,
    private readonly deadline: number,
    private readonly requestTimeoutMs: number,
  ) {}

  get timeLeftMs(): number {
    return this.deadline - Date.now();
  }

  async send(path: string, request: Request = {}): Promise<Answer | undefined> {
    const method = request.method ?? 'GET';
    const timeout = Math.min(this.requestTimeoutMs, this.timeLeftMs);
    if (timeout <= 0) {
      this.lastError = 'the check ran out of time';
      return undefined;
    }
    const started = Date.now();
    try {
      const response = await this.http.request<string>({
        method,
        url: path,
        params: request.params,
        data: request.data,
        timeout,
        headers: request.token ? { Authorization: `Bearer ${request.token}` } : {},
        responseType: 'text',
        transformResponse: (body: string) => body,
        validateStatus: () => true,
      });
      const ms = Date.now() - started;
      this.exchanges.push({ method, path, status: response.status, ms });
      const text = typeof response.data === 'string' ? response.data : '';
      return {
        status: response.status,
        headers: headersOf(response.headers),
        json: jsonOf(text),
        text,
        ms,
      };
    } catch (err) {
      const error = err as { code?: string; message?: string };
      this.lastError = error.code ?? error.message ?? String(err);
      this.exchanges.push({ method, path, ms: Date.now() - started, error: this.lastError });
      return undefined;
    }
  }
}

function headersOf(headers: unknown): Record<string, string> {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
    plain[name.toLowerCase()] = String(value);
  }
  return plain;
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
