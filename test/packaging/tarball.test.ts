import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import should from 'should';
import { editorBundle, editorPage, NODE_SCHEMAS } from '../../scripts/editors';
import { isEditorSource, trackedFiles } from '../support/source-files';

interface Packed {
  files: Array<{ path: string }>;
  size: number;
}

describe('the npm tarball', function () {
  this.timeout(60_000);
  let files: string[];
  let size: number;

  before(function () {
    // --ignore-scripts: the test command has just built dist/; the tarball's list is the question
    // --loglevel=error: the file listing comes as JSON, not as npm notice lines in the test output
    const output = execFileSync(
      'npm',
      ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'],
      { encoding: 'utf8' },
    );
    const [packed] = JSON.parse(output) as Packed[];
    files = packed.files.map((file) => file.path);
    size = packed.size;
  });

  it('holds every node the package declares, with its editor, help, strings and icon', function () {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    for (const [type, file] of Object.entries(pkg['node-red'].nodes as Record<string, string>)) {
      should(files).containEql(file);
      should(files).containEql(file.replace(/\.js$/, '.html'));
      for (const language of ['en-US', 'de', 'fr']) {
        should(files).containEql(`${path.posix.dirname(file)}/locales/${language}/${type}.json`);
        should(files).containEql(`${path.posix.dirname(file)}/locales/${language}/${type}.html`);
      }
    }
    for (const file of [
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'package.json',
      // beside the nodes' .js files, where Node-RED looks for them
      'dist/nodes/create-call/icons/xassist-call.svg',
      'dist/nodes/call-status/icons/xassist-call-status.svg',
      'dist/nodes/escalate/icons/xassist-escalate.svg',
      'dist/nodes/call-history/icons/xassist-history.svg',
      'dist/nodes/assets/icons/xassist-assets.svg',
      'dist/nodes/duty/icons/xassist-duty.svg',
      'dist/sim/cli.js',
      // the editors' code, bundled, where Node-RED serves the package's resources from
      'resources/editor.js',
    ]) {
      should(files).containEql(file);
    }
    should(
      files.filter((file) => file.startsWith('examples/') && file.endsWith('.json')),
    ).have.length(8);
  });

  it('holds nothing else: no sources, tests, tooling, maps or local state', function () {
    const unwanted = files.filter((file) =>
      /^(src|test|bench|scripts|docs|\.ci|\.node-red|node_modules)\/|\.ts$|\.map$|^\.|tsconfig|eslint|\.tgz$|xassist-call-log/.test(
        file,
      ),
    );
    should(unwanted).be.empty();
    console.log(`      tarball: ${files.length} files, ${Math.round(size / 1024)} KB packed`);
  });

  it('holds no .js without its source in src/', function () {
    const packedScripts = files.filter((file) => /^dist\/.*\.js$/.test(file));
    should(packedScripts.filter((file) => !existsSync(sourcePathOf(file)))).be.empty();
  });

  it('holds the compiled .js of every source in src/, but the editor code, which is bundled', function () {
    const sources = sourcesUnder('src').filter((source) => !source.endsWith('.d.ts'));
    const runtime = sources.filter((source) => !isEditorSource(source));
    should(runtime.map(compiledPathOf).filter((file) => !files.includes(file))).be.empty();
    const editor = sources.filter(isEditorSource);
    should(editor.length).be.above(10);
    should(editor.map(compiledPathOf).filter((file) => files.includes(file))).be.empty();
  });

  it('holds the help, strings and icons that git tracks in src/nodes/, and the editors built from the schemas', function () {
    const tracked = new Set(trackedFiles('src/nodes'));
    const assets = files.filter((file) => /^dist\/.*\.(html|json|svg)$/.test(file));
    const editors = Object.entries(NODE_SCHEMAS).map(
      ([folder, schema]) => `dist/nodes/${folder}/${schema.type}.html`,
    );
    should(assets).not.be.empty();
    should(
      assets.filter(
        (file) => !tracked.has(file.replace(/^dist\//, 'src/')) && !editors.includes(file),
      ),
    ).be.empty();
    for (const [folder, schema] of Object.entries(NODE_SCHEMAS)) {
      const file = `dist/nodes/${folder}/${schema.type}.html`;
      should(files).containEql(file);
      should(readFileSync(file, 'utf8')).equal(editorPage(schema), file);
    }
    should(readFileSync('resources/editor.js', 'utf8')).equal(editorBundle());
    should(files.filter((file) => file.startsWith('resources/'))).eql(['resources/editor.js']);
  });
});

describe('npm run build', function () {
  // tsc over all of src/; slower while the rest of the suite runs beside it
  this.timeout(180_000);

  it('writes only into dist/ and resources/, which hold no tracked file and nothing of a removed source', function () {
    const STALE = 'dist/stale-leftover.js';
    writeFileSync(STALE, '// what a since-deleted src/stale-leftover.ts compiled to\n');
    const before = filesOutsideDist();
    execFileSync('npm', ['run', 'build', '--loglevel=error'], { stdio: 'pipe' });
    should(existsSync(STALE)).be.false(`${STALE} outlived the build`);
    const after = filesOutsideDist();
    const written = [...after].filter(([file, mtime]) => before.get(file) !== mtime);
    should(written.map(([file]) => file)).be.empty();
    should(trackedFiles('dist')).be.empty();
    should(trackedFiles('resources')).be.empty();
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const declared = Object.values(pkg['node-red'].nodes as Record<string, string>);
    const expected = [...declared, pkg.bin['xassist-sim'] as string];
    should(expected.filter((file) => !existsSync(file))).be.empty();
  });
});

/** `dist/x/y.js` is compiled from `src/x/y.ts`. */
function sourcePathOf(compiled: string): string {
  return compiled.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');
}

function compiledPathOf(source: string): string {
  return source.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
}

/** What the build compiles: every .ts under `dir`, tracked or not, as a posix path. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.posix.join(dir, file.split(path.sep).join('/')));
}

/** Every file of the checkout but dependencies, git's own and the build's, with when it last changed. */
function filesOutsideDist(dir = '.', found = new Map<string, number>()): Map<string, number> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory() && !/^(node_modules|\.git|dist|resources)$/.test(file)) {
      filesOutsideDist(file, found);
    } else if (entry.isFile()) {
      found.set(file, statSync(file).mtimeMs);
    }
  }
  return found;
}
