import type { AxiosInstance } from 'axios';
import { Backoff, type BackoffPolicy } from './backoff';
import { toXAssistError, XAssistError, type Redact } from './errors';
import type { ValidSettings } from './settings';
import { Timers } from './timers';
import { canRefresh, refreshDueAt, tokensFromResponse, type Tokens } from './token';
import type { LoginResponse } from './types';

export type ConnectionState =
  | 'idle'
  | 'connecting'
  | 'connected'
  /** the server refused the credentials */
  | 'auth-failed'
  /** no xAssist login at the URL: a wrong tenant path, or another server */
  | 'wrong-url'
  /** the server's certificate was refused */
  | 'tls-failed'
  /** no answer, or an error that may pass */
  | 'unreachable';

export interface StateChange {
  state: ConnectionState;
  /** why, for auth-failed and unreachable */
  error?: XAssistError;
  /** epoch ms of the next attempt, for auth-failed and unreachable */
  retryAt?: number;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export interface SessionOptions {
  http: AxiosInstance;
  settings: ValidSettings;
  redact: Redact;
  log: Logger;
  now: () => number;
  /** waits between attempts while the server is unreachable */
  retry: BackoffPolicy;
  /** waits between logins after the server refused the credentials (account lock-out) */
  authRetry: BackoffPolicy;
  /** aborted when the client closes: ends the session's requests too */
  signal: AbortSignal;
  onChange: (change: StateChange) => void;
}

const RENEWAL = 'renewal';
/** A token this close to its expiry is not sent any more: it could expire on the way. */
const EXPIRY_SKEW_MS = 1_000;
/** Refresh failures after which logging in cannot do better: the server cannot be reached. */
const UNREACHABLE = new Set(['network', 'timeout', 'tls', 'unavailable']);

/**
 * Holds the tokens of one server and renews them: ahead of expiry while started, and on
 * demand. Concurrent demands share one renewal (single flight). Failed logins are not retried
 * before a back-off has passed: long after wrong credentials (lock-out), short and growing
 * while the server is unreachable; requests meanwhile fail at once without touching the server.
 */
export class Session {
  private tokens?: Tokens;
  private renewing?: Promise<Tokens>;
  private blocked?: { until: number; error: XAssistError };
  private readonly timers: Timers;
  private running = false;
  private current: ConnectionState = 'idle';
  private readonly retryBackoff: Backoff;
  private readonly authBackoff: Backoff;

