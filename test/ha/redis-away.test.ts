import Redis from 'ioredis';
import type { NodeStatus } from 'node-red';
import should from 'should';
import {
  createCallNode,
  escalateNode,
  loggedTexts,
  serverNode,
  statusMatching,
} from '../support/node-red';
import { freePort } from '../support/node-red-process';
import { NodeTestBed } from '../support/node-test-bed';
import { RedisServer } from '../support/redis';
import { CONNECTOR } from '../support/simulator';

const REDIS_PASSWORD = 'redis-secret-4711';
/** The helper loads no message catalogue: a status text is its key. */
const shows = (key: string, fill: string) => (status: NodeStatus) =>
  status.fill === fill && status.text === `xassist-server.status.${key}`;

describe('shared state while Redis is away or refuses the password', function () {
  this.timeout(30_000);
  const bed = new NodeTestBed();
  let redis: RedisServer | undefined;

  beforeEach(() => bed.start());

  afterEach(async function () {
    await bed.end(['escalate', 'create']);
    await redis?.stop();
    redis = undefined;
    should(bed.capture.leaks([REDIS_PASSWORD])).be.empty();
  });

  /** Loads `node` with its server sharing state at `redisUrl`, behind REDIS_PASSWORD. */
  function load<Msg>(
    node: { id: string; type: string; [setting: string]: unknown },
    ports: string[],
    redisUrl: string,
  ) {
    return bed.load<Msg>([serverNode, escalateNode, createCallNode], node, ports, {
      server: { redisUrl, redisLease: 1 },
      credentials: { ...CONNECTOR, redisPassword: REDIS_PASSWORD },
    });
  }

  it('escalates while Redis is down, says so, and hands the escalation to Redis when it is back', async function () {
    const { answers } = bed;
    const port = await freePort();
    redis = new RedisServer({ password: REDIS_PASSWORD });
    redis.port = port;
    const { node: escalate } = await load(
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
    await answers.untilCreated(1);

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
    const { node: create, outputs } = await load<{ callId: string; repeat: boolean }>(
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
    const { node: escalate } = await load(
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
