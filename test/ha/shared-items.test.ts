import { EventEmitter, once } from 'node:events';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import should from 'should';
import type { ItemsOwner } from '../../src/state/items';
import { SharedItems } from '../../src/state/shared-items';
import { SharedState } from '../../src/state/shared-state';
import type { Shape } from '../../src/state/versioned';
import { RedisServer } from '../support/redis';
import { loopbackCertificate } from '../support/tls';

interface Item {
  id: string;
  n: number;
}

const ITEMS: Shape<Item[]> = {
  version: 1,
  migrations: [(older) => older],
  valid: (value) => (Array.isArray(value) ? (value as Item[]) : undefined),
};

const LEASE_MS = 600;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** One instance as a node sees it: its state, its store, and what it heard. */
class Instance {
  readonly shared: SharedState;
  readonly store: SharedItems<Item>;
  readonly heard = { takenOver: [] as Item[], lost: [] as string[], cancelled: [] as string[] };
  private readonly events = new EventEmitter();

  constructor(redis: RedisServer, name: string, password?: string) {
    this.shared = new SharedState(
      { url: redis.url, password, prefix: 'test:', leaseMs: LEASE_MS },
      quiet,
      name,
    );
    this.store = new SharedItems(this.shared, 'node1', 'items', ITEMS, (item) => item.id);
    const owner: ItemsOwner<Item> = {
      takeOver: (item) => {
        this.heard.takenOver.push(item);
        this.events.emit('heard');
      },
      lost: (id) => {
        this.heard.lost.push(id);
        this.events.emit('heard');
      },
      cancelled: (id) => {
        this.heard.cancelled.push(id);
        this.events.emit('heard');
      },
    };
    this.store.start(owner);
  }

  async until(check: () => boolean): Promise<void> {
    while (!check()) await once(this.events, 'heard');
  }

  async ready(): Promise<void> {
    if (this.shared.status !== 'ready') await once(this.shared, 'status');
  }

  /** as kill -9 does it: no more beats, no goodbye */
  die(): void {
    this.shared.client.disconnect();
    void this.shared.close();
  }
}

