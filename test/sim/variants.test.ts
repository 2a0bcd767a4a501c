import { once } from 'node:events';
import should from 'should';
import { Simulator } from '../../src/sim';
import { serverDate, type CallEvent, type CallLog } from '../../src/xassist';
import { CONNECTOR, startSimulator } from '../support/simulator';
import { spawnSimulatorCli, startSimulatorCli } from '../support/simulator-cli';
import { call, simulatorApis } from '../support/http-call';
import { shouldBeSpringError } from '../support/spring';

/** The variants the server check finds that the first six did not play. */
describe('xAssist simulator: the variants the server check finds', function () {
  let sim: Simulator;
  let token: string;
  const { api, control } = simulatorApis(
    () => sim,
    () => token,
  );
  const variants = async () => (await control('variants', 'GET')).body;

  async function start(options: ConstructorParameters<typeof Simulator>[0] = {}) {
    sim = await startSimulator(options);
    token = String((await api('login', 'POST', CONNECTOR)).body.token);
  }

  afterEach(() => sim?.close());

  describe('dates', function () {
    it('writes the same instants with an offset, without a zone and as numeric text', async function () {
      await start({ history: { calls: 5 } });
      const read = async () =>
        (await api('rtc/getFilteredCallLogsV2?size=5')).body.content as CallLog[];
      const datesOf = (logs: CallLog[]) =>
        logs.flatMap((log) => [
          log.callStart,
          log.callEnd,
          ...(log.callEvents ?? []).map((e) => e.time),
        ]);
      const iso = datesOf(await read()) as string[];
      should(iso.every((date) => date.endsWith('Z'))).be.true();
      const forms = {
        offset: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+02:00$/,
        'no-zone': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/,
        'numeric-text': /^\d{13}$/,
      };
      for (const [dates, form] of Object.entries(forms)) {
        should((await control('variants', 'POST', { dates })).body).containEql({ dates });
        const written = datesOf(await read());
        should(written.every((date) => typeof date === 'string' && form.test(date))).be.true();
        should(written.map(serverDate)).eql(iso.map(Date.parse), dates);
      }
      // the UTC wall time, not this machine's or the server's local one
      should(datesOf(await read())).eql(iso.map((date) => String(Date.parse(date))));
      sim.variants.dates = 'no-zone';
      should(datesOf(await read())).eql(iso.map((date) => date.slice(0, -1)));
      const refused = await control('variants', 'POST', { dates: 'local' });
      should(refused.status).equal(400);
      should(refused.body.message).equal(
        'dates must be one of "iso", "epoch", "offset", "no-zone", "numeric-text"',
      );
    });
  });

  describe('a user status', function () {
    it('is none by default; asked, ONLINE or OFFLINE for who never answers, teams as before', async function () {
      await start();
      const users = async () =>
        (await api('users/list?size=100')).body.content as Array<Record<string, unknown>>;
      should((await users()).some((user) => 'status' in user)).be.false();
      should(await variants()).not.have.property('userStatus');

      should((await control('variants', 'POST', { userStatus: true })).body).containEql({
        userStatus: true,
      });
      const listed = await users();
      const statusOf = (userId: string) => listed.find((user) => user.userId === userId)?.status;
      should(statusOf('expert1')).equal('ONLINE');
      should(statusOf('connector')).equal('ONLINE');
      should(statusOf('expert3')).equal('OFFLINE');
      should(listed.find((user) => user.userId === 'expert1')?.teams).eql([
        { id: 1, name: 'Experts' },
      ]);

      should((await control('variants', 'POST', { userStatus: 'yes' })).status).equal(400);
      await control('variants', 'POST', { userStatus: null });
      should(await variants()).not.have.property('userStatus');
      should((await users()).some((user) => 'status' in user)).be.false();
    });
  });

  describe("a user's own presence", function () {
    it('is the status set for the user, none for null, and the variant’s again when unset', async function () {
      await start();
      const statusOf = async (userId: string) => {
        const listed = (await api('users/list?size=100')).body.content as Array<
          Record<string, unknown>
        >;
        const user = listed.find((one) => one.userId === userId);
        return user && ('status' in user ? user.status : 'none');
      };
      const set = (userId: string, status: unknown) =>
        control(`users/${userId}/presence`, 'POST', status === undefined ? {} : { status });
      should((await set('expert1', 'OFFLINE')).body).eql({ userId: 'expert1', status: 'OFFLINE' });
      should(await statusOf('expert1')).equal('OFFLINE');
      should(await statusOf('expert2')).equal('none');
      await control('variants', 'POST', { userStatus: true });
      await set('expert2', null);
      should(await statusOf('expert2')).equal('none');
      should(await statusOf('expert3')).equal('OFFLINE');
      await set('expert1', undefined);
      should(await statusOf('expert1')).equal('ONLINE');
      should((await set('nobody', 'ONLINE')).status).equal(400);
      should((await set('expert1', 3)).status).equal(400);
    });
  });

  describe('an unknown call id', function () {
    it('is a JSON 404 by default, else an HTML 404 page or a 400, as the variant says', async function () {
      await start({ history: { calls: 1 } });
      const unknown = () => api('rtc/getCallLogById?callId=00000000-0000-4000-8000-000000000000');
      shouldBeSpringError(await unknown(), 404, { error: 'Not Found' });

      await control('variants', 'POST', { notFound: 'html' });
      const page = await unknown();
      should(page.status).equal(404);
      should(page.headers.get('content-type')).startWith('text/html');
      should(page.bytes.toString()).containEql('Whitelabel Error Page');

      sim.variants.notFound = '400';
      shouldBeSpringError(await unknown(), 400, { error: 'Bad Request' });
      const known = await api(`rtc/getCallLogById?callId=${sim.history[0].callId}`);
      should(known.status).equal(200);

      should((await control('variants', 'POST', { notFound: '500' })).body.message).equal(
        'notFound must be one of "json", "html", "400"',
      );
      should(await variants()).containEql({ notFound: '400' });
    });
  });

  describe('assets', function () {
    const download = (uri: string, size: string) =>
      api(`assets/download_asset_by_uri?uri=${encodeURIComponent(uri)}&size=${size}`);

    it('are shared in a call through the control API and downloaded in each size', async function () {
      await start({ history: { calls: 1 } });
      const { callId } = sim.history[0];
      const shared = await control(`calls/${callId}/assets`, 'POST', {
        userId: 'expert1',
        name: 'gauge.jpg',
      });
      should(shared.status).equal(200);
      const event = shared.body as unknown as CallEvent;
      should(event).have.properties({ type: 'AssetShared' });
      should(event.contact).have.properties({ userId: 'expert1' });
      const asset = event.asset as Record<string, unknown>;
      should(asset).have.properties({ name: 'gauge.jpg', type: 'IMAGE', uri: event.assetUri });
      should(asset.createdAt).be.a.Number();
      const log = (await api(`rtc/getCallLogById?callId=${callId}`)).body as unknown as CallLog;
      should(log.assets).eql([asset]);
      should(log.callEvents?.at(-1)).eql(event);

      const sizes: Record<string, number> = {};
      for (const size of ['SMALL', 'MEDIUM', 'LARGE', 'ORIGINAL']) {
        const answer = await download(String(event.assetUri), size);
        should(answer.status).equal(200);
        should(answer.headers.get('content-type')).equal('image/jpeg');
        sizes[size] = answer.bytes.length;
      }
      should(sizes.SMALL).be.below(sizes.MEDIUM);
      should(sizes.MEDIUM).be.below(sizes.LARGE);
      should(sizes.LARGE).be.below(sizes.ORIGINAL);

      should((await control(`calls/${callId}/assets`, 'POST', {})).status).equal(400);
    });

    it('answer 400 for a size the variant leaves out, 404 for an unknown uri', async function () {
      await start({ history: { calls: 1 } });
      const event = sim.calls.shareAsset(sim.history[0].callId, 'expert1');
      const uri = String(event.assetUri);
      should(await variants()).not.have.property('assetSizes');
      should((await control('variants', 'POST', { assetSizes: ['SMALL'] })).body).containEql({
        assetSizes: ['SMALL'],
      });
      should((await download(uri, 'SMALL')).status).equal(200);
      for (const size of ['MEDIUM', 'ORIGINAL', 'HUGE']) {
        shouldBeSpringError(await download(uri, size), 400, { error: 'Bad Request' });
      }
      shouldBeSpringError(await download('asset://nothing', 'SMALL'), 404, {});
      shouldBeSpringError(await api(`assets/download_asset_by_uri?uri=${uri}`), 400, {
        message:
          "Required request parameter 'size' for method parameter type AssetSize is not present",
      });
      sim.variants.assetSizes = [];
      should((await download(uri, 'SMALL')).status).equal(400);
      for (const assetSizes of [['SMALL', 'SMALL'], ['HUGE'], 'SMALL']) {
        should((await control('variants', 'POST', { assetSizes })).status).equal(400);
      }
      await control('variants', 'POST', { assetSizes: null });
      should((await download(uri, 'ORIGINAL')).status).equal(200);
    });

    it('come with the seeded history when asked, the calls unchanged', async function () {
      const history = { calls: 30, endAt: Date.parse('2026-03-02T06:00:00.000Z') };
      const plain = new Simulator({ history });
      await start({ history: { ...history, assets: true } });
      should(sim.history).eql(plain.history);
      const logs = sim.calls.all().reverse();
      const joined = logs.filter((log) => log.callEvents?.some((event) => event.type === 'Join'));
      const withAsset = joined.filter((log) => Array.isArray(log.assets));
      should(withAsset.map((log) => log.callId)).eql(
        joined.filter((_, index) => index % 3 === 0).map((log) => log.callId),
      );
      for (const log of withAsset) {
        const events = log.callEvents ?? [];
        const share = events.find((event) => event.type === 'AssetShared')!;
        const firstJoin = events.find((event) => event.type === 'Join')!;
        should(share.contact?.userId).equal(firstJoin.contact?.userId);
        should(Date.parse(String(share.time))).be.above(Date.parse(String(firstJoin.time)));
        should(Date.parse(String(share.time))).be.below(Date.parse(String(log.callEnd)));
        // event ids in order of time, across the calls, as before
        should(events.map((event) => event.id)).eql(
          events.map((event) => event.id).sort((a, b) => a - b),
        );
        should((await download(String(share.assetUri), 'SMALL')).status).equal(200);
      }
      should(logs.filter((log) => !joined.includes(log)).some((log) => 'assets' in log)).be.false();
    });
  });

  describe('command line', function () {
    it('plays the new variants and the history with assets', async function () {
      const cli = await startSimulatorCli([
        ...['--port', '0', '--history', '10', '--history-assets'],
        ...['--dates', 'no-zone', '--user-status', '--not-found', 'html'],
        ...['--asset-sizes', 'small,LARGE'],
      ]);
      try {
        const controlUrl = new URL('/_sim/', cli.url).toString();
        should((await call(`${controlUrl}variants`)).body).containEql({
          dates: 'no-zone',
          userStatus: true,
          notFound: 'html',
          assetSizes: ['SMALL', 'LARGE'],
        });
        const calls = (await call(`${controlUrl}calls`)).body as unknown as CallLog[];
        should(calls.some((log) => Array.isArray(log.assets))).be.true();
      } finally {
        await cli.stop();
      }
    });

    it('refuses --history-assets without --history, and a wrong size', async function () {
      for (const [args, message] of [
        [['--history-assets'], '--history-assets needs --history'],
        [['--asset-sizes', 'HUGE'], 'assetSizes must be a list of distinct sizes'],
      ] as const) {
        const child = spawnSimulatorCli(['--port', '0', ...args], ['ignore', 'ignore', 'pipe']);
        let text = '';
        child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
        const [code] = (await once(child, 'exit')) as [number];
        should(code).equal(1);
        should(text).containEql(message);
      }
    });
  });
});
