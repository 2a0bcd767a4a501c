/**
 * `npm run build`: compiles `src/` into `dist/`; copies each node's help, messages and icons from
 * its folder in `src/nodes/` to the same place under `dist/nodes/`, beside the node's `.js`, where
 * Node-RED looks for them, and writes its editor `.html` there from its schema; bundles the
 * editors' code into `resources/editor.js`, which Node-RED serves to the editor. `dist/` and
 * `resources/` hold nothing but what this writes, and they are emptied first: a source removed
 * since the last build leaves nothing behind to ship.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { editorBundle, editorPage, NODE_SCHEMAS } from './editors';

const PROJECT = path.resolve(__dirname, '..');
const DIST = path.join(PROJECT, 'dist');
const RESOURCES = path.join(PROJECT, 'resources');

rmSync(DIST, { recursive: true, force: true });
rmSync(RESOURCES, { recursive: true, force: true });
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
for (const [folder, schema] of Object.entries(NODE_SCHEMAS)) {
  writeFileSync(path.join(DIST, 'nodes', folder, `${schema.type}.html`), editorPage(schema));
}
mkdirSync(RESOURCES);
writeFileSync(path.join(RESOURCES, 'editor.js'), editorBundle());
