import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import should from 'should';
import type { Simulator } from '../../src/sim';
import { launchChromium, openEditor } from '../support/browser';
import { chooseDutyStep, PLANT7 } from '../support/duty-step';
import { openEveryDialog, paletteTypes } from '../support/editor-dialogs';
import type { FlowNode } from '../support/node-red';
import { freePort, NodeRedProcess, UserDir } from '../support/node-red-process';
import { CONNECTOR, startSimulator } from '../support/simulator';

const MODULE = '@frontline-flows/node-red-xassist';
const PALETTE = [
  'xassist-assets',
  'xassist-call-history',
  'xassist-call-status',
  'xassist-create-call',
  'xassist-duty',
  'xassist-escalate',
];
/** Node-RED releases installed once per machine, outside the project. */
const RUNTIMES = path.join(tmpdir(), 'xassist-compat');

const TARGETS = [
  { label: 'Node-RED 3.1 on Node 20', version: '3.1', node: undefined },
  { label: 'Node-RED 4 on Node 20', version: '4', node: undefined },
  { label: 'Node-RED 5 on Node 22', version: '5', node: '22' },
];

/**
 * The path of a node binary of that major, from the npm registry (npx caches it). Node-RED runs
 * on it directly: npx in between would not pass Ctrl+C on to it.
 */
function nodeBinary(major: string): string {
  return execFileSync('npx', ['-y', '-p', `node@${major}`, 'node', '-p', 'process.execPath'], {
    encoding: 'utf8',
  }).trim();
}

function npm(args: string[], cwd: string): void {
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    stdio: 'pipe',
  });
}

/** red.js of the newest release of `version`, installed from the registry the first time. */
function nodeRedRelease(version: string): string {
  const dir = path.join(RUNTIMES, `node-red-${version}`);
  const redJs = path.join(dir, 'node_modules', 'node-red', 'red.js');
  if (!existsSync(redJs)) {
    mkdirSync(dir, { recursive: true });
    npm(['install', '--prefix', dir, `node-red@${version}`], dir);
  }
  return redJs;
}

describe('installed from the tarball, as the palette manager does', function () {
  this.timeout(240_000);
  let sim: Simulator;
  let tarball: string;
  let packDir: string;

  before(async function () {
    sim = await startSimulator();
    packDir = mkdtempSync(path.join(tmpdir(), 'xassist-pack-'));
    // the test command has built dist/ already
    const name = execFileSync(
      'npm',
      ['pack', '--ignore-scripts', '--loglevel=error', '--pack-destination', packDir],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n')
      .pop() as string;
    tarball = path.join(packDir, name);
  });

  after(async function () {
    await sim.close();
    rmSync(packDir, { recursive: true, force: true });
  });

  for (const target of TARGETS) {
    it(`${target.label}: loads the eight nodes without a warning, lists the examples, creates a call, opens every dialog, picks a duty step`, async function () {
      const redJs = nodeRedRelease(target.version);
      const userDir = new UserDir(false);
      const launcher = target.node ? [nodeBinary(target.node)] : undefined;
      const nodeRed = new NodeRedProcess(userDir, { launcher, redJs });
      try {
        npm(['install', tarball], userDir.dir);
        userDir.write([], {}, await freePort());
        await nodeRed.start();
        const version = /Node-RED version: v(\S+)/.exec(nodeRed.output)?.[1] ?? '';
        should(version.startsWith(target.version)).be.true(`Node-RED ${version}`);
        should(
          nodeRed.output
            .split('\n')
            .filter((line) => /\[(warn|error)\]/.test(line) && /xassist|frontline/i.test(line)),
        ).be.empty();

        const sets = (await (
          await fetch(`${nodeRed.url}nodes`, { headers: { Accept: 'application/json' } })
        ).json()) as Array<{ module: string; types: string[]; enabled: boolean; err?: string }>;
        const ours = sets.filter((set) => set.module === MODULE);
        should(ours.flatMap((set) => set.types).sort()).eql([
          'xassist-assets',
          'xassist-call-history',
          'xassist-call-status',
          'xassist-create-call',
          'xassist-duty',
          'xassist-duty-schedule',
          'xassist-escalate',
          'xassist-server',
        ]);
        should(ours.every((set) => set.enabled && !set.err)).be.true();

        const modules = (await (
          await fetch(`${nodeRed.url}library/examples/flows/`)
        ).json()) as unknown;
        should(JSON.stringify(modules)).containEql(MODULE);

        // what the editor loads from the package: the shared dialog code and each icon
        for (const [file, source] of [
          ['resources/MODULE/editor.js', 'resources/editor.js'],
          ['icons/MODULE/xassist-call.svg', 'src/nodes/create-call/icons/xassist-call.svg'],
          ['icons/MODULE/xassist-history.svg', 'src/nodes/call-history/icons/xassist-history.svg'],
          ['icons/MODULE/xassist-assets.svg', 'src/nodes/assets/icons/xassist-assets.svg'],
          ['icons/MODULE/xassist-duty.svg', 'src/nodes/duty/icons/xassist-duty.svg'],
        ]) {
          const served = await fetch(`${nodeRed.url}${file.replace('MODULE', MODULE)}`);
          should(served.status).equal(200, file);
          should(await served.text()).equal(readFileSync(source, 'utf8'));
        }

        const flow: FlowNode[] = [
          { id: 'tab', type: 'tab', label: 'compat' },
          {
            id: 'server',
            type: 'xassist-server',
            url: sim.tenantUrl,
            domain: 'ubimax',
            credentials: { ...CONNECTOR },
          },
          {
            id: 'in',
            type: 'http in',
            z: 'tab',
            url: '/go',
            method: 'post',
            x: 100,
            y: 100,
            wires: [['create']],
          },
          {
            id: 'create',
            type: 'xassist-create-call',
            z: 'tab',
            server: 'server',
            invitees: [{ v: 'expert1', vt: 'str' }],
            x: 300,
            y: 100,
            wires: [['out']],
          },
          {
            id: 'out',
            type: 'http response',
            z: 'tab',
            statusCode: '200',
            x: 500,
            y: 100,
            wires: [],
          },
        ];
        should(await nodeRed.deploy(flow)).equal(204);
        const answer = await fetch(`${nodeRed.url}go`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ callTitle: target.label }),
        });
        const call = (await answer.json()) as { callId: string; title: string };
        should(call.title).equal(target.label);
        should(sim.calls.get(call.callId)).be.ok();

        // the editor of this release: the palette, and every dialog, without a console error
        const browser = await launchChromium();
        try {
          const errors: string[] = [];
          const page = await openEditor(browser, nodeRed.url, { errors });
          should(await paletteTypes(page)).eql(PALETTE);
          await openEveryDialog(page, 'server');
          // a typedInput type of options, as this release's widget has it
          const duty = await chooseDutyStep(page, {
            id: 'duty-escalate',
            server: 'server',
            value: `${PLANT7.id}:2`,
          });
          should(duty.shown).equal('Line 9 duty · backup');
          should(duty.saved.steps).eql([{ v: `${PLANT7.id}:2`, vt: 'duty', timeout: '' }]);
          should(errors).eql([]);
        } finally {
          await browser.close();
        }
      } finally {
        await nodeRed.stop();
        userDir.remove();
      }
    });
  }
});
