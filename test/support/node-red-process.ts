import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopChild } from './child-process';
import { serverConfig, setMsg, xassistNode } from './flow-nodes';
import type { FlowNode } from './node-red';

const PROJECT = path.resolve(__dirname, '../..');
const RED_JS = require.resolve('node-red/red.js');

/** A Node-RED user directory with this package installed (linked) and a file context store. */
export class UserDir {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'xassist-nr-'));
  /** the port Node-RED listens on, set by write() */
  port = 0;

  constructor(withPackage = true) {
    if (!withPackage) return;
    const scope = path.join(this.dir, 'node_modules', '@frontline-flows');
    mkdirSync(scope, { recursive: true });
    symlinkSync(PROJECT, path.join(scope, 'node-red-xassist'), 'dir');
    writeFileSync(
      path.join(this.dir, 'package.json'),
      '{"name":"node-red-project","private":true}',
    );
  }

  write(
    flows: FlowNode[],
    credentials: Record<string, Record<string, string>>,
    port: number,
    options: { flushInterval?: number; settingsCode?: string } = {},
  ): void {
    this.port = port;
    writeFileSync(path.join(this.dir, 'flows.json'), JSON.stringify(flows));
    writeFileSync(path.join(this.dir, 'flows_cred.json'), JSON.stringify(credentials));
    const store =
      options.flushInterval === undefined
        ? { module: 'localfilesystem' }
        : { module: 'localfilesystem', config: { flushInterval: options.flushInterval } };
    writeFileSync(
      path.join(this.dir, 'settings.js'),
      `module.exports = ${JSON.stringify({
        uiPort: port,
        uiHost: '127.0.0.1',
        flowFile: 'flows.json',
        credentialSecret: false,
        contextStorage: { default: store },
        logging: { console: { level: 'info' } },
        telemetry: { enabled: false },
        // no palette catalogue: the tests run without the internet
        editorTheme: { tours: false, palette: { catalogues: [] } },
      })};\n${options.settingsCode ?? ''}`,
    );
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Node-RED process; start() resolves once it listens and its flows have started. */
export class NodeRedProcess {
  private child?: ChildProcess;
  private readonly outputs = new EventEmitter();
  output = '';

  constructor(
    private readonly userDir: UserDir,
    private readonly options: {
      /** arguments for node itself, e.g. --expose-gc */
      nodeArgs?: string[];
      /** how to run node (default: this process's node), e.g. npx -y -p node@22 node */
      launcher?: string[];
      /** another Node-RED's red.js (default: the devDependency) */
      redJs?: string;
    } = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.userDir.port}/`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const [command, ...launcherArgs] = this.options.launcher ?? [process.execPath];
    const settings = path.join(this.userDir.dir, 'settings.js');
    const child = spawn(
      command,
      [
        ...launcherArgs,
        ...(this.options.nodeArgs ?? []),
        this.options.redJs ?? RED_JS,
        '--userDir',
        this.userDir.dir,
        '--settings',
        settings,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    const from = this.output.length;
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        this.outputs.emit('data');
        // flows can start before the server listens: wait for both, from this start on
        const fresh = this.output.slice(from);
        if (fresh.includes('Started flows') && fresh.includes('Server now running at')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`Node-RED exited (${code}):\n${this.output}`)));
    });
  }

  /**
   * A full deploy of `flows` (the running ones again when omitted, i.e. a redeploy) through the
   * admin API; resolves with the answer's status once the flows have started again.
   */
  async deploy(flows?: FlowNode[]): Promise<number> {
    const nodes = flows ?? ((await (await fetch(`${this.url}flows`)).json()) as FlowNode[]);
    const from = this.output.length;
    const answer = await fetch(`${this.url}flows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(nodes),
    });
    // the deploy answers before the flows have started again
    if (answer.ok) await this.untilOutput('Started flows', from);
    return answer.status;
  }

  /**
   * POSTs `body` as JSON to `path` (an http in node's) of Node-RED's HTTP server; a flow that
   * never answers fails the test after a minute, naming the path, rather than by its timeout.
   */
  async post(path: string, body: unknown): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      throw new Error(`POST /${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Resolves once Node-RED has printed `text`, or a match of it, after `from` of its output. */
  async untilOutput(text: string | RegExp, from = 0): Promise<void> {
    const printed = () => {
      const fresh = this.output.slice(from);
      return typeof text === 'string' ? fresh.includes(text) : text.test(fresh);
    };
    while (!printed()) await this.nextOutput();
  }

  /** Resolves when Node-RED prints something more. */
  async nextOutput(signal?: AbortSignal): Promise<void> {
    await once(this.outputs, 'data', { signal }).catch(() => undefined);
  }

  /** The hard way: no close handler runs, no context is flushed. */
  async kill(): Promise<void> {
    await stopChild(this.child, 'SIGKILL');
  }

  /** A graceful stop, as Ctrl+C or a service manager does it: flows close, context is saved. */
  async stop(): Promise<void> {
    await stopChild(this.child, 'SIGINT');
  }
}

/** A free loopback port (released for the caller to use). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Collects what http request nodes POST to it, by path. */
export class Collector {
  readonly received: Record<string, unknown[]> = {};
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const list = (this.received[req.url ?? '/'] ??= []);
      list.push(JSON.parse(Buffer.concat(chunks).toString() || 'null'));
      res.end('ok');
      this.events.emit('post');
    });
  });
  private readonly events = new EventEmitter();
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** An http request node, on tab `tab`, that posts its msg.payload to `path` here. */
  postNode(id: string, path: string, y: number, tab = 'tab'): FlowNode {
    const url = `${this.url}${path}`;
    return {
      id,
      type: 'http request',
      z: tab,
      method: 'POST',
      ret: 'txt',
      url,
      paytoqs: 'ignore',
      x: 600,
      y,
      wires: [[]],
    };
  }

  /**
   * Resolves when `path` has received `count` posts in all; rejects after `withinMs` saying how
   * many came, so that a lost message fails the test with its count rather than its timeout.
   */
  async until(path: string, count: number, withinMs = 120_000): Promise<unknown[]> {
    const signal = AbortSignal.timeout(withinMs);
    while ((this.received[path]?.length ?? 0) < count) {
      await once(this.events, 'post', { signal }).catch(() => {
        if (!signal.aborted) return;
        const got = this.received[path]?.length ?? 0;
        throw new Error(`${path}: ${got} of ${count} posts within ${withinMs / 1000} s`);
      });
    }
    return this.received[path];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/**
 * The start of a flow on tab `tab`: the xassist-server `server` at `serverUrl`, and an http in
 * node that hands what is POSTed to `path` to the node `to` and answers 200.
 */
export function httpEntryFlow(
  serverUrl: string,
  { label, path, to }: { label: string; path: string; to: string },
): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label },
    serverConfig(serverUrl, { timeout: 5 }),
    {
      id: 'in',
      type: 'http in',
      z: 'tab',
      url: path,
      method: 'post',
      x: 100,
      y: 100,
      wires: [[to, 'ok']],
    },
    { id: 'ok', type: 'http response', z: 'tab', statusCode: '200', x: 300, y: 60, wires: [] },
  ];
}

/**
 * A flow on tab `tab` that follows the call ids POSTed to /follow and posts each event (as
 * `{callId, id, type}`) to the collector's /events and each end to its /ended.
 */
export function followOverHttpFlow(serverUrl: string, collector: Collector): FlowNode[] {
  return [
    ...httpEntryFlow(serverUrl, { label: 'follow', path: '/follow', to: 'follow' }),
    xassistNode('follow', 'xassist-call-status', {
      pollInterval: 0.2,
      x: 300,
      y: 100,
      wires: [['wrap'], [], [], ['ended']],
    }),
    // the event id and its call, so that the collector can tell calls apart
    setMsg('wrap', 'payload', '{"callId": callId, "id": payload.id, "type": payload.type}', {
      x: 450,
      y: 100,
      wires: [['events']],
    }),
    collector.postNode('events', '/events', 100),
    collector.postNode('ended', '/ended', 160),
  ];
}

/** Starts following `callId` through followOverHttpFlow's /follow; resolves with the status. */
export async function followOverHttp(nodeRed: NodeRedProcess, callId: string): Promise<number> {
  return (await nodeRed.post('follow', { callId })).status;
}
