import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopChild } from './child-process';
import { freePort } from './node-red-process';

/**
 * A real redis-server on loopback (Debian's package), with no persistence: a restart loses
 * everything, the worst a Redis restart can do. `.ci/run` installs it when it is missing.
 */
export class RedisServer {
  port = 0;
  private child?: ChildProcess;
  output = '';

  constructor(
    private readonly options: {
      password?: string;
      args?: string[];
      /** a Sentinel watching the master `mymaster` at this port, instead of a Redis */
      sentinelOf?: number;
      /** TLS only, on the port, with this certificate and key (PEM) */
      tls?: { cert: string; key: string };
    } = {},
  ) {}

  /** files the server needs (a Sentinel's config, TLS keys), removed by stop() */
  private dir?: string;

  private file(name: string, content: string): string {
    this.dir ??= mkdtempSync(path.join(tmpdir(), 'xassist-redis-'));
    const file = path.join(this.dir, name);
    writeFileSync(file, content);
    return file;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    const { sentinelOf, tls } = this.options;
    const config = sentinelOf
      ? [
          this.file(
            'sentinel.conf',
            `port ${this.port}\nsentinel monitor mymaster 127.0.0.1 ${sentinelOf} 1\n`,
          ),
          '--sentinel',
        ]
      : [];
    const ports = tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(this.port),
          '--tls-cert-file',
          this.file('cert.pem', tls.cert),
          '--tls-key-file',
          this.file('key.pem', tls.key),
          '--tls-auth-clients',
          'no',
        ]
      : ['--port', String(this.port)];
    const args = [
      ...config,
      ...ports,
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      ...(this.options.password ? ['--requirepass', this.options.password] : []),
      ...(this.options.args ?? []),
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (/Ready to accept connections|\+monitor master/.test(this.output)) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (err) =>
        reject(
          new Error(`redis-server could not start (apt-get install redis-server): ${err.message}`),
        ),
      );
      child.once('exit', (code) =>
        reject(new Error(`redis-server exited (${code}):\n${this.output}`)),
      );
    });
    this.output = '';
  }

  /** kill -9: no goodbye to its clients */
  async kill(): Promise<void> {
    await stopChild(this.child, 'SIGKILL');
  }

  /** Down and up again on the same port, with nothing kept. */
  async restart(downMs = 0): Promise<void> {
    await this.kill();
    if (downMs) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.start();
  }

  async stop(): Promise<void> {
    await this.kill();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
