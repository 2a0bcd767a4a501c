import Redis from 'ioredis';
import type { Node, NodeStatus } from 'node-red';
import should from 'should';
import type { Simulator } from '../../src/sim';
import { Answers } from '../support/answers';
import { Capture } from '../support/capture';
import {
  createCallNode,
  escalateNode,
  helper,
  loadFlow,
  loggedTexts,
  oneNodeFlow,
  serverNode,
  statusMatching,
  unloadAndCheckSecrets,
} from '../support/node-red';
import { freePort } from '../support/node-red-process';
import { Outputs } from '../support/outputs';
import { RedisServer } from '../support/redis';
import { CONNECTOR, startSimulator } from '../support/simulator';

const REDIS_PASSWORD = 'redis-secret-4711';
/** The helper loads no message catalogue: a status text is its key. */
const shows = (key: string, fill: string) => (status: NodeStatus) =>
  status.fill === fill && status.text === `xassist-server.status.${key}`;

describe('shared state while Redis is away or refuses the password', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let capture: Capture;
  let answers: Answers;
  let redis: RedisServer | undefined;

  beforeEach(async function () {
    sim = await startSimulator();
    capture = new Capture();
    answers = new Answers(sim);
  });

  afterEach(async function () {
    answers.stop();
    await unloadAndCheckSecrets(sim, capture, ['escalate', 'create']);
    await redis?.stop();
    redis = undefined;
    should(capture.leaks([REDIS_PASSWORD])).be.empty();
  });

  async function load(node: Record<string, unknown>, outputs: string[], redisUrl: string) {
    const flow = oneNodeFlow(sim.tenantUrl, node as { id: string; type: string }, outputs, {
      redisUrl,
      redisLease: 1,
    });
    await loadFlow([serverNode, escalateNode, createCallNode], flow, {
      server: { ...CONNECTOR, redisPassword: REDIS_PASSWORD },
    });
    return helper.getNode(String(node.id)) as Node;
  }

  it('escalates while Redis is down, says so, and hands the escalation to Redis when it is back', async function () {
    const port = await freePort();
    redis = new RedisServer({ password: REDIS_PASSWORD });
    redis.port = port;
    const escalate = await load(
      {
        id: 'escalate',
        type: 'xassist-escalate',
        steps: [{ v: 'expert3', vt: 'str', timeout: 30 }],
        dedupKey: 'topic',
        dedupKeyType: 'msg',
        pollInterval: 0.2,
      },
      ['joined', 'exhausted', 'ended'],
      `redis://127.0.0.1:${port}`,
    );
    await statusMatching(escalate, shows('redis-unavailable', 'yellow'));
    escalate.receive({ topic: 'line7', payload: {} });
    while (answers.created.length < 1) await new Promise((resolve) => sim.once('event', resolve));

    await redis.start();
    // back: the node's own status again, and the escalation is in Redis for the other instances
    await statusMatching(escalate, (status) => status.text === 'xassist-escalate.status.calling');
    const client = new Redis({ port, password: REDIS_PASSWORD });
    try {
      for (;;) {
        const saved = await client.hget('xassist:{escalate}:escalations:items', 'line7');
        if (saved) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      client.disconnect();
    }
    should(answers.created).have.length(1);
  });

  it('makes the call of an alarm with a dedup key while Redis is down', async function () {
    const port = await freePort();
    const create = await load(
      {
        id: 'create',
        type: 'xassist-create-call',
        callTitle: 'Alarm',
        callTitleType: 'str',
        invitees: [{ v: 'expert1', vt: 'str' }],
        dedupKey: 'topic',
        dedupKeyType: 'msg',
      },
      ['created'],
      `redis://127.0.0.1:${port}`,
    );
    const outputs = new Outputs<{ callId: string; repeat: boolean }>(['created'], capture);
    create.receive({ topic: 'line7', payload: {} });
    const [created] = await outputs.until('created', 1);
    should(created.repeat).be.false();
    await statusMatching(create, shows('redis-unavailable', 'yellow'));
  });

  it('shows a wrong Redis password, and says so in the log without the password', async function () {
    redis = new RedisServer({ password: 'the-right-one' });
    await redis.start();
    // the URL from the environment, as in any Node-RED field
    process.env.XASSIST_TEST_REDIS_URL = redis.url;
    const escalate = await load(
      {
        id: 'escalate',
        type: 'xassist-escalate',
        steps: [{ v: 'expert3', vt: 'str', timeout: 30 }],
      },
      ['joined', 'exhausted', 'ended'],
      '${XASSIST_TEST_REDIS_URL}',
    );
    await statusMatching(escalate, shows('redis-refused', 'red'));
    const logged = loggedTexts().join('\n');
    should(logged).match(/Redis at redis:\/\/127\.0\.0\.1:\d+ refused the password/);
  });
});
