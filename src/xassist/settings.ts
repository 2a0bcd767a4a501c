import { configError } from './errors';
import {
  DEFAULT_DOMAIN,
  DEFAULT_REFRESH_PATH,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
  NO_REFRESH,
} from './limits';
import type { ProxySettings } from './proxy';

/** TLS options as a `tls-config` node's addTLSOptions() gives them. */
export interface TlsOptions {
  ca?: string | Buffer | Array<string | Buffer>;
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  servername?: string;
  /** certificate verification; on unless explicitly false */
  rejectUnauthorized?: boolean;
}

export interface ServerSettings {
  /** tenant URL, e.g. https://frontline.example.com/acme/ */
  url: string;
  domain: string;
  username: string;
  password: string;
  /** path of the refresh endpoint, relative to the tenant URL; `none`: always log in */
  refreshPath?: string;
  /** request timeout in milliseconds */
  timeoutMs?: number;
  tls?: TlsOptions;
  /** a proxy from an `http proxy` config node; without it http_proxy/https_proxy/no_proxy apply */
  proxy?: ProxySettings;
}

export interface ValidSettings extends Required<Omit<ServerSettings, 'tls' | 'proxy'>> {
  /** empty when the server has no refresh endpoint: tokens are renewed by logging in */
  refreshPath: string;
  tls?: TlsOptions;
  proxy?: ProxySettings;
}

export { DEFAULT_DOMAIN, DEFAULT_REFRESH_PATH, NO_REFRESH, DEFAULT_TIMEOUT_MS } from './limits';

/** Checks the settings a user typed and normalises them; throws an XAssistError of kind `config`. */
export function validateSettings(settings: ServerSettings): ValidSettings {
  const url = normaliseBaseUrl(settings.url);
  const domain = trimmed(settings.domain);
  if (!domain) throw configError(`Login domain is missing (often '${DEFAULT_DOMAIN}')`);
  const username = trimmed(settings.username);
  if (!username) throw configError('Username is missing');
  if (typeof settings.password !== 'string' || settings.password === '') {
    throw configError('Password is missing');
  }
  return {
    url,
    domain,
    username,
    password: settings.password,
    refreshPath: normaliseRefreshPath(settings.refreshPath),
    timeoutMs: normaliseTimeout(settings.timeoutMs),
    tls: settings.tls,
    proxy: settings.proxy,
  };
}

/** `https://host/acme` → `https://host/acme/`, so that relative API paths keep the tenant. */
export function normaliseBaseUrl(value: unknown): string {
  const text = trimmed(value);
  if (!text) {
    throw configError('Server URL is missing: set it to your tenant, e.g. https://host/acme/');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError('Server URL is not a valid URL: use the form https://host/tenant/');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError('Server URL must start with https:// (or http://)');
  }
  // The URL is never echoed back here: it could carry a password.
  if (url.username || url.password) {
    throw configError('Server URL must not contain a username or password: use the credentials');
  }
  if (url.search || url.hash) throw configError('Server URL must not contain ? or #');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.toString();
}

function normaliseRefreshPath(value: unknown): string {
  const text = trimmed(value).replace(/^\/+/, '');
  if (!text) return DEFAULT_REFRESH_PATH;
  if (text.toLowerCase() === NO_REFRESH) return '';
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) || /[?#\s]/.test(text)) {
    throw configError('Refresh path must be a path relative to the server URL, e.g. refresh');
  }
  return text;
}

function normaliseTimeout(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_TIMEOUT_MS;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_TIMEOUT_MS) {
    throw configError(`Timeout must be a number of seconds between 0 and ${MAX_TIMEOUT_MS / 1000}`);
  }
  return ms;
}

function trimmed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