  constructor(private readonly options: SessionOptions) {
    this.retryBackoff = new Backoff(options.retry);
    this.authBackoff = new Backoff(options.authRetry);
    this.timers = new Timers((err) =>
      options.log.warn(`xAssist session: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** the tokens in use, to redact them from anything shown */
  get secrets(): string[] {
    return [this.tokens?.access, this.tokens?.refresh].filter((s): s is string => !!s);
  }

  /** Connects now and keeps the tokens fresh (and retries failed logins) until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.tokens && this.isFresh(this.tokens)) {
      this.setState({ state: 'connected' });
      this.scheduleRenewal();
    } else if (this.blocked && this.options.now() < this.blocked.until) {
      const { error, until } = this.blocked;
      this.setState({ state: stateAfter(error), error, retryAt: until });
      this.arm(until - this.options.now());
    } else {
      this.renew().catch(() => undefined);
    }
  }

  /** Stops the timers; tokens stay in memory so that a later start() needs no login. */
  stop(): void {
    this.running = false;
    this.disarm();
    this.setState({ state: 'idle' });
  }

  /** A token to send now, renewed first if it is expired or about to be. */
  async accessToken(): Promise<string> {
    const tokens = this.tokens;
    if (tokens && this.isFresh(tokens)) return tokens.access;
    if (this.renewing) return (await this.renewing).access;
    const waiting = this.waitingError();
    if (waiting) {
      if (tokens && this.isUsable(tokens)) return tokens.access;
      throw waiting;
    }
    try {
      return (await this.renew()).access;
    } catch (err) {
      // A token that failed to renew early is still good until it actually expires.
      if (tokens && this.isUsable(tokens)) return tokens.access;
      throw err;
    }
  }

  /** After a 401 for `stale`: one renewal for every request that sent the same token. */
  async replace(stale: string): Promise<string> {
    if (this.renewing) return (await this.renewing).access;
    if (this.tokens && this.tokens.access !== stale) return this.tokens.access;
    if (this.tokens) this.tokens = { ...this.tokens, accessExpiresAt: 0 };
    const waiting = this.waitingError();
    if (waiting) throw waiting;
    return (await this.renew()).access;
  }

  private renew(): Promise<Tokens> {
    if (!this.renewing) {
      this.renewing = this.obtainTokens().finally(() => {
        this.renewing = undefined;
      });
    }
    return this.renewing;
  }

  private async obtainTokens(): Promise<Tokens> {
    this.disarm();
    if (this.current !== 'connected') this.setState({ state: 'connecting' });
    try {
      const tokens = (await this.refresh()) ?? (await this.login());
      this.tokens = tokens;
      this.blocked = undefined;
      this.retryBackoff.reset();
      this.authBackoff.reset();
      this.setState({ state: 'connected' });
      this.scheduleRenewal();
      return tokens;
    } catch (err) {
      const error = toXAssistError(err, 'login', this.options.redact);
      throw this.options.signal.aborted ? error : this.failed(error);
    }
  }

  /** The refreshed tokens, or undefined when there is no usable refresh token or it was refused. */
  private async refresh(): Promise<Tokens | undefined> {
    const { settings, log, now } = this.options;
    const tokens = this.tokens;
    if (!settings.refreshPath || !canRefresh(tokens, now())) return undefined;
    try {
      const refreshed = await this.post(settings.refreshPath, { refreshToken: tokens.refresh });
      log.debug('xAssist token refreshed');
      return refreshed;
    } catch (err) {
      const error = toXAssistError(err, settings.refreshPath, this.options.redact);
      if (UNREACHABLE.has(error.kind)) throw error;
      // refused, missing, broken (500, a redirect, HTML, no token): a login will do
      const why = error.status ? String(error.status) : error.message;
      log.info(`xAssist token refresh failed (${why}): logging in again`);
      this.tokens = { ...tokens, refresh: undefined };
      return undefined;
    }
  }

  private async login(): Promise<Tokens> {
    const { username, password, domain, url } = this.options.settings;
    try {
      const tokens = await this.post('login', { username, password, domain, agreedToTos: true });
      this.options.log.info(`xAssist: logged in to ${url} as '${username}'`);
      return tokens;
    } catch (err) {
      const error = toXAssistError(err, 'login', this.options.redact);
      const notXAssist = notAnXAssistLogin(error, url);
      if (notXAssist) throw notXAssist;
      if (error.kind === 'http' && (error.status === 401 || error.status === 403)) {
        const why = error.serverMessage ? ` (${error.serverMessage})` : '';
        throw new XAssistError(
          'auth',
          `xAssist refused the login of '${username}' in domain '${domain}': ` +
            `check the username, password and login domain${why}`,
          { ...error, mayHaveReachedServer: true },
        );
      }
      throw error;
    }
  }

  private async post(path: string, body: object): Promise<Tokens> {
    const response = await this.options.http.post<LoginResponse>(path, body, {
      signal: this.options.signal,
    });
    const tokens = tokensFromResponse(response.data, this.options.now());
    if (!tokens) {
      throw new XAssistError('response', `xAssist ${path} answered without a token`, {
        path,
        status: response.status,
        mayHaveReachedServer: true,
      });
    }
    return tokens;
  }

  private failed(error: XAssistError): XAssistError {
    // what needs a person (credentials, the URL, a certificate) is not tried again every second
    const backoff =
      stateAfter(error) === 'unreachable' ? this.retryBackoff.next() : this.authBackoff.next();
    const wait = Math.max(backoff, error.retryAfterMs ?? 0);
    const retryAt = this.options.now() + wait;
    this.blocked = { until: retryAt, error };
    this.setState({ state: stateAfter(error), error, retryAt });
    this.options.log.warn(`${error.message}; next attempt in ${seconds(wait)}`);
    if (this.running) this.arm(wait);
    // the request that met the failure learns when the next attempt will be, as later ones do
    return new XAssistError(error.kind, error.message, { ...error, retryAfterMs: wait });
  }

  /** The error to give a request while a back-off runs, or undefined when it may go ahead. */
  private waitingError(): XAssistError | undefined {
    if (!this.blocked) return undefined;
    const left = this.blocked.until - this.options.now();
    if (left <= 0) return undefined;
    const { error } = this.blocked;
    return new XAssistError(
      stateAfter(error) === 'unreachable' ? 'unavailable' : error.kind,
      `${error.message} (next attempt in ${seconds(left)})`,
      { ...error, mayHaveReachedServer: false, retryAfterMs: left },
    );
  }

  private scheduleRenewal(): void {
    const due = this.tokens && refreshDueAt(this.tokens);
    if (due !== undefined) this.arm(due - this.options.now());
  }

  /** One timer does both jobs: renew ahead of expiry, and retry after a back-off. */
  private arm(delayMs: number): void {
    if (this.running) this.timers.set(RENEWAL, delayMs, () => this.onTimer());
    else this.disarm();
  }

  private disarm(): void {
    this.timers.cancel(RENEWAL);
  }

  /** A wait longer than a timer can take fires early: it is armed again for the rest. */
  private onTimer(): void {
    const now = this.options.now();
    const due = this.tokens && refreshDueAt(this.tokens);
    const retryAt = this.blocked?.until;
    if (retryAt !== undefined && now < retryAt) return this.arm(retryAt - now);
    if (!this.blocked && due !== undefined && now < due) return this.arm(due - now);
    this.renew().catch(() => undefined);
  }

  private isFresh(tokens: Tokens): boolean {
    const due = refreshDueAt(tokens);
    return due === undefined || this.options.now() < due;
  }

  private isUsable(tokens: Tokens): boolean {
    const expiresAt = tokens.accessExpiresAt;
    return expiresAt === undefined || this.options.now() < expiresAt - EXPIRY_SKEW_MS;
  }

  private setState(change: StateChange): void {
    if (
      change.state === this.current &&
      change.state !== 'auth-failed' &&
      change.state !== 'unreachable'
    ) {
      return;
    }
    this.current = change.state;
    this.options.onChange(change);
  }
}

function stateAfter(error: XAssistError): ConnectionState {
  switch (error.kind) {
    case 'auth':
      return 'auth-failed';
    case 'not-xassist':
      return 'wrong-url';
    case 'tls':
      return 'tls-failed';
    default:
      return 'unreachable';
  }
}

/**
 * A login answered in a way no xAssist server answers: nothing at that path (404, 405), a
 * redirect (a portal, a login page), or a page instead of JSON. Says what to check.
 */
function notAnXAssistLogin(error: XAssistError, url: string): XAssistError | undefined {
  const status = error.status ?? 0;
  let why: string | undefined;
  if (error.kind === 'http' && (status === 404 || status === 405)) {
    why =
      `there is no xAssist login at ${url}login (${status}): check the tenant path, ` +
      `the URL is https://host/<tenant>/`;
  } else if (error.kind === 'http' && status >= 300 && status < 400) {
    why = `${url}login redirects elsewhere (${status}): this is not an xAssist server URL`;
  } else if (error.kind === 'response') {
    why = `${url} is not an xAssist server: its login answered without a token (${status})`;
  }
  return why
    ? new XAssistError('not-xassist', why, { ...error, mayHaveReachedServer: true })
    : undefined;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
