import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import should from 'should';
import { trackedFiles } from '../support/source-files';

interface Packed {
  files: Array<{ path: string }>;
  size: number;
}

describe('the npm tarball', function () {
  this.timeout(60_000);
  let files: string[];
  let size: number;

  before(function () {
    // --ignore-scripts: the test command has just built nodes/; the tarball's list is the question
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
        should(files).containEql(`nodes/locales/${language}/${type}.json`);
        should(files).containEql(`nodes/locales/${language}/${type}.html`);
      }
    }
    for (const file of [
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'package.json',
      // beside the nodes' .js files, where Node-RED looks for them
      'nodes/icons/xassist-call.svg',
      'nodes/icons/xassist-follow.svg',
      'nodes/icons/xassist-escalate.svg',
      'nodes/sim/cli.js',
    ]) {
      should(files).containEql(file);
    }
    should(
      files.filter((file) => file.startsWith('examples/') && file.endsWith('.json')),
    ).have.length(6);
  });

  it('holds nothing else: no sources, tests, tooling, maps or local state', function () {
    const unwanted = files.filter((file) =>
      /^(src|test|bench|scripts|docs|icons|\.ci|\.node-red|node_modules)\/|\.ts$|\.map$|^\.|tsconfig|eslint|\.tgz$|xassist-call-log/.test(
        file,
      ),
    );
    should(unwanted).be.empty();
    console.log(`      tarball: ${files.length} files, ${Math.round(size / 1024)} KB packed`);
  });

  it('holds no .js without its source in src/', function () {
    const packedScripts = files.filter((file) => /^nodes\/.*\.js$/.test(file));
    should(packedScripts.filter((file) => !existsSync(sourcePathOf(file)))).be.empty();
  });

  it('holds the compiled .js of every source in src/', function () {
    const compiledSources = sourcesUnder('src')
      .filter((source) => !source.endsWith('.d.ts'))
      .map(compiledPathOf);
    should(compiledSources.filter((file) => !files.includes(file))).be.empty();
  });

  it('holds only the editor .html files that git tracks', function () {
    const tracked = new Set(trackedFiles('nodes'));
    const packedHtml = files.filter((file) => /^nodes\/.*\.html$/.test(file));
    should(packedHtml.filter((file) => !tracked.has(file))).be.empty();
  });

  it('holds only icons copied from icons/', function () {
    const packedIcons = files.filter((file) => /^nodes\/icons\/.*\.svg$/.test(file));
    should(packedIcons).not.be.empty();
    should(packedIcons.filter((file) => !existsSync(file.replace(/^nodes\//, '')))).be.empty();
  });
});

describe('npm run build', function () {
  // tsc over all of src/; slower while the rest of the suite runs beside it
  this.timeout(180_000);
  const STALE = 'nodes/stale-leftover.js';

  it('leaves no output of a removed source, and keeps the hand-written files', function () {
    writeFileSync(STALE, '// what a since-deleted src/stale-leftover.ts compiled to\n');
    try {
      execFileSync('npm', ['run', 'build', '--loglevel=error'], { stdio: 'pipe' });
      should(existsSync(STALE)).be.false(`${STALE} outlived the build`);
    } finally {
      rmSync(STALE, { force: true });
    }
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const declared = Object.values(pkg['node-red'].nodes as Record<string, string>);
    const expected = [
      ...declared,
      pkg.bin['xassist-sim'] as string,
      'nodes/icons/xassist-call.svg',
    ];
    should(expected.filter((file) => !existsSync(file))).be.empty();
    should(trackedFiles('nodes').filter((file) => !existsSync(file))).be.empty();
  });
});

/** `nodes/x/y.js` is compiled from `src/x/y.ts`. */
function sourcePathOf(compiled: string): string {
  return compiled.replace(/^nodes\//, 'src/').replace(/\.js$/, '.ts');
}

function compiledPathOf(source: string): string {
  return source.replace(/^src\//, 'nodes/').replace(/\.ts$/, '.js');
}

/** What the build compiles: every .ts under `dir`, tracked or not, as a posix path. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.posix.join(dir, file.split(path.sep).join('/')));
}
