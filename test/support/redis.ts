import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './node-red-process';

/**
 * A real redis-server on loopback (Debian's package), with no persistence: a restart loses
 * everything, the worst a Redis restart can do. `.ci/run` installs it when it is missing.
 */
export class RedisServer {
  port = 0;
  private child?: ChildProcess;
  output = '';

  constructor(private readonly options: { password?: string; args?: string[] } = {}) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    const args = [
      '--port',
      String(this.port),
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
        if (this.output.includes('Ready to accept connections')) resolve();
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
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Down and up again on the same port, with nothing kept. */
  async restart(downMs = 0): Promise<void> {
    await this.kill();
    if (downMs) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.start();
  }

  stop(): Promise<void> {
    return this.kill();
  }
}
