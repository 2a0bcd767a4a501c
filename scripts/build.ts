/**
 * `npm run build`: compiles `src/` into `dist/` and copies each node's editor, help, messages
 * and icons from its folder in `src/nodes/` to the same place under `dist/nodes/`, beside the
 * node's `.js`, where Node-RED looks for them. `dist/` holds nothing but what this writes, and
 * it is emptied first: a source removed since the last build leaves nothing behind to ship.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const PROJECT = path.resolve(__dirname, '..');
const DIST = path.join(PROJECT, 'dist');

rmSync(DIST, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: PROJECT,
    stdio: 'inherit',
  },
);
cpSync(path.join(PROJECT, 'src', 'nodes'), path.join(DIST, 'nodes'), {
  recursive: true,
  filter: (source) => statSync(source).isDirectory() || !source.endsWith('.ts'),
});
