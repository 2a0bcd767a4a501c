import should from 'should';
import type { Simulator, SimulatorOptions, Variants } from '../../src/sim';
import { redacted, reportLines, simArgsOf } from '../../src/check/report';
import { runCheck, type CheckReport } from '../../src/check/run';
import { startSimulatorCli } from '../support/simulator-cli';
import { CONNECTOR, startSimulator } from '../support/simulator';

/** enough calls and users that orders, caps and filters show */
const TENANT: SimulatorOptions = { history: { calls: 40 }, extraUsers: 30 };

function check(url: string, time = 30_000): Promise<CheckReport> {
  return runCheck({ url, ...CONNECTOR }, { timeLimitMs: time });
}

const verdicts = (report: CheckReport) =>
  Object.fromEntries(report.findings.map((finding) => [finding.id, finding.verdict]));

const notExpected = (report: CheckReport) =>
  report.findings.filter((finding) => finding.verdict !== 'expected').map((finding) => finding.id);

describe('the server check', function () {
  this.timeout(60_000);
  let sim: Simulator;
  afterEach(() => sim?.close());

  it('finds everything as expected on the simulator as it starts, and only reads', async function () {
    sim = await startSimulator(TENANT);
    const report = await check(sim.tenantUrl);
    should(notExpected(report)).eql([]);
    should(sim.counts['rtc/createCall'] ?? 0).equal(0);
    should(simArgsOf(report)).eql(['--token-lifetime', '900']);
    console.log(
      `      check of the simulator: ${report.ms} ms, ${report.requests.length} requests`,
    );
  });

  const VARIANTS: Array<[Partial<Variants>, string, string[]]> = [
    [{ dates: 'epoch' }, 'calls-dates', ['--dates', 'epoch']],
    [{ expiredStatus: 403 }, 'dead-token', ['--expired-status', '403']],
    [{ refreshFault: 'none' }, 'refresh', ['--refresh-fault', 'none']],
    [{ refreshFault: '500' }, 'refresh', ['--refresh-fault', '500']],
    [{ refreshFault: 'html' }, 'refresh', ['--refresh-fault', 'html']],
    [{ refreshFault: 'redirect' }, 'refresh', ['--refresh-fault', 'redirect']],
    [{ refreshFault: 'no-token' }, 'refresh', ['--refresh-fault', 'no-token']],
    [{ listOrder: 'asc-always' }, 'calls-order', ['--list-order', 'asc-always']],
    [{ listOrder: 'shuffle' }, 'calls-order', ['--list-order', 'shuffle']],
    [{ pageSizeCap: 25 }, 'users-page', ['--page-size-cap', '25']],
    [{ userOrder: 'id' }, 'users-order', ['--user-order', 'id']],
  ];

  for (const [variant, id, args] of VARIANTS) {
    it(`names ${JSON.stringify(variant)} and what handles it`, async function () {
      sim = await startSimulator({ ...TENANT, variants: variant });
      const report = await check(sim.tenantUrl);
      const finding = report.findings.find((each) => each.id === id);
      should(finding).have.properties({ verdict: 'differs' });
      should(finding?.advice).be.a.String().and.not.be.empty();
      should(simArgsOf(report).join(' ')).containEql(args.join(' '));
      // nothing else is taken for a difference
      const others = notExpected(report).filter((other) => other !== id);
      should(others.filter((other) => !(id === 'users-page' && other === 'calls-page'))).eql([]);
    });
  }

  it('tells the list order the sim plays as asc apart from one that ignores sort', async function () {
    sim = await startSimulator({ ...TENANT, variants: { listOrder: 'asc' } });
    should(verdicts(await check(sim.tenantUrl))['calls-order']).equal('expected');
  });

  it('finds opaque tokens', async function () {
    sim = await startSimulator({ ...TENANT, jwt: false });
    const report = await check(sim.tenantUrl);
    should(verdicts(report).token).equal('differs');
    should(simArgsOf(report)).containEql('--opaque-tokens');
  });

  it('prints the simulator arguments that play the server: checked again, the same report', async function () {
    sim = await startSimulator({
      ...TENANT,
      variants: { dates: 'epoch', expiredStatus: 403, pageSizeCap: 25, listOrder: 'asc-always' },
    });
    const first = await check(sim.tenantUrl);
    const played = await startSimulatorCli([
      '--port',
      '0',
      '--history',
      '40',
      '--users',
      '30',
      ...simArgsOf(first),
    ]);
    try {
      const again = await check(played.url);
      should(verdicts(again)).eql(verdicts(first));
      should(simArgsOf(again)).eql(simArgsOf(first));
    } finally {
      await played.stop();
    }
  });

  it('shows no password or token, and with redact no host, tenant, user name or e-mail', async function () {
    sim = await startSimulator(TENANT);
    const report = await check(sim.tenantUrl);
    const shown = [JSON.stringify(report), reportLines(report, true).join('\n')].join('\n');
    for (const secret of [CONNECTOR.password, ...sim.tokens.issued]) {
      should(shown).not.containEql(secret);
    }
    const hidden = redacted(report);
    const text = [JSON.stringify(hidden), reportLines(hidden, true).join('\n')].join('\n');
    const url = new URL(sim.tenantUrl);
    for (const name of [url.host, 'acme', CONNECTOR.username, ...sim.users.map((u) => u.userId)]) {
      should(text).not.containEql(name);
    }
    should(text).not.match(/@example\.com/);
    should(hidden.findings.map((finding) => finding.verdict)).eql(
      report.findings.map((finding) => finding.verdict),
    );
  });

  it('gives could not tell for a server that hangs, and ends within its time limit', async function () {
    sim = await startSimulator(TENANT);
    sim.addFault({ endpoint: 'users/list', type: 'latency', ms: 60_000, count: 100 });
    sim.addFault({ endpoint: 'rtc/getFilteredCallLogsV2', type: 'garbage', count: 100 });
    const started = Date.now();
    const report = await check(sim.tenantUrl, 3_000);
    should(Date.now() - started).be.below(3_000 + 1_500);
    should(verdicts(report)).have.properties({ users: 'unknown', calls: 'unknown' });
  });
});
