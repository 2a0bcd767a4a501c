import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import semver from 'semver';
import should from 'should';
import { schemaOf } from '../../scripts/editors';

/**
 * The Flow Library scorecard's checks (node-red-dev validate) that can run here; its catalogue
 * check needs catalogue.nodered.org, which this machine cannot reach, and stops the tool there.
 */
describe('the Flow Library scorecard', function () {
  this.timeout(60_000);
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

  it('names, licence, links and keyword', function () {
    should(pkg.name).match(/^@[a-z0-9-]+\/node-red-[a-z0-9-]+$/);
    should(pkg.license).equal('MIT');
    should(readFileSync('LICENSE', 'utf8')).startWith('MIT License');
    should(pkg.repository.url).match(/^git\+https:\/\/github\.com\//);
    should(pkg.bugs.url).match(/^https:\/\//);
    should(pkg.keywords).containEql('node-red');
  });

  it('Node-RED and Node versions: Node-RED 3.1 on, Node 20 to 22 and 22.9 for Node-RED 5', function () {
    should(pkg['node-red'].version).equal('>=3.1.0');
    // Node 20: the floor of ioredis 6, the Redis client (Node 18 is out of support since 2025-04)
    for (const version of ['20.0.0', '20.20.2', '22.9.0', '22.23.3']) {
      should(semver.satisfies(version, pkg.engines.node)).be.true(version);
    }
  });

  it('at most 6 runtime dependencies, none an outdated major', function () {
    const dependencies = Object.keys(pkg.dependencies);
    should(dependencies.length).be.belowOrEqual(6);
    let report: string;
    try {
      report = execFileSync('npm', ['outdated', '--omit=dev', '--json'], { encoding: 'utf8' });
    } catch (err) {
      // npm outdated exits 1 when anything is outdated, with the report on stdout
      report = (err as { stdout?: string }).stdout || '{}';
    }
    const outdated = JSON.parse(report) as Record<string, { current: string; latest: string }>;
    const majors = Object.entries(outdated).filter(
      ([name, { current, latest }]) =>
        dependencies.includes(name) && semver.major(latest) > semver.major(current),
    );
    should(majors).be.empty();
  });

  it('every node that is not a config node is used in an example', function () {
    const used = new Set(
      readdirSync('examples').flatMap((file) =>
        (JSON.parse(readFileSync(`examples/${file}`, 'utf8')) as Array<{ type: string }>).map(
          (node) => node.type,
        ),
      ),
    );
    for (const type of Object.keys(pkg['node-red'].nodes).filter(
      (type) => schemaOf(type).look.category !== 'config',
    )) {
      should(used.has(type)).be.true(type);
    }
  });
});
