import { isAxiosError } from 'axios';

export type XAssistErrorKind =
  /** a setting is missing or invalid: nothing was sent */
  | 'config'
  /** the server refused the username or password */
  | 'auth'
  /** the URL leads to no xAssist login: a wrong tenant path, or not an xAssist server */
  | 'not-xassist'
  /** the server refused the request with a fresh token: the user lacks a permission */
  | 'forbidden'
  /** the server answered with an error status */
  | 'http'
  /** the server answered 2xx with a body that is not what the API returns */
  | 'response'
  /** no answer within the request timeout */
  | 'timeout'
  /** the connection failed or broke */
  | 'network'
  /** the server's certificate was refused */
  | 'tls'
  /** the client is stopped, or waits out a back-off after failures */
  | 'unavailable';

export interface XAssistErrorDetails {
  status?: number;
  /** API path relative to the tenant URL, without query: `rtc/createCall` */
  path?: string;
  serverMessage?: string;
  /** false only when the request certainly never reached the server, so retrying cannot duplicate it */
  mayHaveReachedServer: boolean;
  /** milliseconds the server asked us to wait (Retry-After) */
  retryAfterMs?: number;
  /** the system error code, e.g. ECONNREFUSED */
  code?: string;
  /** the error answer's body was JSON (an API's answer), not an HTML page, text or nothing */
  json?: boolean;
}

/**
 * The one error type the client throws. It is built only from the status, the path, the
 * server's message (redacted) and an error code: never from the request, its headers or body,
 * so that logging it cannot leak a password or a token.
 */
export class XAssistError extends Error {
  readonly kind: XAssistErrorKind;
  readonly status?: number;
  readonly path?: string;
  readonly serverMessage?: string;
  readonly mayHaveReachedServer: boolean;
  readonly retryAfterMs?: number;
  readonly code?: string;
  readonly json?: boolean;

  constructor(kind: XAssistErrorKind, message: string, details: XAssistErrorDetails) {
    super(message);
    this.name = 'XAssistError';
    this.kind = kind;
    this.status = details.status;
    this.path = details.path;
    this.serverMessage = details.serverMessage;
    this.mayHaveReachedServer = details.mayHaveReachedServer;
    this.retryAfterMs = details.retryAfterMs;
    this.code = details.code;
    this.json = details.json;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      path: this.path,
      serverMessage: this.serverMessage,
      mayHaveReachedServer: this.mayHaveReachedServer,
      retryAfterMs: this.retryAfterMs,
      code: this.code,
      json: this.json,
    };
  }
}

export function configError(message: string): XAssistError {
  return new XAssistError('config', message, { mayHaveReachedServer: false });
}

export type Redact = (text: string) => string;

const CALL_LOG_PATH = 'rtc/getCallLogById';

/** A 404 for one call: the call may be gone, or the answer may not be about the call at all. */
export function isCallNotFound(err: unknown): err is XAssistError {
  return err instanceof XAssistError && err.status === 404 && err.path === CALL_LOG_PATH;
}

/**
 * A failure that may pass by itself: the server unreachable, slow, overloaded or restarting, or
 * a back-off after such failures. Refused credentials, a missing permission, bad settings or a
 * request the server rejects will not.
 */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof XAssistError)) return false;
  switch (err.kind) {
    case 'network':
    case 'timeout':
    case 'unavailable':
    case 'response':
      return true;
    case 'http': {
      const status = err.status ?? 0;
      return status >= 500 || status === 408 || status === 429;
    }
    default:
      return false;
  }
}

/** A 403 that came back with a fresh token: not an expired token but a missing permission. */
export function forbiddenError(error: XAssistError, username: string): XAssistError {
  const why = error.serverMessage ? ` – ${error.serverMessage}` : '';
  return new XAssistError(
    'forbidden',
    `xAssist ${error.path ?? ''}: the user '${username}' is not allowed to do this (403${why}); ` +
      'give the user the permission in xAssist, or use another user',
    { ...error, mayHaveReachedServer: true },
  );
}

