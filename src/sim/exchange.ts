import type http from 'node:http';
import type { Reply } from './replies';

const MAX_BODY_BYTES = 1024 * 1024;

/** One request and its response on the wire: what every part of the simulator answers through. */
export class Exchange {
  readonly url: URL;
  readonly method: string;

  /** Throws on a request URL that cannot be parsed (`//`). */
  constructor(
    private readonly req: http.IncomingMessage,
    private readonly res: http.ServerResponse,
  ) {
    this.url = new URL(req.url ?? '/', 'http://simulator');
    this.method = req.method ?? 'GET';
  }

  get path(): string {
    return this.url.pathname;
  }

  /** The token of an `Authorization: Bearer <token>` header. */
  bearerToken(): string | undefined {
    return /^Bearer (\S+)$/.exec(this.req.headers.authorization ?? '')?.[1];
  }

  /** The body as JSON, undefined when empty; rejects when it is not JSON or over 1 MiB. */
  async readJson(): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new Error('request body too large');
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    return text.trim() ? JSON.parse(text) : undefined;
  }

  send(reply: Reply): void {
    const payload = reply.bytes ?? reply.text ?? JSON.stringify(reply.body ?? null);
    const json =
      reply.bytes === undefined && reply.text === undefined
        ? { 'Content-Type': 'application/json' }
        : {};
    this.res.writeHead(reply.status, {
      ...json,
      'Content-Length': Buffer.byteLength(payload),
      ...reply.headers,
    });
    this.res.end(payload);
  }

  /** Sends `text` with no Content-Length (so chunked), as a gateway streams a page of its own. */
  sendUnsized(status: number, headers: Record<string, string>, text: string): void {
    this.res.writeHead(status, headers);
    this.res.end(text);
  }

  /** Closes the connection without an answer. */
  drop(): void {
    this.req.socket.destroy();
  }
}
