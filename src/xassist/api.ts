import { EventEmitter, setMaxListeners } from 'node:events';
import { isAxiosError, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import type { BackoffPolicy } from './backoff';
import { Session, type ConnectionState, type Logger, type StateChange } from './auth';
import { newestFirst } from './call-logs';
import { forbiddenError, isCallNotFound, toXAssistError, XAssistError } from './errors';
import { createTransport, type HttpTransport } from './http';
import { validateSettings, type ServerSettings, type ValidSettings } from './settings';
import type { CallLog, CreateCallRequest, Page, UserQuery, XAssistUser } from './types';

export interface ClientOptions {
  log?: Logger;
  /** the clock for token expiry; tests move it forward */
  now?: () => number;
  /** back-off while the server is unreachable; waits are jittered between half and all of
   * each step (default steps 0.5 s, then 1 s: an alarm waits at most a second past an outage
   * for its login, and a login a second is no load on a server that is down) */
  retry?: BackoffPolicy;
  /** back-off after the server refused the credentials (default steps 2 min doubling to
   * 60 min: never more than one login a minute) */
  authRetry?: BackoffPolicy;
}

export interface ClientEvents {
  state: [StateChange];
}

export interface RequestOptions {
  /** aborts this request (the node that sent it is closing) */
  signal?: AbortSignal;
}

/**
 * After a 403 judged a permission error, a 403 for the same token within this time is one too:
 * a flow that keeps asking for something forbidden does not renew the token every time. Later
 * the token may have expired meanwhile (servers that answer 403 to an expired token), and a 403
 * renews it once more.
 */
const FORBIDDEN_MEMORY_MS = 60_000;
/** how long close() waits for a createCall in flight (Node-RED gives a close 15 s) */
const CLOSE_CREATE_GRACE_MS = 5_000;
const SILENT: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const DEFAULT_RETRY: BackoffPolicy = { initialMs: 500, maxMs: 1_000 };
const DEFAULT_AUTH_RETRY: BackoffPolicy = { initialMs: 120_000, maxMs: 60 * 60_000 };

/**
 * The xAssist API for one tenant: every request carries a bearer token, a 401 renews the token
 * once and repeats the request once, and every failure is an XAssistError free of secrets.
 * Emits `state` with each connection change.
 */
export class XAssistClient extends EventEmitter<ClientEvents> {
  readonly settings: ValidSettings;
  private readonly transport: HttpTransport;
  private readonly session: Session;
  /** aborts every request, the session's included, when the client is closed */
  private readonly closing = new AbortController();
  private readonly now: () => number;
  /** createCall requests in flight: close() lets them finish for a while */
  private readonly creating = new Set<Promise<unknown>>();
  /** the token a 403 was last judged a permission error for, and until when that holds */
  private forbidden?: { token: string; until: number };
  /** requests sent so far: each is numbered, to tell whether a success came after a failure */
  private sent = 0;
  /** the number of the newest request answered 2xx with a valid body */
  private newestSuccess = 0;
  /** the number of each failed request, for callIsGone */
  private readonly failedAs = new WeakMap<XAssistError, number>();
  /** the confirming read of callIsGone in flight, and the number of the last request before it */
  private probe?: { after: number; answer: Promise<boolean> };

  /** Throws an XAssistError of kind `config` naming the setting that is wrong. */
  constructor(settings: ServerSettings, options: ClientOptions = {}) {
    super();
    // every request listens to the one signal
    setMaxListeners(0, this.closing.signal);
    this.settings = validateSettings(settings);
    this.transport = createTransport(this.settings);
    this.now = options.now ?? Date.now;
    this.session = new Session({
      http: this.transport.axios,
      settings: this.settings,
      redact: this.redact,
      log: options.log ?? SILENT,
      now: this.now,
      retry: options.retry ?? DEFAULT_RETRY,
      authRetry: options.authRetry ?? DEFAULT_AUTH_RETRY,
      signal: this.closing.signal,
      onChange: (change) => this.emit('state', change),
    });
  }

  get state(): ConnectionState {
    return this.session.state;
  }

  /** Logs in now and keeps the session fresh until stop(). */
  start(): void {
    this.session.start();
  }

  /** Stops the renewal and retry timers; the client can be started again. */
  stop(): void {
    this.session.stop();
  }

  /**
   * Stops for good: aborts requests in flight and resolves once every socket is closed. A
   * createCall in flight is given up to `createGraceMs` first: aborted, the call may still be
   * made by the server while its caller never learns of it.
   */
  async close(createGraceMs = CLOSE_CREATE_GRACE_MS): Promise<void> {
    this.session.stop();
    if (this.creating.size) await settledWithin([...this.creating], createGraceMs);
    this.closing.abort();
    await this.transport.destroy();
  }

  createCall(body: CreateCallRequest, options?: RequestOptions): Promise<CallLog> {
    const creating = this.request<CallLog>(
      { method: 'POST', url: 'rtc/createCall', data: body },
      isCallLog,
      options,
    );
    this.creating.add(creating);
    const done = () => this.creating.delete(creating);
    creating.then(done, done);
    return creating;
  }

  getCallLogById(callId: string, options?: RequestOptions): Promise<CallLog> {
    return this.request<CallLog>(
      { method: 'GET', url: 'rtc/getCallLogById', params: { callId } },
      isCallLog,
      options,
    );
  }

  listUsers(query: UserQuery = {}, options?: RequestOptions): Promise<Page<XAssistUser>> {
    const params = { page: 0, size: 100, ...query };
    return this.request<Page<XAssistUser>>(
      { method: 'GET', url: 'users/list', params },
      isPage,
      options,
    );
  }

  /**
   * Page `page` (0-based) of the tenant's calls, `size` to a page, newest first (asked of the
   * server, and sorted here as well).
   */
  async getCallLogPage(
    page: number,
    size: number,
    options?: RequestOptions,
  ): Promise<Page<CallLog>> {
    const answer = await this.request<Page<CallLog>>(
      {
        method: 'GET',
        url: 'rtc/getFilteredCallLogsV2',
        params: { page, size, sort: 'id,desc' },
      },
      isPage,
      options,
    );
    return { ...answer, content: newestFirst(answer.content) };
  }

  /** The newest calls, newest first: the first page. */
  getFilteredCallLogs(size = 20, options?: RequestOptions): Promise<Page<CallLog>> {
    return this.getCallLogPage(0, size, options);
  }

  /**
   * Whether a failed read of a call (`getCallLogById`) says the call is gone: deleted, or never
   * made on this server. A 404 also comes from a URL without its tenant path, a proxy's own page
   * while the backend restarts, or a route briefly wrong. So a 404 is believed only when it is
   * the server's JSON answer AND the server is otherwise answering at this URL: a request sent
   * after the failed one was answered, or else one small read sent now is (one for every caller
   * asking meanwhile). An HTML page, text, or a 404 while everything else fails too, says nothing
   * about the call: false, and the caller reads the call again later. Never rejects.
   */
  async callIsGone(err: unknown): Promise<boolean> {
    if (!isCallNotFound(err) || err.json !== true) return false;
    // an error that is not this client's: only a request sent from now on can vouch for it
    const failed = this.failedAs.get(err) ?? this.sent;
    if (this.newestSuccess > failed) return true;
    const shared = this.probe;
    if (shared && shared.after >= failed) return shared.answer;
    const probe = {
      after: this.sent,
      answer: this.getCallLogPage(0, 1).then(
        () => true,
        () => false,
      ),
    };
    this.probe = probe;
    void probe.answer.finally(() => {
      if (this.probe === probe) this.probe = undefined;
    });
    return probe.answer;
  }

  /**
   * Sends `config` with a bearer token. A 401 or a 403 renews the token once and repeats the
   * request once (servers answer an expired token either way); a 403 for the fresh token is a
   * permission error.
   */
  async request<T>(
    config: AxiosRequestConfig,
    isValid: (data: unknown) => boolean,
    options: RequestOptions = {},
  ): Promise<T> {
    return (await this.exchange(config, isValid, options)).data as T;
  }

  /**
   * The bytes of the asset at `uri` in `size`, with the type and name the server gives them.
   * An answer longer than `maxBytes` is cut off as it comes, with an error of code
   * `ASSET_TOO_LARGE`: memory holds at most that much of an asset.
   */
  async downloadAsset(
    uri: string,
    size: string,
    options: RequestOptions & { maxBytes: number; timeoutMs?: number },
  ): Promise<{ bytes: Buffer; contentType?: string; filename?: string }> {
    const response = await this.exchange(
      {
        method: 'GET',
        url: 'assets/download_asset_by_uri',
        params: { uri, size },
        headers: { Accept: 'application/octet-stream' },
        responseType: 'arraybuffer',
        maxContentLength: options.maxBytes,
        ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs }),
      },
      (data) => Buffer.isBuffer(data) || data instanceof ArrayBuffer,
      options,
    );
    const header = (name: string) => {
      const value: unknown = response.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    return {
      bytes: Buffer.from(response.data as ArrayBuffer),
      contentType: header('content-type'),
      filename: filenameOf(header('content-disposition')),
    };
  }

  private async exchange(
    config: AxiosRequestConfig,
    isValid: (data: unknown) => boolean,
    options: RequestOptions,
  ): Promise<AxiosResponse> {
    const token = await this.session.accessToken().catch(notSent);
    try {
      return await this.send(config, token, isValid, options.signal);
    } catch (err) {
      if (!isTokenRefusal(err)) throw err;
      if (err.status === 403 && this.knownForbidden(token)) throw this.permission(err, token);
      const renewed = await this.session.replace(token).catch(notSent);
      try {
        return await this.send(config, renewed, isValid, options.signal);
      } catch (again) {
        if (again instanceof XAssistError && again.status === 403) {
          throw this.permission(again, renewed);
        }
        throw again;
      }
    }
  }

  private knownForbidden(token: string): boolean {
    return this.forbidden?.token === token && this.now() < this.forbidden.until;
  }

  private permission(error: XAssistError, token: string): XAssistError {
    this.forbidden = { token, until: this.now() + FORBIDDEN_MEMORY_MS };
    return forbiddenError(error, this.settings.username);
  }

  private async send(
    config: AxiosRequestConfig,
    token: string,
    isValid: (data: unknown) => boolean,
    signal?: AbortSignal,
  ): Promise<AxiosResponse> {
    const path = String(config.url);
    const abort = eitherSignal(this.closing.signal, signal);
    const number = ++this.sent;
    try {
      const response = await this.transport.axios.request({
        ...config,
        signal: abort.signal,
        headers: { ...config.headers, Authorization: `Bearer ${token}` },
      });
      if (!isValid(response.data)) {
        throw new XAssistError('response', `xAssist ${path} answered with an unexpected body`, {
          path,
          status: response.status,
          mayHaveReachedServer: true,
        });
      }
      this.newestSuccess = Math.max(this.newestSuccess, number);
      return response;
    } catch (err) {
      const error = toXAssistError(binaryAsText(err, config.maxContentLength), path, this.redact);
      this.failedAs.set(error, number);
      throw error;
    } finally {
      abort.release();
    }
  }

  /** Replaces the password and the tokens in a text that came from elsewhere. */
  readonly redact = (text: string): string => {
    let clean = text.replace(/Bearer\s+[^\s"',;]+/gi, 'Bearer ***');
    for (const secret of [this.settings.password, ...this.session.secrets]) {
      if (secret.length >= 4) clean = clean.split(secret).join('***');
    }
    return clean;
  };
}

/** The file name of a Content-Disposition header: `attachment; filename="photo.jpg"`. */
function filenameOf(disposition: string | undefined): string | undefined {
  if (!disposition) return undefined;
  const encoded = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded.trim().replace(/^"|"$/g, ''));
    } catch {
      // not percent-encoded after all: the plain name below
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1]?.trim();
}

