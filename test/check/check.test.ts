import should from 'should';
import type { Simulator, SimulatorOptions, Variants } from '../../src/sim';
import { Probe } from '../../src/check/probe';
import { redacted, reportLines, simArgsOf } from '../../src/check/report';
import { runCheck, type CheckReport } from '../../src/check/run';
import { createTransport } from '../../src/xassist/http';
import { validateSettings } from '../../src/xassist/settings';
import { pairwise, unmetPairs } from '../support/pairwise';
import { startSimulatorCli } from '../support/simulator-cli';
import { CONNECTOR, startSimulator } from '../support/simulator';

/** enough calls and users that orders, caps and filters show */
const TENANT: SimulatorOptions = { history: { calls: 40 }, extraUsers: 30 };
/** the same, with photos shared in some of its calls */
const WITH_ASSETS: SimulatorOptions = { ...TENANT, history: { calls: 40, assets: true } };

/** Findings that come with another's variant: a page-size cap shows on calls too. */
const COMPANIONS: Record<string, string[]> = {
  'users-page': ['calls-page'],
  'asset-sizes': ['assets'],
};

function check(url: string, time = 30_000): Promise<CheckReport> {
  return runCheck({ url, ...CONNECTOR }, { timeLimitMs: time });
}

const verdicts = (report: CheckReport) =>
  Object.fromEntries(report.findings.map((finding) => [finding.id, finding.verdict]));

