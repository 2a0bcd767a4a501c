/**
 * Part of `npm run build`, before tsc: tsc never deletes what it wrote for a source that has since
 * been removed or renamed, and package.json `files` publishes every `.js` under `nodes/`, so a
 * leftover would ship. This removes all that a previous build wrote into `nodes/` and keeps the
 * hand-written `nodes/*.html` and `nodes/locales/`.
 */
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const NODES = path.resolve(__dirname, '..', 'nodes');
const HAND_WRITTEN_DIRS = new Set([path.join(NODES, 'locales')]);
const BUILD_OUTPUT = /\.(js|js\.map|d\.ts)$/;

function removeBuildOutputUnder(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDirectory() && !HAND_WRITTEN_DIRS.has(entryPath)) {
      removeBuildOutputUnder(entryPath);
      removeIfEmpty(entryPath);
    } else if (entry.isFile() && BUILD_OUTPUT.test(entry.name)) {
      rmSync(entryPath);
    }
  }
}

/** A folder whose sources were all removed would otherwise linger, empty, in the checkout. */
function removeIfEmpty(dir: string): void {
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}

// copied from icons/ by scripts/copy-icons.ts
rmSync(path.join(NODES, 'icons'), { recursive: true, force: true });
removeBuildOutputUnder(NODES);
