import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import should from 'should';

/**
 * `npm test` starts with scripts/preflight.ts: without Chromium or redis-server, and without
 * root, it must stop at once with the command to run, not start a wall of failing tests.
 */
describe('the test command on a machine without Chromium and redis-server', function () {
  let bin: string;

  before(function () {
    // a PATH with node alone: no redis-server, no chromium
    bin = mkdtempSync(path.join(tmpdir(), 'xassist-preflight-'));
    chmodSync(bin, 0o755);
    symlinkSync(realpathSync(process.execPath), path.join(bin, 'node'));
  });

  after(() => rmSync(bin, { recursive: true, force: true }));

  /** Runs the preflight as a user without root (`nobody`, when the tests run as root). */
  function preflightWithout(env: NodeJS.ProcessEnv) {
    const node = path.join(bin, 'node');
    const command = [node, '--require', 'tsx/cjs', 'scripts/preflight.ts'];
    const asRoot = process.getuid?.() === 0;
    const [file, ...args] = asRoot
      ? ['runuser', '-u', 'nobody', '--', 'env', ...envArgs(env), ...command]
      : command;
    const startedAt = Date.now();
    const result = spawnSync(file, args, {
      encoding: 'utf8',
      env: asRoot ? process.env : { ...process.env, ...env },
    });
    return { ...result, ms: Date.now() - startedAt };
  }

  it('stops within seconds, without root, with the one command to run', function () {
    const result = preflightWithout({ PATH: bin, CHROMIUM_PATH: '/nonexistent', HOME: tmpdir() });
    should(result.status).equal(1, result.stderr);
    should(result.stderr).containEql('sudo apt-get install -y chromium redis-server');
    should(result.ms).be.below(10_000);
  });

  it('names only what is missing', function () {
    const result = preflightWithout({
      PATH: bin,
      CHROMIUM_PATH: realpathSync(process.execPath), // any executable will do here
      HOME: tmpdir(),
    });
    should(result.status).equal(1, result.stderr);
    should(result.stderr).containEql('sudo apt-get install -y redis-server');
    should(result.stderr).not.containEql('chromium');
  });

  it('lets the tests run where both are present', function () {
    const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', 'scripts/preflight.ts'], {
      encoding: 'utf8',
    });
    should(result.status).equal(0, result.stderr);
  });
});

function envArgs(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}
