import should from 'should';
import { setMsg, xassistNode } from '../support/flow-nodes';
import type { FlowNode } from '../support/node-red';
import { httpEntryFlow, type Collector } from '../support/node-red-process';
import { NodeRedRig } from '../support/node-red-rig';
import { nextRequest, startCall } from '../support/simulator';

/** POST /assets → xassist-assets → what it fetched ({filename, uri, bytes}) posted to /fetched */
function assetsFlow(serverUrl: string, collector: Collector): FlowNode[] {
  return [
    ...httpEntryFlow(serverUrl, { label: 'assets', path: '/assets', to: 'assets' }),
    xassistNode('assets', 'xassist-assets', { x: 300, y: 100, wires: [['what']] }),
    setMsg(
      'what',
      'payload',
      '{"filename": filename, "uri": asset.uri, "bytes": $length($string(payload)) > 0}',
      { x: 450, y: 100, wires: [['post']] },
    ),
    collector.postNode('post', '/fetched', 100),
  ];
}

describe('xassist-assets in a real Node-RED with a file context store', function () {
  this.timeout(90_000);
  const rig = new NodeRedRig();

  before(() => rig.start({ flows: assetsFlow }));
  after(() => rig.close());

  it('fetches an asset of an event sent again after a restart no second time', async function () {
    const { sim, collector, nodeRed } = rig;
    const call = startCall(sim, ['expert1']);
    sim.calls.join(call.callId, 'expert1');
    const first = sim.calls.shareAsset(call.callId, 'expert1', { name: 'before.jpg' });
    const second = sim.calls.shareAsset(call.callId, 'expert1', { name: 'after.jpg' });
    await nodeRed.post('assets', { callId: call.callId, asset: first.asset });
    await collector.until('/fetched', 1);

    await nodeRed.stop();
    await nodeRed.start();
    // the same event again (a follower's takeover, a replay), then another
    await nodeRed.post('assets', { callId: call.callId, asset: first.asset });
    await nodeRed.post('assets', { callId: call.callId, asset: second.asset });
    const posts = (await collector.until('/fetched', 2)) as Array<{ filename: string }>;
    should(posts.map((post) => post.filename)).eql(['before.jpg', 'after.jpg']);
    should(sim.count('assets/download_asset_by_uri')).equal(2);
    should(nodeRed.output).not.match(/\[error\]/);
  });

  it('fetches, after a restart, an asset whose upload a stop interrupted the wait for', async function () {
    const { sim, collector, nodeRed } = rig;
    const call = startCall(sim, ['expert1']);
    sim.calls.join(call.callId, 'expert1');
    const uploading = sim.calls.shareAsset(call.callId, 'expert1', {
      name: 'uploading.jpg',
      readyAfterMs: 4_000,
    });
    const posted = collector.received['/fetched']?.length ?? 0;
    const reads = sim.count('rtc/getCallLogById');
    await nodeRed.post('assets', { callId: call.callId, asset: uploading.asset });
    // the node waits for the upload: it reads the call again
    while (sim.count('rtc/getCallLogById') === reads) await nextRequest(sim, 'rtc/getCallLogById');
    await nodeRed.stop();
    await nodeRed.start();
    const posts = (await collector.until('/fetched', posted + 1)) as Array<{ filename: string }>;
    should(posts.slice(posted).map((post) => post.filename)).eql(['uploading.jpg']);
    // once: not half before the stop, not twice after
    await nodeRed.post('assets', { callId: call.callId, asset: uploading.asset });
    const again = sim.calls.shareAsset(call.callId, 'expert1', { name: 'next.jpg' });
    await nodeRed.post('assets', { callId: call.callId, asset: again.asset });
    const all = (await collector.until('/fetched', posted + 2)) as Array<{ filename: string }>;
    should(all.slice(posted).map((post) => post.filename)).eql(['uploading.jpg', 'next.jpg']);
  });
});
