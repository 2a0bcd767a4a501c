import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import should from 'should';
import WebSocket from 'ws';
import { HISTORY_CALLS, quietMode } from '../../scripts/start';
import { stopChild } from '../support/child-process';
import { freePort } from '../support/node-red-process';

/** A node of the deployed flows, with the properties these tests read. */
interface DeployedNode {
  id: string;
  type: string;
  url?: string;
  server?: string;
  label?: string;
  once?: boolean;
  repeat?: string;
}

interface DebugMessage {
  name: string;
  topic?: string;
  msg: string;
}

/** what `npm start` runs after building, with `args` after `npm start --` */
async function startScript(
  args: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: () => string }> {
  let output = '';
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'scripts/start.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  while (!output.includes('Ctrl+C stops both')) await once(child.stdout!, 'data');
  return { child, output: () => output };
}

describe('npm start -- --quiet, or XASSIST_QUIET=1', function () {
  it('start quiet; XASSIST_QUIET=0, unset or empty does not', function () {
    should(quietMode(['--quiet'], {})).be.true();
    for (const value of ['1', 'true', 'yes'])
      should(quietMode([], { XASSIST_QUIET: value })).be.true();
    for (const value of ['0', 'false', 'no', ''])
      should(quietMode([], { XASSIST_QUIET: value })).be.false();
    should(quietMode([], {})).be.false();
    should(quietMode(['--quiet'], { XASSIST_QUIET: '0' })).be.true();
  });

  it('refuse an option or a value they do not know, saying the one there is', function () {
    should(() => quietMode(['--silent'], {})).throw(/the one option is --quiet/);
    should(() => quietMode([], { XASSIST_QUIET: 'maybe' })).throw(/give 1 \(quiet\) or 0/);
  });

  describe('in a real start', function () {
    this.timeout(90_000);
    let run: { child: ChildProcess; output: () => string } | undefined;
    let userDir: string;
    let env: Record<string, string>;

    before(async function () {
      userDir = mkdtempSync(path.join(tmpdir(), 'xassist-start-quiet-'));
      env = {
        XASSIST_SIM_PORT: String(await freePort()),
        NODE_RED_PORT: String(await freePort()),
        XASSIST_USER_DIR: userDir,
      };
    });

    after(async function () {
      await stopChild(run?.child, 'SIGINT');
      rmSync(userDir, { recursive: true, force: true });
    });

    /** the calls made since the simulator started, not its seeded history */
    async function callsMade(): Promise<number> {
      const calls = (await (
        await fetch(`http://127.0.0.1:${env.XASSIST_SIM_PORT}/_sim/calls`)
      ).json()) as unknown[];
      return calls.length - HISTORY_CALLS;
    }

    it('deploys the examples with their alarms fired only by a click, and says how to have them fire by themselves', async function () {
      run = await startScript(['--quiet'], env);
      should(run.output()).containEql(
        "Quiet: the example alarms fire only when you click an inject node's button.",
      );
      should(run.output()).containEql(
        'Without --quiet (and XASSIST_QUIET unset or 0) they fire by themselves, every 40 s.',
      );
      const flows = (await (
        await fetch(`http://127.0.0.1:${env.NODE_RED_PORT}/flows`)
      ).json()) as DeployedNode[];
      const injects = flows.filter((node) => node.type === 'inject');
      should(injects.map((node) => node.id)).containEql('fire-alarm');
      for (const inject of injects) {
        // the board's refresh reads the call history every 60 s, and it asks who is on duty at
        // deploy: they call no one
        if (inject.id === 'refresh-andon') should(inject).match({ once: true, repeat: '60' });
        else if (inject.id === 'andon-duty-ask') should(inject).match({ once: true, repeat: '' });
        else should(inject).match({ once: false, repeat: '' });
      }
      // past the 3 s after which the alarms would fire by themselves: none did
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      should(await callsMade()).equal(0);
      // the inject node's button, as the editor clicks it
      const click = await fetch(`http://127.0.0.1:${env.NODE_RED_PORT}/inject/fire-alarm`, {
        method: 'POST',
      });
      should(click.status).equal(200);
      while ((await callsMade()) === 0) await new Promise((resolve) => setTimeout(resolve, 200));
      should(await callsMade()).equal(1);
    });

    it('keeps those flows on the next start without --quiet, and says so and how to start afresh', async function () {
      await stopChild(run?.child, 'SIGINT');
      run = await startScript([], env);
      const output = run.output().replace(/\s+/g, ' ');
      should(output).containEql(
        `The flows of an earlier run are kept (${userDir}/flows.json, as you left it): its example alarms fire only when you click an inject node's button.`,
      );
      should(output).containEql(`delete ${userDir}/flows.json and start again.`);
    });
  });
});

