import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import should from 'should';

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
    ).have.length(5);
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
});
