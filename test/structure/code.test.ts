import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import should from 'should';
import ts from 'typescript';
import { isEditorSource } from '../support/source-files';

/**
 * The layout docs/architecture.md promises, held against the code: each folder of src/ imports
 * only from itself and the folders below it, no import cycle, no node folder importing
 * another's, and no function so long that it holds more than one job.
 */
const LAYERS = [
  'nodes',
  'editor',
  'node-red',
  'escalation',
  'duty',
  'assets',
  'calls',
  'history',
  'call-status',
  'mapping',
  'state',
  'check',
  'sim',
  'xassist',
  'schema',
];
const LONGEST_FUNCTION_LINES = 120;

const SOURCES = readdirSync('src', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => path.posix.join('src', file.split(path.sep).join('/')));

function parsed(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The files of src/ that `file` imports (type imports too), as paths from the root. */
function importsOf(file: string): string[] {
  const found: string[] = [];
  for (const statement of parsed(file).statements) {
    const from =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    if (!from?.startsWith('.')) continue;
    const target = path.posix.join(path.posix.dirname(file), from);
    const candidates = [`${target}.ts`, `${target}/index.ts`];
    const hit = candidates.find((candidate) => SOURCES.includes(candidate));
    if (hit) found.push(hit);
  }
  return found;
}

/** `src/nodes/escalate/x.ts` is in layer `nodes`, part `nodes/escalate`. */
function placeOf(file: string): { layer: number; part: string } {
  const [, folder, sub] = file.split('/');
  return { layer: LAYERS.indexOf(folder), part: folder === 'nodes' ? `nodes/${sub}` : folder };
}

describe('the code’s structure', function () {
  const graph = new Map(SOURCES.map((file) => [file, importsOf(file)]));

  it('puts every source in one of the layers', function () {
    should(SOURCES.filter((file) => placeOf(file).layer < 0)).be.empty();
    // the imports are read at all: a broken reading would pass the tests below
    should([...graph.values()].flat().length).be.above(SOURCES.length);
  });

  it('imports only from the same folder or one below it; no node from another node', function () {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      for (const imported of imports) {
        const from = placeOf(file);
        const to = placeOf(imported);
        const sideways = from.part !== to.part && from.layer === to.layer;
        if (to.layer < from.layer || sideways) upward.push(`${file} → ${imported}`);
      }
    }
    should(upward).be.empty();
  });

  it('keeps the editor out of the runtime: only editor code imports it', function () {
    const leaks: string[] = [];
    for (const [file, imports] of graph) {
      for (const imported of imports) {
        if (isEditorSource(imported) && !isEditorSource(file)) leaks.push(`${file} → ${imported}`);
      }
    }
    should(leaks).be.empty();
    should([...graph.keys()].filter(isEditorSource).length).be.above(10);
  });

  it('has no import cycle', function () {
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (file: string, trail: string[]) => {
      if (trail.includes(file)) return cycles.push([...trail, file].join(' → '));
      if (done.has(file)) return;
      for (const imported of graph.get(file) ?? []) visit(imported, [...trail, file]);
      done.add(file);
    };
    for (const file of SOURCES) visit(file, []);
    should(cycles).be.empty();
  });

  it(`has no function longer than ${LONGEST_FUNCTION_LINES} lines`, function () {
    const long: string[] = [];
    for (const file of SOURCES) {
      const source = parsed(file);
      const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
          const last = source.getLineAndCharacterOfPosition(node.end).line;
          if (last - first + 1 > LONGEST_FUNCTION_LINES) long.push(`${file}:${first + 1}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    should(long).be.empty();
  });
});