describe('npm start', function () {
  this.timeout(90_000);
  let child: ChildProcess;
  let userDir: string;
  let output = '';
  let simPort: number;
  let nodeRedPort: number;

  before(async function () {
    userDir = mkdtempSync(path.join(tmpdir(), 'xassist-start-'));
    [simPort, nodeRedPort] = [await freePort(), await freePort()];
    const started = await startScript([], {
      XASSIST_SIM_PORT: String(simPort),
      NODE_RED_PORT: String(nodeRedPort),
      XASSIST_USER_DIR: userDir,
    });
    child = started.child;
    output = started.output();
  });

  after(async function () {
    await stopChild(child, 'SIGINT');
    rmSync(userDir, { recursive: true, force: true });
  });

  async function deployedFlows(): Promise<DeployedNode[]> {
    return (await (await fetch(`http://127.0.0.1:${nodeRedPort}/flows`)).json()) as DeployedNode[];
  }

  it('prints the URLs and how to stop', function () {
    should(output).containEql(`Node-RED editor:   http://127.0.0.1:${nodeRedPort}/`);
    should(output).containEql(`xAssist simulator: http://127.0.0.1:${simPort}/acme/`);
    should(output).containEql('every 40 s (the escalations every 90 s)');
    should(output).containEql(
      'To start quiet, the alarms firing only when clicked: npm start -- --quiet (or XASSIST_QUIET=1).',
    );
    should(output).containEql(`Andon board:       http://127.0.0.1:${nodeRedPort}/dashboard`);
  });

  it('deploys one server node for all the examples, pointed at the simulator', async function () {
    const flows = await deployedFlows();
    const servers = flows.filter((node) => node.type === 'xassist-server');
    should(servers).have.length(1);
    should(servers[0].url).equal(`http://127.0.0.1:${simPort}/acme/`);
    const users = flows.filter((node) => node.type.startsWith('xassist-') && node.server);
    should(users).not.be.empty();
    for (const user of users) should(user.server).equal(servers[0].id);
  });

  it('deploys the example flows and shows call events, and an escalation reaching its second expert, in the debug sidebar', async function () {
    const flows = await deployedFlows();
    should(flows.filter((node) => node.type === 'tab').map((tab) => tab.label)).eql([
      'Machine alarm → call the expert',
      'Escalation: nobody joins → call the backup',
      'Broker call for smart glasses',
      'Log every call event with durations',
      'Escalate: call experts in turn until one joins',
      'Andon board',
      'Duty schedule: call whoever is on duty, then their backup',
      "Save a call's photos into a folder named after the alarm",
    ]);
    // the alarms fire by themselves, every 40 s, the escalations every 90 s (once the last one's
    // calls have ended); the escalation's cancel button does not
    const inject = (id: string) => flows.find((node) => node.id === id);
    for (const id of ['fire-alarm', 'fire-broker', 'fire-log', 'fire-assets'])
      should(inject(id)).match({ once: true, repeat: '40' });
    for (const id of ['fire-escalation', 'fire-escalate', 'fire-andon', 'fire-duty'])
      should(inject(id)).match({ once: true, repeat: '90' });
    // the duty schedule's buttons call no one: fired together, which schedule is in force would
    // be a race
    for (const id of ['ask-duty', 'replace-duty', 'reset-duty', 'csv-duty'])
      should(inject(id)).match({ once: false, repeat: '' });
    // the board's refresh keeps its own interval
    should(inject('refresh-andon')).match({ once: true, repeat: '60' });
    should(inject('cancel-escalate')?.once).not.be.true();
    should(inject('cancel-escalate')?.repeat).equal('');
    const socket = new WebSocket(`ws://127.0.0.1:${nodeRedPort}/comms`);
    const seen: DebugMessage[] = [];
    const joined = new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        for (const { topic, data: message } of JSON.parse(String(data)) as Array<{
          topic: string;
          data: DebugMessage;
        }>) {
          if (topic !== 'debug') continue;
          seen.push(message);
          const names = seen.map((seenMessage) => seenMessage.name);
          // the escalation: expert3 does not answer for 15 s, then expert1 joins
          if (names.includes('expert joined') && names.includes('expert joined (escalation)'))
            resolve();
        }
      });
    });
    await once(socket, 'open');
    socket.send(JSON.stringify({ subscribe: 'debug' }));
    await joined;
    socket.close();
    should(
      // the call-status node puts its events in msg.event: msg.topic stays the alarm's
      seen.some(
        (message) =>
          message.name === 'call event' &&
          message.topic === 'factory/press-7/alarm' &&
          /"type":"Join"/.test(message.msg),
      ),
    ).be.true();
    // what the debug sidebar shows holds no credential
    should(JSON.stringify(seen)).not.containEql('connector-password');
    should(JSON.stringify(seen)).not.match(/Bearer [A-Za-z0-9]/);
  });

  it('serves the andon board (FlowFuse Dashboard 2.0, linked into the user directory) at /dashboard', async function () {
    const answer = await fetch(`http://127.0.0.1:${nodeRedPort}/dashboard/andon`);
    should(answer.status).equal(200);
    should(await answer.text()).containEql('<div id="app">');
  });

  it('stops both with Ctrl+C', async function () {
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    should(code).equal(0);
    const refused = await fetch(`http://127.0.0.1:${simPort}/_sim/stats`).catch(
      (err: Error) => err,
    );
    should(refused).be.instanceOf(Error);
  });
});