/** Connection failures that happen before a single byte of the request is sent. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ERR_INVALID_URL',
]);

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

const MAX_SERVER_MESSAGE = 300;

/** Turns whatever axios threw into an XAssistError for `path`. */
export function toXAssistError(err: unknown, path: string, redact: Redact): XAssistError {
  if (err instanceof XAssistError) return err;
  if (!isAxiosError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return new XAssistError('network', `xAssist ${path}: ${redact(message)}`, {
      path,
      mayHaveReachedServer: true,
    });
  }
  const response = err.response;
  if (response) {
    const status = response.status;
    const serverMessage = serverMessageOf(response.data, redact);
    const retryAfterMs = parseRetryAfter(response.headers?.['retry-after']);
    const statusText = response.statusText ? ` ${response.statusText}` : '';
    const location = status >= 300 && status < 400 ? response.headers?.location : undefined;
    const text =
      location !== undefined
        ? `redirected to ${redact(String(location))}: check the server URL`
        : serverMessage || '';
    return new XAssistError(
      'http',
      `xAssist ${path} failed: ${status}${statusText}${text ? ` – ${text}` : ''}`,
      {
        status,
        path,
        serverMessage,
        retryAfterMs,
        mayHaveReachedServer: true,
        json: isJsonBody(response.data, response.headers?.['content-type']),
      },
    );
  }
  const code = systemCodeOf(err);
  if (code === 'ERR_CANCELED') {
    return new XAssistError(
      'unavailable',
      `xAssist ${path}: cancelled, the connection was closed`,
      {
        path,
        code,
        mayHaveReachedServer: true,
      },
    );
  }
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new XAssistError('timeout', `xAssist ${path}: no answer within the request timeout`, {
      path,
      code,
      mayHaveReachedServer: true,
    });
  }
  if (code && TLS_CODES.has(code)) {
    return new XAssistError(
      'tls',
      `xAssist ${path}: the server's TLS certificate was refused (${code}); ` +
        `if it comes from a private CA, add that CA in a TLS configuration`,
      { path, code, mayHaveReachedServer: false },
    );
  }
  const proxyRefusal = /^Bad response: (\d{3})/.exec(err.message);
  if (proxyRefusal) {
    return new XAssistError(
      'network',
      `xAssist ${path}: the proxy refused the connection (${proxyRefusal[1]})`,
      { path, code: `PROXY_${proxyRefusal[1]}`, mayHaveReachedServer: false },
    );
  }
  const notSent = code !== undefined && NOT_SENT_CODES.has(code);
  const reason = code ?? redact(err.message);
  return new XAssistError(
    'network',
    notSent
      ? `xAssist ${path}: cannot reach the server (${reason})`
      : `xAssist ${path}: the connection broke (${reason})`,
    { path, code, mayHaveReachedServer: !notSent },
  );
}

function systemCodeOf(err: { code?: string; cause?: unknown }): string | undefined {
  const cause = err.cause as { code?: unknown } | undefined;
  if (typeof cause?.code === 'string' && cause.code !== 'ERR_BAD_REQUEST') return cause.code;
  return typeof err.code === 'string' && !err.code.startsWith('ERR_BAD_') ? err.code : undefined;
}

/**
 * axios parses a JSON body into an object and leaves anything else a string (an HTML page, text,
 * an empty body); a page labelled HTML is no API answer whatever it parses to.
 */
function isJsonBody(data: unknown, contentType: unknown): boolean {
  const html = typeof contentType === 'string' && /html/i.test(contentType);
  return typeof data === 'object' && data !== null && !Buffer.isBuffer(data) && !html;
}

/** Spring answers `{status, error, message, path}`; other servers answer text or HTML. */
function serverMessageOf(data: unknown, redact: Redact): string | undefined {
  let text: string | undefined;
  if (data && typeof data === 'object' && !Buffer.isBuffer(data)) {
    const body = data as Record<string, unknown>;
    const message = typeof body.message === 'string' ? body.message : undefined;
    const error = typeof body.error === 'string' ? body.error : undefined;
    text = message || error;
  } else if (typeof data === 'string' && data.trim()) {
    text = /^\s*</.test(data) ? 'the server answered with an HTML page' : data.trim();
  }
  if (!text) return undefined;
  const clean = redact(text).replace(/\s+/g, ' ');
  return clean.length > MAX_SERVER_MESSAGE ? `${clean.slice(0, MAX_SERVER_MESSAGE)}…` : clean;
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
