import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFolder, builtFile, builtNode, PACKAGE_ROOT } from './built';
import type { Started } from './started';

/**
 * A copy of the built package (package.json and the build) that the Node-RED processes load: a
 * build started meanwhile elsewhere in the checkout (it empties the build folder first) cannot
 * break a Node-RED start in the middle of the bench. Its node_modules are the checkout's.
 */
export function packageSnapshot(started: Started): string {
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'xassist-bench-package-'));
    started.add(() => rmSync(dir, { recursive: true, force: true }));
    copyFileSync(path.join(PACKAGE_ROOT, 'package.json'), path.join(dir, 'package.json'));
    cpSync(buildFolder(), buildFolder(dir), { recursive: true });
    symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const failure = loadFailure(dir);
    if (failure === undefined) return dir;
    if (attempt === 5) {
      const folder = path.relative(PACKAGE_ROOT, buildFolder());
      throw new Error(`no whole build in ${folder}/ (npm run build): ${failure}`);
    }
    execFileSync('sleep', ['2']);
  }
}

/**
 * What went wrong loading each node's module of the copy (a copy taken during a build would miss
 * some), or undefined when all loaded.
 */
function loadFailure(dir: string): string | undefined {
  const modules = [
    ...['server', 'create-call', 'call-status', 'escalate'].map((name) => builtNode(name, dir)),
    builtFile('state/shared-state.js', dir),
  ];
  const probe = spawnSync(process.execPath, [
    '-e',
    `for (const file of ${JSON.stringify(modules)}) require(file);`,
  ]);
  return probe.status === 0 ? undefined : String(probe.stderr);
}
