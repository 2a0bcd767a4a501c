import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback reverse proxy in front of a server, as a gateway stands before xAssist: it forwards
 * every request as it came, except that while `pages` is set it answers the requests whose path
 * contains `pages` with its own 404 `page` (as a gateway does while the backend restarts).
 */
export interface Gateway {
  /** `http://127.0.0.1:<port>/`: the target's paths below it */
  url: string;
  /** e.g. `rtc/getCallLogById`; undefined: everything is forwarded */
  pages?: string;
  /** the page answered: a 404 HTML page unless changed */
  page: { contentType: string; body: string; status?: number };
  /** the HTML pages answered so far */
  pagesSent: number;
  close(): Promise<void>;
}

const NOT_FOUND_PAGE =
  '<!DOCTYPE html><html><head><title>404 Not Found</title></head>' +
  '<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>';

export async function startGateway(target: string): Promise<Gateway> {
  const { hostname, port } = new URL(target);
  const server = http.createServer((req, res) => {
    if (gateway.pages && req.url?.includes(gateway.pages)) {
      gateway.pagesSent += 1;
      req.resume();
      res.writeHead(gateway.page.status ?? 404, { 'Content-Type': gateway.page.contentType });
      return void res.end(gateway.page.body);
    }
    const forwarded = http.request(
      { hostname, port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  const gateway: Gateway = {
    url: '',
    page: { contentType: 'text/html; charset=iso-8859-1', body: NOT_FOUND_PAGE },
    pagesSent: 0,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return gateway;
}
