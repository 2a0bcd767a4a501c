import { createHash } from 'node:crypto';
import { once } from 'node:events';
import FakeTimers from '@sinonjs/fake-timers';
import should from 'should';
import { assetBytes, assetLength, seedUsers, Simulator, type SimAsset } from '../../src/sim';
import { CallStore } from '../../src/sim/calls';
import { ASSET_SIZES, type CallEvent, type CallLog } from '../../src/xassist';
import { CONNECTOR, startCall, startSimulator } from '../support/simulator';
import { spawnSimulatorCli, startSimulatorCli } from '../support/simulator-cli';
import { call, simulatorApis } from '../support/http-call';
import { shouldBeSpringError } from '../support/spring';

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
type LogWithAssets = CallLog & { assets?: SimAsset[] };

/** `actual` is `expected` byte for byte (should's eql compares Buffers far too slowly). */
function shouldBeBytes(actual: Buffer, expected: Buffer, what?: string): void {
  should(actual.length).equal(expected.length, what);
  should(actual.equals(expected)).be.true(what);
}

describe('xAssist simulator: the assets a flow downloads', function () {
  describe('their bytes', function () {
    it('are the same at every call, and differ for each asset and size', function () {
      const photo = { id: 'a1' };
      for (const size of ASSET_SIZES)
        shouldBeBytes(assetBytes(photo, size), assetBytes(photo, size));
      const digests = new Set(
        ['a1', 'a2'].flatMap((id) => ASSET_SIZES.map((size) => sha256(assetBytes({ id }, size)))),
      );
      should(digests.size).equal(8);
    });

    it('are as long as the ORIGINAL asked, the smaller sizes no longer than it', function () {
      should(ASSET_SIZES.map((size) => assetBytes({ id: 'a' }, size).length)).eql([
        16 * 1024,
        128 * 1024,
        512 * 1024,
        2 * MiB,
      ]);
      should(ASSET_SIZES.map((size) => assetLength({ id: 'a', bytes: 100_000 }, size))).eql([
        16 * 1024,
        100_000,
        100_000,
        100_000,
      ]);
      should(assetBytes({ id: 'a', bytes: 0 }, 'SMALL').length).equal(0);
      should(assetBytes({ id: 'a', bytes: 5 }, 'ORIGINAL').length).equal(5);
    });

    it('repeat no block, so that a checksum catches a wrong slice', function () {
      const bytes = assetBytes({ id: 'a' }, 'ORIGINAL');
      const blocks = new Set<string>();
      for (let at = 0; at < bytes.length; at += 4096) {
        blocks.add(bytes.subarray(at, at + 4096).toString('hex'));
      }
      should(blocks.size).equal(bytes.length / 4096);
      should(sha256(bytes.subarray(0, MiB))).not.equal(sha256(bytes.subarray(MiB)));
    });

    it('are copies: changing them changes nothing served', function () {
      const first = assetBytes({ id: 'a' }, 'SMALL');
      const kept = Buffer.from(first);
      first.fill(0);
      shouldBeBytes(assetBytes({ id: 'a' }, 'SMALL'), kept);
    });

    it('come fast: 100 assets of 2 MiB in well under a bench run', function () {
      const started = performance.now();
      for (let index = 0; index < 100; index++) assetBytes({ id: `bench-${index}` }, 'ORIGINAL');
      // ~0.3 s on a laptop; the margin is for a loaded 2-core machine
      should(performance.now() - started).be.below(5_000);
    });
  });

  describe('through the simulator', function () {
    let sim: Simulator;
    let token: string;
    let callId: string;
    const { api, control } = simulatorApis(
      () => sim,
      () => token,
    );
    const download = (uri: string, size = 'ORIGINAL') =>
      api(`assets/download_asset_by_uri?uri=${encodeURIComponent(uri)}&size=${size}`);
    const share = async (fields: Record<string, unknown> = {}) => {
      const answer = await control(`calls/${callId}/assets`, 'POST', {
        userId: 'expert1',
        ...fields,
      });
      should(answer.status).equal(200, JSON.stringify(answer.body));
      return answer.body as unknown as CallEvent & { asset: SimAsset; assetUri: string };
    };
    const callLog = async () =>
      (await api(`rtc/getCallLogById?callId=${callId}`)).body as unknown as LogWithAssets;

    async function start(options: ConstructorParameters<typeof Simulator>[0] = {}) {
      sim = await startSimulator(options);
      token = String((await api('login', 'POST', CONNECTOR)).body.token);
      callId = startCall(sim).callId;
    }

    afterEach(() => sim?.close());

    it('serve the bytes assetBytes gives, with the type, length and name of the asset', async function () {
      await start();
      const kinds = [
        { type: undefined, contentType: 'image/jpeg' },
        { type: 'VIDEO', contentType: 'video/mp4' },
        { type: 'DOCUMENT', contentType: 'application/pdf' },
        { type: 'AUDIO', contentType: 'application/octet-stream' },
      ];
      for (const { type, contentType } of kinds) {
        const { asset } = await share({ type, name: 'report 7.bin', bytes: 300_000 });
        should(asset.type).equal(type ?? 'IMAGE');
        for (const size of ASSET_SIZES) {
          const answer = await download(asset.uri, size);
          should(answer.status).equal(200);
          shouldBeBytes(answer.bytes, assetBytes({ id: asset.id, bytes: 300_000 }, size), size);
          shouldBeBytes(answer.bytes, sim.calls.assetBytes(asset.uri, size), size);
          should(answer.headers.get('content-type')).equal(contentType);
          should(answer.headers.get('content-length')).equal(String(answer.bytes.length));
          should(answer.headers.get('content-disposition')).equal(
            'attachment; filename="report 7.bin"',
          );
        }
      }
      const { asset } = await share();
      should(asset.name).equal('photo.jpg');
      should((await download(asset.uri)).bytes.length).equal(2 * MiB);
    });

    it('name a file whatever its name: quoted, and in UTF-8 beyond ASCII', async function () {
      await start();
      const { asset } = await share({ name: 'Prüfung "7".jpg' });
      should((await download(asset.uri)).headers.get('content-disposition')).equal(
        `attachment; filename="Pr_fung \\"7\\".jpg"; filename*=UTF-8''Pr%C3%BCfung%20%227%22.jpg`,
      );
    });

    it('answer whatever Accept asks', async function () {
      await start();
      const { asset } = await share();
      for (const accept of ['application/octet-stream', 'application/json', '*/*']) {
        const answer = await fetch(
          `${sim.tenantUrl}assets/download_asset_by_uri?uri=${asset.uri}&size=SMALL`,
          { headers: { Authorization: `Bearer ${token}`, Accept: accept } },
        );
        should(answer.status).equal(200);
        shouldBeBytes(
          Buffer.from(await answer.arrayBuffer()),
          sim.calls.assetBytes(asset.uri, 'SMALL'),
        );
      }
    });

    it('carry the SHA-256 of their ORIGINAL bytes, the MD5 or none as the variant says', async function () {
      await start();
      const plain = (await share()).asset;
      should(plain.checksum).equal(sha256((await download(plain.uri)).bytes));
      should((await control('variants', 'POST', { assetChecksum: 'md5' })).body).containEql({
        assetChecksum: 'md5',
      });
      const hashed = (await share({ bytes: 1000 })).asset;
      should(hashed.checksum).equal(md5((await download(hashed.uri)).bytes));
      // computed on upload: the assets shared before keep theirs
      should(sim.calls.asset(plain.uri)?.checksum).equal(plain.checksum);
      sim.variants.assetChecksum = 'none';
      const bare = await share();
      should(bare.asset).not.have.property('checksum');
      should((await callLog()).assets?.at(-1)).not.have.property('checksum');
      await control('variants', 'POST', { assetChecksum: null });
      should(await (await control('variants', 'GET')).body).not.have.property('assetChecksum');
      should((await control('variants', 'POST', { assetChecksum: 'crc32' })).body.message).equal(
        'assetChecksum must be one of "sha256", "md5", "none"',
      );
    });

    it('carry a checksum that does not match when asked', async function () {
      await start({ variants: { assetChecksum: 'md5' } });
      const { asset } = await share({ checksum: 'wrong' });
      should(asset.checksum).match(/^[0-9a-f]{32}$/);
      should(asset.checksum).not.equal(md5((await download(asset.uri)).bytes));
      sim.variants.assetChecksum = 'none';
      const refused = await control(`calls/${callId}/assets`, 'POST', {
        userId: 'expert1',
        checksum: 'wrong',
      });
      shouldBeSpringError(refused, 400, {
        message: "checksum: 'wrong' needs a checksum, and the assetChecksum variant is none",
      });
    });

    it('are UPLOADING, their download half of their bytes, until READY', async function () {
      await start();
      const shared = await share({ readyAfterMs: 300, bytes: 100_000 });
      should(shared.asset.state).equal('UPLOADING');
      const uri = shared.assetUri;
      const ready = once(sim, 'assetReady');
      should((await callLog()).assets).eql([shared.asset]);
      const early = await download(uri, 'MEDIUM');
      should(early.status).equal(200);
      shouldBeBytes(early.bytes, sim.calls.assetBytes(uri, 'MEDIUM').subarray(0, 50_000));
      should(early.headers.get('content-length')).equal('50000');

      const [record] = (await ready) as [SimAsset];
      should(record).have.properties({ uri, state: 'READY' });
      should(record.updatedAt).be.above(shared.asset.updatedAt - 1);
      const log = await callLog();
      should(log.assets).eql([record]);
      // an event is what was sent then: it keeps showing the asset UPLOADING
      const event = log.callEvents?.find((one) => one.type === 'AssetShared');
      should(event?.asset).eql(shared.asset);
      shouldBeBytes((await download(uri, 'MEDIUM')).bytes, sim.calls.assetBytes(uri, 'MEDIUM'));
    });

    it('are READY at once unless asked, the event the same as the call log', async function () {
      await start();
      const { asset } = await share({ readyAfterMs: 0 });
      should(asset.state).equal('READY');
      should((await callLog()).assets).eql([asset]);
    });

    it('go when deleted: their download answers 404, the call log still names them', async function () {
      await start();
      const first = (await share()).asset;
      const second = (await share()).asset;
      const deleted = await control(`assets?uri=${encodeURIComponent(first.uri)}`, 'DELETE');
      should(deleted.body).eql({ ok: true });
      shouldBeSpringError(await download(first.uri), 404, {
        error: 'Not Found',
        message: `Asset ${first.uri} not found`,
        path: '/acme/assets/download_asset_by_uri',
      });
      should((await download(second.uri)).status).equal(200);
      sim.calls.deleteAsset(second.uri);
      should((await download(second.uri)).status).equal(404);
      should((await callLog()).assets?.map((asset) => asset.uri)).eql([first.uri, second.uri]);

      shouldBeSpringError(await control('assets?uri=asset://nothing', 'DELETE'), 400, {
        message: "uri: no asset 'asset://nothing'",
      });
      shouldBeSpringError(await control('assets', 'DELETE'), 400, {
        message: 'uri: the uri of the asset to delete, as ?uri=',
      });
      should(() => sim.calls.deleteAsset('asset://nothing')).throw(
        "uri: no asset 'asset://nothing'",
      );
    });

    it('cannot be downloaded from a server without the endpoint: 404 as any unknown route', async function () {
      await start();
      const { asset } = await share();
      const unknownRoute = await api('assets/no_such_route');
      should((await control('variants', 'POST', { assetEndpoint: 'missing' })).body).containEql({
        assetEndpoint: 'missing',
      });
      sim.resetCounts();
      const missing = await download(asset.uri);
      shouldBeSpringError(missing, 404, {
        error: 'Not Found',
        message: 'No message available',
        path: '/acme/assets/download_asset_by_uri',
      });
      should(Object.keys(missing.body).sort()).eql(Object.keys(unknownRoute.body).sort());
      should(sim.counts).eql({ other: 1 });
      sim.variants.assetEndpoint = 'present';
      should((await download(asset.uri)).status).equal(200);
      should((await control('variants', 'POST', { assetEndpoint: 'gone' })).status).equal(400);
    });

    it('are shared as the control route is asked, or refused saying what is wrong', async function () {
      await start();
      const refusals: Array<[Record<string, unknown>, string]> = [
        [{ userId: '' }, 'userId: the login name of who shares the asset'],
        [{ name: '' }, 'name: a file name'],
        [{ name: 7 }, 'name: a file name'],
        [{ type: 'image' }, 'type: an asset type in capitals, such as IMAGE, VIDEO or DOCUMENT'],
        [
          { bytes: -1 },
          'bytes: the length of the ORIGINAL, a whole number of bytes from 0 to 268435456',
        ],
        [{ bytes: '2MB' }, 'bytes: the length of the ORIGINAL'],
        [{ bytes: 256 * MiB + 1 }, 'bytes: the length of the ORIGINAL'],
        [{ readyAfterMs: 1.5 }, 'readyAfterMs: the milliseconds until it is READY'],
        [{ checksum: 'right' }, 'checksum: "wrong" (a checksum that does not match)'],
        [
          { size: 'SMALL' },
          "unknown field 'size': one of userId, name, type, bytes, readyAfterMs, checksum",
        ],
      ];
      for (const [fields, message] of refusals) {
        const answer = await control(`calls/${callId}/assets`, 'POST', {
          userId: 'expert1',
          ...fields,
        });
        should(answer.status).equal(400, JSON.stringify(fields));
        should(String(answer.body.message)).startWith(message);
      }
      should((await callLog()).assets).be.undefined();
      should(() => sim.calls.shareAsset(callId, 'expert1', { bytes: -1 })).throw(/^bytes:/);
      // null is the default, as for an optional JSON field
      should((await share({ name: null, readyAfterMs: null })).asset).have.properties({
        name: 'photo.jpg',
        state: 'READY',
      });
    });

    it('download fast enough for a bench: 100 of 2 MiB', async function () {
      this.timeout(30_000);
      await start();
      const uris: string[] = [];
      for (let index = 0; index < 100; index++) uris.push((await share()).assetUri);
      const started = performance.now();
      let total = 0;
      for (const uri of uris) total += (await download(uri)).bytes.length;
      should(total).equal(100 * 2 * MiB);
      // ~1 s on a laptop; the margin is for a loaded 2-core machine
      should(performance.now() - started).be.below(15_000);
    });
  });

  describe('shared by autoplay', function () {
    let clock: ReturnType<typeof FakeTimers.install>;
    const users = seedUsers('ubimax');
    const storeWith = (autoplay: ConstructorParameters<typeof CallStore>[2]) =>
      new CallStore(users, () => 'http://sim/acme/', autoplay);
    const newCall = (store: CallStore) =>
      store.create({
        callTitle: 'Line 7',
        callType: 'SFU',
        callReason: 'STANDARD',
        invitedContacts: [{ userId: 'expert3' }, { userId: 'expert1' }, { userId: 'expert2' }],
        invitedTeams: [],
        joinAnonymousAllowed: false,
        informOthersDirectly: true,
        plannedDateTime: null,
        creator: users[0],
      });
    const played = (log: CallLog) =>
      (log.callEvents ?? []).map((event) => `${event.type}:${event.contact?.userId}`);

    beforeEach(
      () => (clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })),
    );
    afterEach(() => clock.uninstall());

    it('a snapshot, by the first invitee to join, shareAfterMs after joining', function () {
      const store = storeWith({ joinAfterMs: 5_000, shareAfterMs: 2_000, endAfterMs: 60_000 });
      const log = newCall(store);
      clock.tick(6_999);
      should(played(log)).not.containEql('AssetShared:expert1');
      clock.tick(1);
      // expert3 never answers: expert1 is the first invitee in the call
      should(played(log).slice(-1)).eql(['AssetShared:expert1']);
      const event = log.callEvents!.at(-1)!;
      should(event.asset).have.properties({ name: 'snapshot.jpg', type: 'IMAGE', state: 'READY' });
      should(Date.parse(String(event.time)) - Date.parse(String(log.callEvents![0].time))).equal(
        7_000,
      );
      should(log.assets).have.length(1);
      clock.tick(60_000);
      should(log.callStatus).equal('Ended');
      should(played(log).filter((move) => move.startsWith('AssetShared'))).have.length(1);
    });

    it('nothing without shareAfterMs, or when the call ends first', function () {
      const plain = newCall(storeWith({ joinAfterMs: 10, endAfterMs: 60 }));
      const late = newCall(storeWith({ joinAfterMs: 10, shareAfterMs: 50, endAfterMs: 60 }));
      const store = storeWith({ joinAfterMs: 10, shareAfterMs: 50 });
      const ended = newCall(store);
      clock.tick(20);
      store.end(ended.callId);
      clock.tick(1_000);
      for (const log of [plain, late, ended]) {
        should(played(log).some((move) => move.startsWith('AssetShared'))).be.false();
        should(log).not.have.property('assets');
      }
    });
  });

  describe('command line', function () {
    it('tells the asset options in --help, and refuses wrong ones', async function () {
      const help = spawnSimulatorCli(['--help']);
      let text = '';
      help.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      await once(help, 'exit');
      for (const option of [
        '--share-after <s>',
        '--asset-checksum <alg>',
        '--asset-endpoint missing',
        '"readyAfterMs"',
        'DELETE /_sim/assets?uri=<uri>',
        '"assetChecksum","assetEndpoint"',
      ]) {
        should(text).containEql(option);
      }
      for (const [args, message] of [
        [['--asset-checksum', 'crc32'], 'assetChecksum must be one of "sha256", "md5", "none"'],
        [['--asset-endpoint', 'gone'], 'assetEndpoint must be one of "present", "missing"'],
        [['--autoplay', '--share-after', 'soon'], '--share-after must be a number of seconds'],
      ] as const) {
        const child = spawnSimulatorCli(['--port', '0', ...args], ['ignore', 'ignore', 'pipe']);
        let error = '';
        child.stderr!.on('data', (chunk: Buffer) => (error += chunk.toString()));
        const [code] = (await once(child, 'exit')) as [number];
        should(code).equal(1);
        should(error).containEql(message);
      }
    });

    it('--autoplay shares a snapshot 2 s after joining; the asset variants are flags', async function () {
      this.timeout(20_000);
      const cli = await startSimulatorCli([
        ...['--port', '0', '--autoplay', '--join-after', '0'],
        ...['--asset-checksum', 'md5', '--asset-endpoint', 'missing'],
      ]);
      try {
        const controlUrl = new URL('/_sim/', cli.url).toString();
        should((await call(`${controlUrl}variants`)).body).containEql({
          assetChecksum: 'md5',
          assetEndpoint: 'missing',
        });
        const login = await call(`${cli.url}login`, 'POST', CONNECTOR);
        const token = String(login.body.token);
        const created = await call(
          `${cli.url}rtc/createCall`,
          'POST',
          { callType: 'SFU', invitedContacts: [{ userId: 'expert1' }] },
          token,
        );
        const started = Date.now();
        const callUrl = `${cli.url}rtc/getCallLogById?callId=${String(created.body.callId)}`;
        let log: LogWithAssets;
        // another process: no event to await, so its call log is read until the asset shows
        do {
          await new Promise((resolve) => setTimeout(resolve, 100));
          log = (await call(callUrl, 'GET', undefined, token)).body as unknown as LogWithAssets;
        } while (!log.assets?.length);
        should(Date.now() - started).be.above(1_500);
        should(log.assets[0]).have.properties({ name: 'snapshot.jpg', createdBy: 'expert1' });
        should(log.assets[0].checksum).match(/^[0-9a-f]{32}$/);
      } finally {
        await cli.stop();
      }
    });
  });
});
