/**
 * The node editors as the build makes them: each node type's `.html` from its schema, and one
 * bundle of every node's editor code for `resources/`, where Node-RED serves it. The tests make
 * them the same way, without a build.
 */
import { buildSync } from 'esbuild';
import path from 'node:path';
import { editorPage } from '../src/editor/page';
import { ASSETS_SCHEMA } from '../src/nodes/assets/schema';
import { CALL_HISTORY_SCHEMA } from '../src/nodes/call-history/schema';
import { CALL_STATUS_SCHEMA } from '../src/nodes/call-status/schema';
import { CREATE_CALL_SCHEMA } from '../src/nodes/create-call/schema';
import { DUTY_SCHEMA } from '../src/nodes/duty/schema';
import { DUTY_SCHEDULE_SCHEMA } from '../src/nodes/duty-schedule/schema';
import { ESCALATE_SCHEMA } from '../src/nodes/escalate/schema';
import { SERVER_SCHEMA } from '../src/nodes/server/schema';
import type { NodeSchema } from '../src/schema/fields';

const SRC = path.resolve(__dirname, '..', 'src');

/** Each node's schema, by its folder in src/nodes/, in the order the editor loads them. */
export const NODE_SCHEMAS: Record<string, NodeSchema> = {
  server: SERVER_SCHEMA,
  'create-call': CREATE_CALL_SCHEMA,
  'call-status': CALL_STATUS_SCHEMA,
  escalate: ESCALATE_SCHEMA,
  'call-history': CALL_HISTORY_SCHEMA,
  assets: ASSETS_SCHEMA,
  'duty-schedule': DUTY_SCHEDULE_SCHEMA,
  duty: DUTY_SCHEMA,
};

export { editorPage };

/** The schema of a node type (`xassist-escalate`); throws for a type the package has not. */
export function schemaOf(type: string): NodeSchema {
  const schema = Object.values(NODE_SCHEMAS).find((one) => one.type === type);
  if (!schema) throw new Error(`no node type ${type}`);
  return schema;
}

/** Every node's editor code (src/nodes/<name>/editor.ts) in one browser script. */
export function editorBundle(): string {
  const entry = Object.keys(NODE_SCHEMAS)
    .map((folder) => `import './nodes/${folder}/editor';`)
    .join('\n');
  const result = buildSync({
    stdin: { contents: entry, resolveDir: SRC, sourcefile: 'editors.ts', loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    write: false,
    charset: 'utf8',
    legalComments: 'none',
    banner: {
      js: '/* @frontline-flows/node-red-xassist: the node editors, built from src/editor and src/nodes/<name>/editor.ts */',
    },
  });
  return result.outputFiles[0].text;
}
