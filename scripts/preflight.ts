/**
 * Before the system tests: Chromium (the editor tests) and redis-server (the shared-state tests)
 * must be on this machine. When one is missing, as root on Debian or Ubuntu it is installed with
 * apt-get (as in CI and containers); otherwise this stops at once with the one command to run,
 * rather than letting dozens of tests fail. It never calls sudo by itself.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

interface Need {
  /** the Debian package */
  pkg: string;
  present: () => boolean;
}

const NEEDS: Need[] = [
  {
    pkg: 'chromium',
    present: () =>
      process.env.CHROMIUM_PATH
        ? isExecutable(process.env.CHROMIUM_PATH)
        : isExecutable('/usr/bin/chromium') || onPath('chromium'),
  },
  { pkg: 'redis-server', present: () => onPath('redis-server') },
];

function main(): number {
  const missing = NEEDS.filter((need) => !need.present()).map((need) => need.pkg);
  if (missing.length === 0) return 0;
  const install = `apt-get install -y ${missing.join(' ')}`;
  if (isRoot() && existsSync('/etc/debian_version') && onPath('apt-get')) {
    console.log(`The system tests need ${missing.join(' and ')}: installing (${install})`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const ok =
      run(['apt-get', 'update', '-qq'], env) &&
      run(['apt-get', 'install', '-y', '-qq', ...missing], env);
    if (ok && NEEDS.every((need) => need.present())) return 0;
    console.error(`Installing ${missing.join(' and ')} failed: see apt-get's output above.`);
    return 1;
  }
  console.error(
    [
      `The system tests need ${missing.join(' and ')}, which this machine does not have.`,
      `Install ${missing.length === 1 ? 'it' : 'them'}, then run npm test again:`,
      '',
      `    sudo ${install}`,
      '',
      missing.includes('chromium') ? 'Or point CHROMIUM_PATH at a Chromium you have.' : '',
      'The tiers that need neither run now with: npm run test:unit && npm run test:nodes',
    ]
      .filter((line, index, lines) => line !== '' || lines[index - 1] !== '')
      .join('\n'),
  );
  return 1;
}

function run(command: string[], env: NodeJS.ProcessEnv): boolean {
  return spawnSync(command[0], command.slice(1), { stdio: 'inherit', env }).status === 0;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && isExecutable(path.join(dir, command)));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

process.exitCode = main();
