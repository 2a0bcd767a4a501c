import should from 'should';
import type { Node } from 'node-red';
import { assetsNode, callStatusNode, serverNode } from '../support/node-red';
import { NodeTestBed } from '../support/node-test-bed';
import type { Outputs } from '../support/outputs';
import { XAssistClient } from '../../src/xassist';
import { CONNECTOR, startCall } from '../support/simulator';

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

  /** a call in which expert1 shared `names`, as the server lists it once it ended */
  function callWith(names: string[]) {
    const call = startCall(bed.sim, ['expert1']);
    bed.sim.calls.join(call.callId, 'expert1');
    const events = names.map((name) => bed.sim.calls.shareAsset(call.callId, 'expert1', name));
    return { callId: call.callId, events };
  }

  /** the bytes the simulator serves for `uri` at `size`, fetched as a client would */
  async function served(uri: string, size: string): Promise<Buffer> {
    const client = new XAssistClient({ url: bed.sim.tenantUrl, ...CONNECTOR });
    try {
      return (await client.downloadAsset(uri, size, { maxBytes: 100 * 1_048_576 })).bytes;
    } finally {
      await client.close();
    }
  }

  it('sends each asset of a call as a Buffer, named and typed, the bytes as served', async function () {
    const { callId } = callWith(['photo 1.jpg', 'photo 2.jpg', 'notes.pdf']);
    await load({ size: 'MEDIUM', sizeType: 'assetsize' });
    node.receive({ callId, topic: 'line 7' });
    const got = await outputs.until('fetched', 3);
    const byName = new Map(got.map((msg) => [msg.filename, msg]));
    should([...byName.keys()].sort()).eql(['notes.pdf', 'photo 1.jpg', 'photo 2.jpg']);
    for (const msg of got) {
      should(Buffer.isBuffer(msg.payload)).be.true();
      should((msg.payload as Buffer).equals(await served(msg.asset!.uri, 'MEDIUM'))).be.true();
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
    bed.sim.calls.shareAsset(call.callId, 'expert1', 'snapshot.jpg');
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
