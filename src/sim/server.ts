import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { CallEvent } from '../xassist/types';
import type { SimAsset } from './assets';
import { CallStore, type Autoplay } from './calls';
import { CONTROL_PREFIX, ControlApi } from './control-routes';
import { Exchange } from './exchange';
import { playOutage, StruckFaults } from './fault-play';
import { FaultQueue, type Fault } from './faults';
import { seedHistory, type HistoryCall, type HistoryOptions } from './history';
import { Outage, type OutageOptions } from './outage';
import { recordBody, recordRead, recordRequest } from './recording';
import { TenantApi } from './tenant-routes';
import { TokenStore } from './tokens';
import { seedUsers, technicians, type SimUser } from './users';
import { DEFAULT_VARIANTS, withVariants, type Variants } from './variants';

export interface SimulatorOptions {
  host?: string;
  /** 0 (the default) picks a free port */
  port?: number;
  tenant?: string;
  domain?: string;
  tokenLifetimeMs?: number;
  refreshTokenLifetimeMs?: number;
  /** JWT access tokens (with exp) when true (the default), opaque ones otherwise */
  jwt?: boolean;
  /** the refresh endpoint's path, or null for a server without one (404) */
  refreshPath?: string | null;
  users?: SimUser[];
  /**
   * technicians `tech1`…`tech<n>` added after `users` (or the seeded ones), who answer calls,
   * for a directory of a real size; the seeded history invites none of them
   */
  extraUsers?: number;
  autoplay?: Autoplay;
  /** serve HTTPS with this key and certificate */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** how this server differs from the default one (see `Variants`); changeable later */
  variants?: Partial<Variants>;
  /** ended calls to start with (none by default); `history` tells what each truly was */
  history?: HistoryOptions;
}

/**
 * A simulated xAssist server on a real socket: the API of the contract under /<tenant>/, and a
 * control API under /_sim/ (also callable as methods) to drive calls and inject faults.
 * Emits `request` with the endpoint name of every API request it receives, `event` with every
 * call event it adds, `read` with the call id of every getCallLogById it answers, and
 * `assetReady` with every asset shared UPLOADING once it is READY.
 */