describe('shared items on a real Redis', function () {
  this.timeout(20_000);
  const redis = new RedisServer();
  let instances: Instance[] = [];

  before(() => redis.start());
  after(() => redis.stop());
  afterEach(async function () {
    for (const instance of instances) {
      await instance.store.close();
      await instance.shared.close();
    }
    instances = [];
    const flush = new SharedState(
      { url: redis.url, prefix: 'test:', leaseMs: LEASE_MS },
      quiet,
      'flush',
    );
    await flush.client.flushall();
    await flush.close();
  });

  function pair(): [Instance, Instance] {
    instances = [new Instance(redis, 'A'), new Instance(redis, 'B')];
    return instances as [Instance, Instance];
  }

  it('creates an item once: the same alarm at both instances is one item', async function () {
    const [a, b] = pair();
    const results = await Promise.all([
      a.store.create('line7', { id: 'line7', n: 0 }),
      b.store.create('line7', { id: 'line7', n: 0 }),
    ]);
    should(results.filter(Boolean)).have.length(1);
  });

  it("takes a dead owner's item over after its lease, as it last wrote it", async function () {
    const [a, b] = pair();
    await a.store.create('line7', { id: 'line7', n: 0 });
    a.store.save([{ id: 'line7', n: 5 }]);
    await a.store.persist();
    const diedAt = Date.now();
    a.die();
    await b.until(() => b.heard.takenOver.length > 0);
    const tookMs = Date.now() - diedAt;
    should(b.heard.takenOver).eql([{ id: 'line7', n: 5 }]);
    // the lease, plus at most a beat (a third of it), plus the loop's slack
    should(tookMs).be.below(LEASE_MS + LEASE_MS / 3 + 300);
  });

  it('does not take live leases, and hands items back at once on close', async function () {
    const [a, b] = pair();
    await a.store.create('line7', { id: 'line7', n: 1 });
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 3));
    should(b.heard.takenOver).be.empty();
    const closedAt = Date.now();
    await a.store.close();
    await b.until(() => b.heard.takenOver.length > 0);
    should(Date.now() - closedAt).be.below(LEASE_MS / 3 + 300);
  });

  it('fences writes: an instance that lost an item cannot overwrite it, and lets go of it', async function () {
    const [a, b] = pair();
    await a.store.create('line7', { id: 'line7', n: 1 });
    b.store.save([{ id: 'line7', n: 99 }]);
    await b.store.persist();
    should(b.heard.lost).eql(['line7']);
    const saved = await a.shared.client.hget('test:{node1}:items:items', 'line7');
    should(JSON.parse(saved ?? '')).eql({ version: 1, value: [{ id: 'line7', n: 1 }] });
  });

  it('writes its items again after Redis restarted without its data, and keeps them', async function () {
    const [a, b] = pair();
    await Promise.all([a.ready(), b.ready()]);
    await a.store.create('line7', { id: 'line7', n: 1 });
    await redis.restart();
    await a.ready();
    a.store.save([{ id: 'line7', n: 2 }]);
    await a.store.persist();
    const saved = await b.shared.client.hget('test:{node1}:items:items', 'line7');
    should(JSON.parse(saved ?? '')).eql({ version: 1, value: [{ id: 'line7', n: 2 }] });
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 2));
    should(b.heard.takenOver).be.empty();
    should(a.heard.lost).be.empty();
  });

  it('passes a stop received by one instance to the owner', async function () {
    const [a, b] = pair();
    await a.store.create('line7', { id: 'line7', n: 1 });
    await b.store.cancel('line7');
    await a.until(() => a.heard.cancelled.length > 0);
    should(a.heard.cancelled).eql(['line7']);
  });

  it('says so when Redis refuses the password', async function () {
    const locked = new RedisServer({ password: 'right-one' });
    await locked.start();
    const shared = new SharedState(
      { url: locked.url, password: 'wrong-one', prefix: 'test:', leaseMs: LEASE_MS },
      quiet,
      'C',
    );
    try {
      const [status] = (await once(shared, 'status')) as [string];
      should(status).equal('refused');
    } finally {
      await shared.close();
      await locked.stop();
    }
  });

  it('is not loaded by a flow without shared state', function () {
    const nodes = path.resolve(__dirname, '../../dist/nodes');
    const probe = spawnSync(process.execPath, [
      '-e',
      `for (const n of ['server','create-call','call-status','escalate','call-history','assets','duty-schedule','duty']) require('${nodes}/' + n + '/xassist-' + n + '.js');
       console.log(Object.keys(require.cache).filter((f) => f.includes('ioredis')).length);`,
    ]);
    should(probe.stdout.toString().trim()).equal('0');
  });
});

describe('reaching Redis through Sentinel, and over TLS', function () {
  this.timeout(20_000);
  const servers: RedisServer[] = [];
  const states: SharedState[] = [];

  after(async function () {
    for (const shared of states) await shared.close();
    for (const server of servers) await server.stop();
  });

  async function readyAt(url: string, tls?: { ca: string }): Promise<SharedState> {
    const shared = new SharedState({ url, prefix: 'test:', leaseMs: LEASE_MS, tls }, quiet, 'S');
    states.push(shared);
    const [status] = (await once(shared, 'status')) as [string];
    should(status).equal('ready');
    return shared;
  }

  it('finds the master through a Sentinel (redis+sentinel://host:port/mymaster)', async function () {
    const master = new RedisServer();
    await master.start();
    const sentinel = new RedisServer({ sentinelOf: master.port });
    servers.push(master, sentinel);
    await sentinel.start();
    const shared = await readyAt(`redis+sentinel://127.0.0.1:${sentinel.port}/mymaster`);
    const store = new SharedItems(shared, 'node1', 'items', ITEMS, (item: Item) => item.id);
    should(await store.create('line7', { id: 'line7', n: 1 })).be.true();
    const direct = new SharedState(
      { url: master.url, prefix: 'test:', leaseMs: LEASE_MS },
      quiet,
      'D',
    );
    states.push(direct);
    should(await direct.client.hexists('test:{node1}:items:items', 'line7')).equal(1);
    await store.close();
  });

  it('speaks TLS to rediss://, trusting the CA of the TLS config', async function () {
    const { cert, key } = await loopbackCertificate();
    const server = new RedisServer({ tls: { cert, key } });
    servers.push(server);
    await server.start();
    const shared = await readyAt(`rediss://127.0.0.1:${server.port}`, { ca: cert });
    should(await shared.client.ping()).equal('PONG');
  });
});
