import { getProxyForUrl } from 'proxy-from-env';
import { configError } from './errors';

/** The settings of a core `http proxy` config node. */
export interface ProxySettings {
  url: string;
  /** hosts that bypass the proxy, as in no_proxy: `example.com`, `.example.com`, `host:8443`, `*` */
  noProxy?: string[];
  username?: string;
  password?: string;
}

/**
 * The proxy to use for `targetUrl`: the configured one unless its no-proxy list matches, or,
 * without one, what http_proxy/https_proxy/no_proxy in the environment say (read by
 * proxy-from-env, the library axios itself uses for them).
 */
export function proxyFor(targetUrl: string, configured?: ProxySettings): URL | undefined {
  if (!configured) {
    const fromEnv = getProxyForUrl(targetUrl);
    return fromEnv ? parseProxyUrl(fromEnv) : undefined;
  }
  const target = new URL(targetUrl);
  if (bypasses(target, configured.noProxy ?? [])) return undefined;
  const proxy = parseProxyUrl(configured.url);
  if (configured.username) proxy.username = encodeURIComponent(configured.username);
  if (configured.password) proxy.password = encodeURIComponent(configured.password);
  return proxy;
}

function parseProxyUrl(value: string): URL {
  const text = value.includes('://') ? value : `http://${value}`;
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below, without echoing a URL that may hold a password
  }
  throw configError('Proxy URL is not valid: use the form http://proxy-host:3128');
}

function bypasses(target: URL, entries: string[]): boolean {
  const host = target.hostname.toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return entries
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const [pattern, entryPort] = entry.split(/:(?=\d+$)/);
      if (entryPort && entryPort !== port) return false;
      const suffix = pattern.replace(/^\*?\./, '');
      return host === suffix || host.endsWith(`.${suffix}`);
    });
}