export class Simulator extends EventEmitter<{
  request: [string];
  event: [string, CallEvent];
  read: [string];
  assetReady: [SimAsset];
}> {
  readonly users: SimUser[];
  readonly tokens: TokenStore;
  readonly calls: CallStore;
  /** the seeded calls as they truly were, oldest first (empty when none were seeded) */
  readonly history: readonly HistoryCall[];
  readonly faults = new FaultQueue();
  /** requests received, by endpoint (`login`, `rtc/createCall`, …, `other`) */
  counts: Record<string, number> = {};
  /** the paths of the requests received, oldest first (the last 10,000) */
  paths: string[] = [];
  /** the JSON bodies received, oldest first (the last 1,000), with their endpoint */
  bodies: Array<{ endpoint: string; body: unknown }> = [];
  /** getCallLogById requests answered, by call id */
  reads: Record<string, number> = {};
  /** TCP connections accepted */
  connections = 0;
  readonly tenant: string;
  readonly domain: string;
  refreshPath: string | null;
  /** how this server differs from the default one; read at every request, so tests may switch */
  variants: Variants;
  private readonly outageWindow = new Outage();
  private readonly tenantApi: TenantApi;
  private readonly controlApi: ControlApi;
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();
  /** aborted by close(), so that no injected latency outlives the server */
  private closing = new AbortController();
  private port: number;

  constructor(private readonly options: SimulatorOptions = {}) {
    super();
    this.tenant = options.tenant ?? 'acme';
    this.domain = options.domain ?? 'ubimax';
    this.refreshPath = options.refreshPath === undefined ? 'refresh' : options.refreshPath;
    this.port = options.port ?? 0;
    this.variants = withVariants(DEFAULT_VARIANTS, options.variants ?? {});
    const users = options.users ?? seedUsers(this.domain);
    const firstExtraId = users.reduce((last, user) => Math.max(last, user.id), 0) + 1;
    this.users = [...users, ...technicians(this.domain, options.extraUsers ?? 0, firstExtraId)];
    this.tokens = new TokenStore({
      accessLifetimeMs: options.tokenLifetimeMs ?? 15 * 60_000,
      refreshLifetimeMs: options.refreshTokenLifetimeMs ?? 24 * 3600_000,
      jwt: options.jwt ?? true,
    });
    this.calls = new CallStore(this.users, () => this.tenantUrl, options.autoplay, {
      onEvent: (callId, event) => this.emit('event', callId, event),
      onAssetReady: (asset) => this.emit('assetReady', asset),
      assetChecksum: () => this.variants.assetChecksum ?? 'sha256',
    });
    // from the users without the technicians: the same history with or without them
    this.history = options.history ? seedHistory(this.calls, users, options.history) : [];
    this.tenantApi = new TenantApi(this, {
      bodyReceived: (endpoint, body) => recordBody(this, endpoint, body),
      callRead: (callId) => {
        recordRead(this, callId);
        this.emit('read', callId);
      },
    });
    this.controlApi = new ControlApi(this, this.outageWindow);
  }

  /** `http://127.0.0.1:<port>/` */
  get url(): string {
    const scheme = this.options.tls ? 'https' : 'http';
    return `${scheme}://${this.options.host ?? '127.0.0.1'}:${this.port}/`;
  }

  /** The base URL a client is configured with: `http://127.0.0.1:<port>/<tenant>/` */
  get tenantUrl(): string {
    return `${this.url}${this.tenant}/`;
  }

  /** Starts serving (again, after close(), on the same port unless another is given). */
  async listen(port = this.port): Promise<string> {
    const portless = this.port === 0 ? this.tenantUrl : undefined;
    if (this.closing.signal.aborted) this.closing = new AbortController();
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res).catch(() => res.socket?.destroy());
    };
    const server = this.options.tls
      ? https.createServer({ key: this.options.tls.key, cert: this.options.tls.cert }, handler)
      : http.createServer(handler);
    server.on('connection', (socket: Socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    // the calls made before the port was known (the seeded history) have links to port 0
    if (portless) this.calls.relink(portless, this.tenantUrl);
    return this.tenantUrl;
  }

  /** Stops serving and drops every connection; calls, users and tokens are kept. */
  async close(): Promise<void> {
    this.calls.stopTimers();
    this.closing.abort();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  count(endpoint: string): number {
    return this.counts[endpoint] ?? 0;
  }

  /** The bodies received for `endpoint`, oldest first. */
  bodiesOf(endpoint: string): unknown[] {
    return this.bodies.filter((entry) => entry.endpoint === endpoint).map((entry) => entry.body);
  }

  resetCounts(): void {
    this.counts = {};
    this.paths = [];
    this.bodies = [];
    this.reads = {};
    this.connections = 0;
  }

  addFault(fault: Fault): void {
    this.faults.add(fault);
  }

  /**
   * For `ms` from now, every API request (of `endpoints`, when given) answers `status` (503 by
   * default; 0 drops the connection) instead of being served. `outage(0)` ends it.
   */
  outage(ms: number, options?: OutageOptions): void {
    this.outageWindow.start(ms, options);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const exchange = new Exchange(req, res);
    if (exchange.path.startsWith(CONTROL_PREFIX)) {
      return exchange.send(await this.controlApi.answer(exchange));
    }
    const { endpoint, route } = this.tenantApi.resolve(exchange.method, exchange.path);
    recordRequest(this, endpoint, exchange.path);
    this.emit('request', endpoint);
    if (playOutage(this.outageWindow.answerFor(endpoint), exchange)) return;
    const faults = new StruckFaults(this.faults.take(endpoint), exchange, (ms) => this.wait(ms));
    if (await faults.preempt()) return;
    await faults.deliver(await this.tenantApi.answer(exchange, route));
  }

  private async wait(ms: number): Promise<void> {
    await delay(ms, undefined, { signal: this.closing.signal });
  }
}
