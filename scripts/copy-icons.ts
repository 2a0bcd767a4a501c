/**
 * Part of `npm run build`: Node-RED looks for a node's icons in an `icons/` folder beside the
 * node's `.js` file, so the icons kept at the top level are copied into `nodes/icons/`.
 */
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';

const PROJECT = path.resolve(__dirname, '..');
const target = path.join(PROJECT, 'nodes', 'icons');
rmSync(target, { recursive: true, force: true });
cpSync(path.join(PROJECT, 'icons'), target, { recursive: true });
