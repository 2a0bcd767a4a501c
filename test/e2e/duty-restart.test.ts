import should from 'should';
import { setMsg } from '../support/flow-nodes';
import type { FlowNode } from '../support/node-red';
import { httpEntryFlow, type Collector } from '../support/node-red-process';
import { NodeRedRig } from '../support/node-red-rig';

type Post = { kind: string; levels: string[]; source?: string };

/** the editor's table: one shift all day, every day */
const table = (primary: string) => ({
  id: 'plant',
  type: 'xassist-duty-schedule',
  zone: 'UTC',
  shifts: [{ days: 'daily', from: '00:00', to: '00:00', levels: [primary] }],
  otherwise: [primary],
});

/**
 * POST /duty → xassist-duty: a schedule replaces the table, {"reset": true} puts it back, {}
 * asks who is on duty; what it sends is posted to /duty, an ask's answer with the schedule's
 * source (table or replaced) as its status shows it.
 */
function dutyFlow(primary: string) {
  return (serverUrl: string, collector: Collector): FlowNode[] => [
    ...httpEntryFlow(serverUrl, { label: 'duty', path: '/duty', to: 'reset' }),
    table(primary),
    setMsg('reset', 'reset', 'payload.reset = true', { x: 200, y: 140, wires: [['duty']] }),
    {
      id: 'duty',
      type: 'xassist-duty',
      z: 'tab',
      schedule: 'plant',
      x: 300,
      y: 100,
      wires: [['out']],
    },
    setMsg(
      'out',
      'payload',
      '{"kind": $exists(before) ? "change" : "ask", "levels": payload.levels}',
      { x: 450, y: 100, wires: [['post']] },
    ),
    collector.postNode('post', '/duty', 100),
  ];
}

describe('which duty schedule is in force across a restart and a deploy, in a real Node-RED', function () {
  this.timeout(90_000);
  const rig = new NodeRedRig();

  before(() => rig.start({ flows: dutyFlow('expert1') }));
  after(() => rig.close());

  /** who is on duty, as the node answers an ask */
  async function onDuty(): Promise<string[]> {
    const { collector, nodeRed } = rig;
    const before = collector.received['/duty']?.length ?? 0;
    await nodeRed.post('duty', {});
    for (let count = before + 1; ; count++) {
      const posts = (await collector.until('/duty', count)) as Post[];
      const answer = posts.slice(before).find((post) => post.kind === 'ask');
      if (answer) return answer.levels;
    }
  }

  /** resolves once the node has told of a change to `levels` (after the first `from` posts) */
  async function changedTo(levels: string, from: number): Promise<void> {
    for (let count = from + 1; ; count++) {
      const posts = (await rig.collector.until('/duty', count)) as Post[];
      if (posts.slice(from).some((post) => post.kind === 'change' && `${post.levels}` === levels))
        return;
    }
  }

  it('keeps a replacement across a restart and a deploy of the same table; a changed table wins', async function () {
    const { collector, nodeRed } = rig;
    should(await onDuty()).eql(['expert1']);
    const posted = collector.received['/duty']?.length ?? 0;
    await nodeRed.post('duty', {
      zone: 'UTC',
      shifts: [{ days: 'daily', from: '00:00', to: '00:00', levels: ['expert2'] }],
      otherwise: ['expert2'],
    });
    await changedTo('expert2', posted);

    // a restart: the replacement, kept in the file context store, is still in force
    await nodeRed.stop();
    await nodeRed.start();
    should(await onDuty()).eql(['expert2']);
    should(nodeRed.output).not.match(/duty schedule:/);

    // a deploy of the same table: the replacement is newer than the table, and stays
    should(await nodeRed.deploy()).equal(204);
    should(await onDuty()).eql(['expert2']);

    // a deploy that changes the table: its author changed it after the replacement, it wins
    should(await nodeRed.deploy(dutyFlow('expert4')(rig.sim.tenantUrl, collector))).equal(204);
    should(await onDuty()).eql(['expert4']);
    // and stays so across a restart
    await nodeRed.stop();
    await nodeRed.start();
    should(await onDuty()).eql(['expert4']);
  });
});
