import http from 'node:http';
import { proxyErrorPage } from './proxy-page';

/** What the simulator answers a request. */
export type Reply = {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** sent as it is instead of `body` as JSON */
  text?: string;
  /** sent as they are instead of `text` or `body` */
  bytes?: Buffer;
};

const REASONS: Record<number, string> = http.STATUS_CODES as Record<number, string>;
/** nginx's, for its own error pages */
const PROXY_HTML = { 'Content-Type': 'text/html' };

/** HTTP's name for `status` (`Bad Gateway`), or undefined for a status it does not name. */
export function reasonOf(status: number): string | undefined {
  return REASONS[status];
}

/** An error as Spring Boot answers it: the JSON body of its error controller. */
export function springError(status: number, message: string, path: string): Reply {
  return {
    status,
    body: {
      timestamp: new Date().toISOString(),
      status,
      error: reasonOf(status) ?? 'Error',
      message,
      path,
    },
  };
}

/**
 * An error as Spring Boot answers a client that does not ask for JSON: its "Whitelabel" HTML
 * page, from the server itself rather than from a proxy in front of it.
 */
export function springErrorPage(status: number, message: string): Reply {
  const text =
    '<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit mapping ' +
    'for /error, so you are seeing this as a fallback.</p>' +
    `<div id='created'>${new Date().toUTCString()}</div>` +
    `<div>There was an unexpected error (type=${reasonOf(status) ?? 'Error'}, status=${status}).</div>` +
    `<div>${message}</div></body></html>`;
  return { status, body: undefined, text, headers: { 'Content-Type': 'text/html;charset=UTF-8' } };
}

/** An error as the server answers it, or, when `html`, as the proxy in front of it does. */
export function errorReply(status: number, message: string, path: string, html = false): Reply {
  if (!html) return springError(status, message, path);
  return { status, body: undefined, text: proxyErrorPage(status), headers: PROXY_HTML };
}
