import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import should from 'should';
import type { Simulator } from '../../src/sim';
import { CONNECTOR, startSimulator } from '../support/simulator';

const run = promisify(execFile);

/** `npx xassist-check`, from source, with the password in the environment or nowhere. */
function check(args: string[], password = CONNECTOR.password) {
  const env = { ...process.env, XASSIST_PASSWORD: password };
  return run(process.execPath, ['--require', 'tsx/cjs', 'src/check/cli.ts', ...args], {
    env,
    timeout: 40_000,
  }).catch((err: { code: number; stdout: string; stderr: string }) => err);
}

describe('xassist-check, the command line', function () {
  this.timeout(60_000);
  let sim: Simulator;
  before(async () => (sim = await startSimulator({ history: { calls: 10 } })));
  after(() => sim.close());

  it('says what it does first, then one line per check, and never the password', async function () {
    const { stdout, stderr } = await check([sim.tenantUrl, '--username', 'connector']);
    should(stderr).startWith('It only reads');
    should(stdout).match(/^ok +dead token +HTTP 401$/m);
    should(stdout).match(/as expected, 0 differ/);
    should(stdout + stderr).not.containEql(CONNECTOR.password);
  });

  it('gives JSON, redacted, and the simulator arguments alone', async function () {
    sim.variants.expiredStatus = 403;
    try {
      const json = await check([sim.tenantUrl, '--username', 'connector', '--json', '--redact']);
      const report = JSON.parse(json.stdout);
      should(report.server).eql({ url: '<redacted>', domain: 'ubimax', username: '<redacted>' });
      should(json.stdout).not.containEql('127.0.0.1');
      const simArgs = await check([sim.tenantUrl, '--username', 'connector', '--sim-args']);
      should(simArgs.stdout.trim()).equal('--token-lifetime 900 --expired-status 403');
    } finally {
      sim.variants.expiredStatus = 401;
    }
  });

  it('asks for the password where there is no terminal to type it: it stops and says so', async function () {
    const failed = (await check([sim.tenantUrl, '--username', 'connector'], '')) as {
      code?: number;
      stderr: string;
    };
    should(failed.code).equal(1);
    should(failed.stderr).containEql('set XASSIST_PASSWORD');
  });

  it('answers a missing URL or user with its usage and exit code 2', async function () {
    const failed = (await check(['--username', 'connector'])) as { code?: number; stderr: string };
    should(failed.code).equal(2);
    should(failed.stderr).startWith('Usage: xassist-check');
  });
});