/** The values of a variant that the check finds differing, each played by `flag <value>`. */
const differing = (flag: string, ...values: string[]): Array<[unknown, string[]]> =>
  values.map((value) => [value, [flag, value]]);

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
    [{ dates: 'offset' }, 'calls-dates', ['--dates', 'offset']],
    [{ dates: 'no-zone' }, 'calls-dates', ['--dates', 'no-zone']],
    [{ dates: 'numeric-text' }, 'calls-dates', ['--dates', 'numeric-text']],
    [{ userStatus: true }, 'users-fields', ['--user-status']],
    [{ notFound: 'html' }, 'unknown-call', ['--not-found', 'html']],
    [{ notFound: '400' }, 'unknown-call', ['--not-found', '400']],
    [{ assetSizes: ['SMALL'] }, 'asset-sizes', ['--asset-sizes', 'SMALL']],
    [{ assetSizes: ['MEDIUM', 'ORIGINAL'] }, 'asset-sizes', ['--asset-sizes', 'MEDIUM,ORIGINAL']],
    [{ assetSizes: [] }, 'asset-sizes', ['--asset-sizes', 'none']],
  ];

  for (const [variant, id, args] of VARIANTS) {
    it(`names ${JSON.stringify(variant)} and what handles it`, async function () {
      // the asset sizes show only with an asset to download
      const tenant = variant.assetSizes ? WITH_ASSETS : TENANT;
      sim = await startSimulator({ ...tenant, variants: variant });
      const report = await check(sim.tenantUrl);
      const finding = report.findings.find((each) => each.id === id);
      should(finding).have.properties({ verdict: 'differs' });
      should(finding?.advice).be.a.String().and.not.be.empty();
      should(simArgsOf(report).join(' ')).containEql(args.join(' '));
      // nothing else is taken for a difference
      const others = notExpected(report).filter((other) => other !== id);
      should(others.filter((other) => !COMPANIONS[id]?.includes(other))).eql([]);
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

  it('plays the new variants from the printed arguments: checked again, the same report', async function () {
    sim = await startSimulator({
      ...WITH_ASSETS,
      variants: { dates: 'offset', userStatus: true, notFound: 'html', assetSizes: ['SMALL'] },
    });
    const first = await check(sim.tenantUrl);
    should(simArgsOf(first).join(' ')).containEql('--history 20 --history-assets');
    const played = await startSimulatorCli(['--port', '0', '--users', '30', ...simArgsOf(first)]);
    try {
      const again = await check(played.url);
      should(verdicts(again)).eql(verdicts(first));
      should(simArgsOf(again)).eql(simArgsOf(first));
    } finally {
      await played.stop();
    }
  });

  describe('assets', function () {
    const finding = (report: CheckReport, id: string) =>
      report.findings.find((each) => each.id === id);

    it('finds none in the newest calls of a server without any, and asks for no download', async function () {
      sim = await startSimulator(TENANT);
      const report = await check(sim.tenantUrl);
      should(finding(report, 'assets')).have.properties({
        verdict: 'expected',
        found: 'none in the 20 newest calls',
      });
      should(finding(report, 'asset-sizes')).be.undefined();
      should(sim.count('assets/download_asset_by_uri')).equal(0);
    });

    it('finds one shared through the control API, and the sizes that answer bytes', async function () {
      sim = await startSimulator(TENANT);
      const newest = sim.history.at(-1)!;
      sim.calls.shareAsset(newest.callId, newest.invitees[0]);
      const report = await check(sim.tenantUrl);
      should(finding(report, 'assets')).have.properties({ verdict: 'differs' });
      should(finding(report, 'assets')?.found).startWith('1 of the 20 newest calls');
      should(finding(report, 'asset-sizes')).have.properties({
        verdict: 'expected',
        found: 'SMALL, MEDIUM, LARGE, ORIGINAL answer bytes',
      });
      should(sim.count('assets/download_asset_by_uri')).equal(4);
      sim.variants.assetSizes = ['LARGE'];
      should(finding(await check(sim.tenantUrl), 'asset-sizes')?.found).equal(
        'LARGE answers bytes; SMALL HTTP 400, MEDIUM HTTP 400, ORIGINAL HTTP 400',
      );
    });

    it("finds the newest calls' assets when the server answers oldest first", async function () {
      sim = await startSimulator({ ...TENANT, variants: { listOrder: 'asc-always' } });
      sim.calls.shareAsset(sim.history.at(-1)!.callId, 'expert1');
      const report = await check(sim.tenantUrl);
      should(finding(report, 'assets')?.found).startWith('1 of the 20 newest calls');
    });

    it('reads a few KiB of an asset at most, however large it is', async function () {
      sim = await startSimulator(WITH_ASSETS);
      const uri = sim.calls
        .all()
        .flatMap((log) => (log.assets ?? []) as Array<{ uri: string }>)[0].uri;
      const settings = validateSettings({ url: sim.tenantUrl, ...CONNECTOR });
      const transport = createTransport(settings);
      try {
        const probe = new Probe(transport.axios, Date.now() + 10_000, 5_000);
        const login = await probe.send('login', { method: 'POST', data: CONNECTOR });
        const token = String((login?.json as { token: string }).token);
        const answer = await probe.send('assets/download_asset_by_uri', {
          params: { uri, size: 'ORIGINAL' },
          token,
          maxBytes: 1000,
        });
        should(answer).have.properties({ status: 200, bytes: 1000 });
        should(answer?.headers['content-length']).equal(String(2 * 1024 * 1024));
        const refused = await probe.send('assets/download_asset_by_uri', {
          params: { uri, size: 'HUGE' },
          token,
          maxBytes: 1000,
        });
        should(refused?.status).equal(400);
        should(refused?.json).have.properties({ error: 'Bad Request' });
      } finally {
        await transport.destroy();
      }
    });
  });

  describe('against every pair of variants', function () {
    /**
     * Each variant's values: what the check must find of each, as expected (no arguments; the
     * found text, when it names it) or differing, with the arguments that play it.
     */
    const PLAYED: Array<[keyof Variants, string, Array<[unknown, string[]?, RegExp?]>]> = [
      [
        'dates',
        'calls-dates',
        [['iso'], ...differing('--dates', 'epoch', 'offset', 'no-zone', 'numeric-text')],
      ],
      ['expiredStatus', 'dead-token', [[401], [403, ['--expired-status', '403']]]],
      [
        'refreshFault',
        'refresh',
        [[null], ...differing('--refresh-fault', 'none', '500', 'html', 'redirect', 'no-token')],
      ],
      [
        'listOrder',
        'calls-order',
        [
          ['desc'],
          ['asc', undefined, /oldest first, unless sort asks/],
          ...differing('--list-order', 'asc-always', 'shuffle'),
        ],
      ],
      ['pageSizeCap', 'users-page', [[null], [25, ['--page-size-cap', '25']]]],
      ['userOrder', 'users-order', [['realName'], ['id', ['--user-order', 'id']]]],
      ['userStatus', 'users-fields', [[false], [true, ['--user-status']]]],
      ['notFound', 'unknown-call', [['json'], ...differing('--not-found', 'html', '400')]],
      [
        'assetSizes',
        'asset-sizes',
        [
          [['SMALL', 'MEDIUM', 'LARGE', 'ORIGINAL']],
          [['SMALL'], ['--asset-sizes', 'SMALL']],
          [
            ['LARGE', 'ORIGINAL'],
            ['--asset-sizes', 'LARGE,ORIGINAL'],
          ],
        ],
      ],
    ];
    const sizes = PLAYED.map(([, , values]) => values.length);
    const cases = pairwise(sizes);

    it(`covers every pair of values with ${cases.length} cases, not ${sizes.reduce((a, b) => a * b)}`, function () {
      should(unmetPairs(sizes, cases)).eql([]);
      should(cases.length).be.below(40);
    });

    for (const chosen of cases) {
      const variants = Object.fromEntries(
        PLAYED.map(([name, , values], k) => [name, values[chosen[k]][0]]),
      ) as Partial<Variants>;
      it(`names each of ${JSON.stringify(variants)}`, async function () {
        sim = await startSimulator({ ...WITH_ASSETS, variants });
        const report = await check(sim.tenantUrl);
        const args = simArgsOf(report).join(' ');
        const differs = new Set(['assets']);
        PLAYED.forEach(([, id, values], k) => {
          const [, played, found] = values[chosen[k]];
          const finding = report.findings.find((each) => each.id === id);
          should(finding?.verdict).equal(
            played ? 'differs' : 'expected',
            `${id}: ${finding?.found}`,
          );
          if (found) should(finding?.found).match(found);
          if (!played) return;
          should(args).containEql(played.join(' '));
          should(finding?.advice).be.a.String().and.not.be.empty();
          for (const companion of [id, ...(COMPANIONS[id] ?? [])]) differs.add(companion);
        });
        should(notExpected(report).sort()).eql([...differs].sort());
      });
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
