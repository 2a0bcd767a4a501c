import should from 'should';
import type { Node } from 'node-red';
import { assetsNode, callStatusNode, serverNode } from '../support/node-red';
import { NodeTestBed } from '../support/node-test-bed';
import type { Outputs } from '../support/outputs';
import type { ShareOptions } from '../../src/sim/asset-shares';
import type { AssetSize } from '../../src/xassist/types';
import { startCall } from '../support/simulator';

type Msg = Record<string, unknown> & {
  payload?: unknown;
  error?: { message: string; code?: string; source?: unknown };
  asset?: { name: string; uri: string; state: string | null };
  assets?: Array<{ name: string; uri: string }>;
};

describe('xassist-assets, fetching what was shared in a call', function () {
  const bed = new NodeTestBed();
  let outputs: Outputs<Msg>;
  let node: Node;

  beforeEach(() => bed.start());
  afterEach(() => bed.end(['assets']));

  async function load(settings: Record<string, unknown> = {}) {
    const loaded = await bed.load<Msg>(
      [serverNode, assetsNode],
      { id: 'assets', type: 'xassist-assets', ...settings },
      ['fetched'],
    );
    outputs = loaded.outputs;
    node = loaded.node;
  }

  /** a call in which expert1 shared each of `shares` */
  function callWith(shares: Array<string | ShareOptions>) {
    const call = startCall(bed.sim, ['expert1']);
    bed.sim.calls.join(call.callId, 'expert1');
    const events = shares.map((share) =>
      bed.sim.calls.shareAsset(
        call.callId,
        'expert1',
        typeof share === 'string' ? { name: share } : share,
      ),
    );
    return { callId: call.callId, events };
  }

  /** the bytes the simulator serves for `uri` at `size` */
  const served = (uri: string, size: string) => bed.sim.calls.assetBytes(uri, size as AssetSize);

  it('sends each asset of a call as a Buffer, named and typed, the bytes as served', async function () {
    const { callId } = callWith(['photo 1.jpg', 'photo 2.jpg', 'notes.pdf']);
    await load({ size: 'MEDIUM', sizeType: 'assetsize' });
    node.receive({ callId, topic: 'line 7' });
    const got = await outputs.until('fetched', 3);
    const byName = new Map(got.map((msg) => [msg.filename, msg]));
    should([...byName.keys()].sort()).eql(['notes.pdf', 'photo 1.jpg', 'photo 2.jpg']);
    for (const msg of got) {
      should(Buffer.isBuffer(msg.payload)).be.true();
      should((msg.payload as Buffer).equals(served(msg.asset!.uri, 'MEDIUM'))).be.true();
      should(msg).have.properties({ callId, topic: 'line 7' });
      should(msg.contentType).be.a.String();
      should(msg.parts).have.properties({ count: 3 });
    }
    should(got.map((msg) => (msg.parts as { index: number }).index).sort()).eql([0, 1, 2]);
  });

  it('fetches nothing twice for one event sent again', async function () {
    const { events, callId } = callWith(['photo.jpg', 'later.jpg']);
    await load();
    const event = { callId, asset: events[0].asset };
    node.receive(event);
    await outputs.until('fetched', 1);
    node.receive(event);
    // an event after it: the one sent again is over by the time this one is fetched
    node.receive({ callId, asset: events[1].asset });
    await outputs.until('fetched', 2);
    should(bed.sim.count('assets/download_asset_by_uri')).equal(2);
    should(outputs.received.fetched.map((msg) => msg.filename)).eql(['photo.jpg', 'later.jpg']);
  });

  it('reports each asset larger than the limit on Catch, naming it, and loads none of it', async function () {
    const { callId } = callWith(['a.jpg', 'b.jpg']);
    // SMALL is 16 KB in the simulator: a limit of 0.01 MB (10 KB) refuses it
    await load({ maxSize: 0.01 });
    node.receive({ callId });
    const [caught] = await outputs.until('caught', 2);
    should(caught.error?.message).match(/asset 'a\.jpg|asset 'b\.jpg/);
    should(caught.error?.message).match(/larger than 10 KB, the node's limit: not loaded/);
    should(caught.error?.code).equal('ASSET_TOO_LARGE');
    should(outputs.received.fetched).have.length(0);
  });

  it('waits for an asset still uploading, and sends it whole once ready', async function () {
    const { callId, events } = callWith([
      { name: 'video.mp4', type: 'VIDEO', readyAfterMs: 1_500 },
    ]);
    await load({ size: 'ORIGINAL', sizeType: 'assetsize' });
    // the event as call-status sends it: the asset still UPLOADING
    node.receive({ callId, asset: events[0].asset });
    const [got] = await outputs.until('fetched', 1);
    should(got.asset?.state).equal('READY');
    should((got.payload as Buffer).equals(served(got.asset!.uri, 'ORIGINAL'))).be.true();
    should(got.contentType).equal('video/mp4');
  });

  it('reports an asset not ready within the upload wait, not fetched half', async function () {
    const { callId, events } = callWith([{ name: 'big.mp4', readyAfterMs: 60_000 }]);
    await load({ readyWait: 1 });
    node.receive({ callId, asset: events[0].asset });
    const [caught] = await outputs.until('caught', 1);
    should(caught.error?.code).equal('ASSET_NOT_READY');
    should(caught.error?.message).match(/asset 'big\.mp4' .*still UPLOADING after 1 s/);
    should(bed.sim.count('assets/download_asset_by_uri')).equal(0);
  });

  it("checks the ORIGINAL against the server's checksum, and reports one that does not match", async function () {
    const { callId } = callWith([{ name: 'good.jpg' }, { name: 'bad.jpg', checksum: 'wrong' }]);
    await load({ size: 'ORIGINAL', sizeType: 'assetsize' });
    node.receive({ callId });
    const [caught] = await outputs.until('caught', 1);
    const [sent] = await outputs.until('fetched', 1);
    should(sent.filename).equal('good.jpg');
    should(caught.error?.code).equal('ASSET_CHECKSUM');
    should(caught.error?.message).match(/asset 'bad\.jpg'.*do not match the server's checksum/);
  });

  it('reports a missing asset among three, and sends the two others', async function () {
    const { callId, events } = callWith(['one.jpg', 'two.jpg', 'three.jpg']);
    await load();
    node.receive({ callId, topic: 'first' });
    await outputs.until('fetched', 3);
    // the next call's second asset is deleted before it is fetched
    const next = callWith(['a.jpg', 'gone.jpg', 'c.jpg']);
    bed.sim.calls.deleteAsset(String(next.events[1].assetUri));
    node.receive({ callId: next.callId });
    const [caught] = await outputs.until('caught', 1);
    const sent = await outputs.until('fetched', 5);
    should(
      sent
        .slice(3)
        .map((msg) => msg.filename)
        .sort(),
    ).eql(['a.jpg', 'c.jpg']);
    should(caught.error?.code).equal('ASSET_GONE');
    should(caught.error?.message).match(/asset 'gone\.jpg'.*has it no longer \(404\)/);
    should(caught.asset).have.properties({ name: 'gone.jpg' });
    should(events).have.length(3);
  });

  it('says, on a server without the endpoint, that the asset is gone or the server has no download', async function () {
    bed.sim.variants.assetEndpoint = 'missing';
    const { callId } = callWith(['photo.jpg']);
    await load();
    node.receive({ callId });
    const [caught] = await outputs.until('caught', 1);
    should(caught.error?.code).equal('ASSET_GONE');
    should(caught.error?.message).match(/no asset download \(npx xassist-check tells which\)/);
  });

  it('refuses a message that names no asset, naming the field, and asks the server nothing', async function () {
    await load();
    node.receive({ payload: 'hello' });
    const [caught] = await outputs.until('caught', 1);
    should(caught.error?.message).match(/^asset: must be an asset/);
    should(bed.sim.count('rtc/getCallLogById')).equal(0);
    should(bed.sim.count('assets/download_asset_by_uri')).equal(0);
  });
});

describe('xassist-call-status, telling of the assets shared in a call', function () {
  const bed = new NodeTestBed();
  afterEach(() => bed.end(['follow']));

  it('gives an event that shares an asset msg.asset, and the ended call msg.assets', async function () {
    await bed.start();
    const { outputs, node } = await bed.load<Msg>(
      [serverNode, callStatusNode],
      { id: 'follow', type: 'xassist-call-status', pollInterval: 0.1 },
      ['events', 'joined', 'nojoin', 'ended'],
    );
    const call = startCall(bed.sim, ['expert1']);
    node.receive({ callId: call.callId });
    bed.sim.calls.join(call.callId, 'expert1');
    bed.sim.calls.shareAsset(call.callId, 'expert1', { name: 'snapshot.jpg' });
    const events = await outputs.until('events', 3);
    const shared = events.find((msg) => msg.asset);
    should(shared?.asset).have.properties({ name: 'snapshot.jpg', type: 'IMAGE', state: 'READY' });
    should(shared?.asset).have.property('createdAt').match(/Z$/);
    bed.sim.calls.end(call.callId);
    const [ended] = await outputs.until('ended', 1);
    should(ended.assets?.map((asset) => asset.name)).eql(['snapshot.jpg']);
    should(ended.assets?.[0].uri).equal(shared?.asset?.uri);
  });
});
