import type { RedisOptions } from 'ioredis';
import type { TlsOptions } from '../xassist';

/** The shared-state settings of an xassist-server node. */
export interface SharedStateSettings {
  /**
   * redis://[user[:password]@]host[:port][/db], rediss://… (TLS), or
   * redis+sentinel://host:port[,host:port…]/<master name>[/db]
   */
  url: string;
  /** the Redis password (a credential): wins over one in the URL */
  password?: string;
  /** put before every key, so that several flows or systems can share one Redis */
  prefix: string;
  /** how long an instance owns an item without renewing its lease */
  leaseMs: number;
  /** the TLS config node's options, for rediss:// */
  tls?: TlsOptions;
}

export const DEFAULT_PREFIX = 'xassist:';
export const DEFAULT_LEASE_MS = 10_000;
/** a longer lease keeps a stopped instance's items waiting for minutes */
export const MAX_LEASE_MS = 300_000;

/** The URL without its user and password: fit for a log, a status or an error. */
export function safeUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}

/** ioredis options for the settings; throws an Error naming the problem for a bad URL. */
export function redisOptionsOf(settings: SharedStateSettings): RedisOptions {
  const match =
    /^(rediss?|redis\+sentinel):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)(\/[^?#]*)?$/i.exec(
      settings.url.trim(),
    );
  if (!match) {
    throw new Error(
      `the Redis URL '${safeUrl(settings.url)}' is not redis://host:port, rediss://host:port or redis+sentinel://host:port/<master name>`,
    );
  }
  const [, scheme, user, urlPassword, hosts, path = ''] = match;
  const username = user ? decodeURIComponent(user) : undefined;
  const password = settings.password || (urlPassword ? decodeURIComponent(urlPassword) : undefined);
  const [first = '', second = ''] = path.split('/').filter(Boolean);
  const common: RedisOptions = { username, password };
  if (scheme.toLowerCase() === 'redis+sentinel') {
    if (!first) throw new Error('a redis+sentinel:// URL names its master: …/<master name>');
    return {
      ...common,
      sentinels: hosts.split(',').map((host) => hostPort(host, 26379)),
      name: decodeURIComponent(first),
      db: dbOf(second),
      ...(settings.tls && {
        tls: settings.tls,
        sentinelTLS: settings.tls,
        enableTLSForSentinelMode: true,
      }),
    };
  }
  const tls = scheme.toLowerCase() === 'rediss' ? (settings.tls ?? {}) : undefined;
  return { ...common, ...hostPort(hosts, 6379), db: dbOf(first), ...(tls && { tls }) };
}

function hostPort(text: string, defaultPort: number): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(text.trim());
  if (!match || !match[1]) throw new Error(`'${text}' is not host:port`);
  return { host: match[1], port: match[2] ? Number(match[2]) : defaultPort };
}

function dbOf(text: string): number {
  if (!text) return 0;
  const db = Number(text);
  if (!Number.isInteger(db) || db < 0) throw new Error(`'${text}' is not a database number`);
  return db;
}
