import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import type { ValidSettings } from './settings';
import { proxyFor } from './proxy';

export interface HttpTransport {
  axios: AxiosInstance;
  /** destroys every socket, kept-alive or in use, and resolves once all are closed */
  destroy(): Promise<void>;
}

/**
 * One axios instance per server: base URL with the tenant path, TLS from a tls-config node
 * (verification on unless the user turned it off there), proxy from the http-proxy node or
 * the environment, a timeout, and no redirects (a redirect would carry the bearer token).
 */
export function createTransport(settings: ValidSettings): HttpTransport {
  const agent = createAgent(settings);
  const instance = axios.create({
    baseURL: settings.url,
    timeout: settings.timeoutMs,
    maxRedirects: 0,
    proxy: false,
    httpAgent: agent instanceof https.Agent ? undefined : agent,
    httpsAgent: agent instanceof https.Agent ? agent : undefined,
    headers: { Accept: 'application/json' },
    // Refuse absolute URLs, so that no request can leave the tenant URL with the token.
    allowAbsoluteUrls: false,
  });
  return { axios: instance, destroy: () => destroyAgent(agent) };
}

async function destroyAgent(agent: http.Agent): Promise<void> {
  const sockets = [...Object.values(agent.sockets), ...Object.values(agent.freeSockets)].flat();
  agent.destroy();
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (!socket || socket.closed) resolve();
          else socket.once('close', () => resolve());
        }),
    ),
  );
}

function createAgent(settings: ValidSettings): http.Agent {
  const secure = new URL(settings.url).protocol === 'https:';
  const proxy = proxyFor(settings.url, settings.proxy);
  const common = { keepAlive: true, maxSockets: 32 };
  if (!secure) {
    return proxy ? new HttpProxyAgent({ ...common, proxy }) : new http.Agent(common);
  }
  const tls = { ...settings.tls, rejectUnauthorized: settings.tls?.rejectUnauthorized !== false };
  return proxy
    ? new HttpsProxyAgent({ ...common, ...tls, proxy })
    : new https.Agent({ ...common, ...tls });
}
