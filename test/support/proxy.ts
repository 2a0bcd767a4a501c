import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A loopback HTTP proxy (CONNECT and plain) that counts what goes through it. */
export interface CountingProxy {
  url: string;
  /** requests seen: plain proxied requests and CONNECT tunnels */
  seen: number;
  /** the Proxy-Authorization header values received */
  authorizations: string[];
  close(): Promise<void>;
}

export async function startProxy(): Promise<CountingProxy> {
  const { createProxy } = await import('proxy');
  const server = createProxy(http.createServer());
  // CONNECT tunnels are not the server's to close: track every socket to end them all
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const proxy: CountingProxy = {
    url: '',
    seen: 0,
    authorizations: [],
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
  const record = (req: http.IncomingMessage) => {
    proxy.seen += 1;
    const auth = req.headers['proxy-authorization'];
    if (auth) proxy.authorizations.push(String(auth));
  };
  server.prependListener('request', record);
  server.prependListener('connect', record);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
