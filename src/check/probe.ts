import type { Readable } from 'node:stream';
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
  /** of a binary answer (`maxBytes`): how many bytes were read, at most `maxBytes` */
  bytes?: number;
}

interface Request {
  method?: 'GET' | 'POST';
  params?: Record<string, string | number>;
  data?: unknown;
  /** a bearer token */
  token?: string;
  /**
   * asks for bytes (Accept: application/octet-stream) and reads no more than this many of the
   * answer before closing it, however large the file
   */
  maxBytes?: number;
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
    const binary = request.maxBytes !== undefined;
    try {
      const response = await this.http.request<string | Readable>({
        method,
        url: path,
        params: request.params,
        data: request.data,
        timeout,
        // a stream's body is read after the timeout's end: this bounds it too
        signal: binary ? AbortSignal.timeout(timeout) : undefined,
        headers: {
          ...(request.token ? { Authorization: `Bearer ${request.token}` } : {}),
          ...(binary ? { Accept: 'application/octet-stream' } : {}),
        },
        responseType: binary ? 'stream' : 'text',
        transformResponse: (body: string) => body,
        validateStatus: () => true,
      });
      const bytes = binary
        ? await firstBytes(response.data as Readable, request.maxBytes!)
        : undefined;
      const ms = Date.now() - started;
      this.exchanges.push({ method, path, status: response.status, ms });
      const text = bytes ? '' : typeof response.data === 'string' ? response.data : '';
      return {
        status: response.status,
        headers: headersOf(response.headers),
        json: jsonOf(bytes ? bytes.toString('utf8') : text),
        text,
        ms,
        bytes: bytes?.length,
      };
    } catch (err) {
      const error = err as { code?: string; message?: string };
      this.lastError = error.code ?? error.message ?? String(err);
      this.exchanges.push({ method, path, ms: Date.now() - started, error: this.lastError });
      return undefined;
    }
  }
}

/** The first `max` bytes of `stream`, which is then closed: the rest is never downloaded. */
async function firstBytes(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= max) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, max);
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