/**
 * A binary request's failure, as the others': its error body as text (a JSON or HTML page),
 * and an answer longer than allowed as an error of its own, not a network failure to repeat.
 */
function binaryAsText(err: unknown, maxBytes: number | undefined): unknown {
  if (!isAxiosError(err)) return err;
  if (maxBytes !== undefined && /maxContentLength/.test(err.message)) {
    // of kind http without a status: not a failure that repeating may mend
    return new XAssistError('http', `the answer is larger than ${maxBytes} bytes`, {
      mayHaveReachedServer: true,
      code: 'ASSET_TOO_LARGE',
    });
  }
  const data: unknown = err.response?.data;
  if (err.response && (Buffer.isBuffer(data) || data instanceof ArrayBuffer)) {
    const body = Buffer.from(data as ArrayBuffer).toString('utf8');
    let parsed: unknown = body;
    try {
      parsed = JSON.parse(body);
    } catch {
      // an HTML or text page: kept as text
    }
    err.response.data = parsed;
  }
  return err;
}

/** A request that could not get a token was not sent (a 401 is not acted on either). */
function notSent(err: XAssistError): never {
  throw new XAssistError(err.kind, err.message, { ...err, mayHaveReachedServer: false });
}

/** Resolves when every promise has settled, or after `ms`, whichever comes first. */
async function settledWithin(promises: Array<Promise<unknown>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([Promise.allSettled(promises), timeout]);
  clearTimeout(timer);
}

function isTokenRefusal(err: unknown): err is XAssistError {
  return err instanceof XAssistError && (err.status === 401 || err.status === 403);
}

/** A signal that aborts when either does; release() removes the listener it added. */
function eitherSignal(
  always: AbortSignal,
  extra: AbortSignal | undefined,
): { signal: AbortSignal; release: () => void } {
  if (!extra) return { signal: always, release: () => undefined };
  // one listener per request in flight, each removed when it ends: not a leak
  setMaxListeners(0, extra);
  const both = new AbortController();
  const abort = () => both.abort();
  if (always.aborted || extra.aborted) abort();
  always.addEventListener('abort', abort, { once: true });
  extra.addEventListener('abort', abort, { once: true });
  return {
    signal: both.signal,
    release: () => {
      always.removeEventListener('abort', abort);
      extra.removeEventListener('abort', abort);
    },
  };
}

function isObject(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data);
}

function isCallLog(data: unknown): boolean {
  return isObject(data) && typeof data.callId === 'string';
}

function isPage(data: unknown): boolean {
  return isObject(data) && Array.isArray(data.content);
}
