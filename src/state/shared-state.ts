import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { Redis, RedisOptions } from 'ioredis';
import { redisOptionsOf, safeUrl, type SharedStateSettings } from './redis-options';
import { SCRIPT_KEYS, SCRIPTS, type ScriptName } from './redis-scripts';

/** ready: Redis answers; unavailable: it does not (yet); refused: it refused the password */
export type SharedStateStatus = 'connecting' | 'ready' | 'unavailable' | 'refused';

/** What holds leases in Redis: renewed, and ended leases taken over, on one beat. */
export interface LeaseHolder {
  /** extends this instance's leases; lets go of the items another instance took */
  renew(): Promise<void>;
  /** takes the items whose owner's lease ended */
  claimEnded(): Promise<void>;
  /** Redis is back: writes what could not be written while it was away */
  reconnected(): void;
}

export interface SharedStateLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** this Node-RED process, as an owner of leases: readable in Redis, unique per start */
export const INSTANCE_ID = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;

/** a command that Redis has not answered by then fails, and the node goes on without it */
const COMMAND_TIMEOUT_MS = 2_000;
/** how long a close waits for the nodes to hand their items back */
const CLOSE_WAIT_MS = 5_000;

/**
 * One Redis connection for every node of an xassist-server, and the beat that renews their
 * leases (at a third of the lease) and takes over the items of instances that died.
 * ioredis is loaded only when a Redis URL is set.
 */
export class SharedState extends EventEmitter {
  readonly leaseMs: number;
  readonly instance: string;
  readonly url: string;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly holders = new Set<LeaseHolder>();
  private beat?: NodeJS.Timeout;
  private beating?: Promise<void>;
  /** a beat was asked for while one ran: the next follows at once */
  private beatAgain = false;
  private closed = false;
  status: SharedStateStatus = 'connecting';

  constructor(
    settings: SharedStateSettings,
    private readonly log: SharedStateLog,
    /** this instance's name as an owner: one per process, unless a test plays several */
    instance = INSTANCE_ID,
  ) {
    super();
    this.instance = instance;
    this.url = safeUrl(settings.url);
    this.prefix = settings.prefix;
    this.leaseMs = settings.leaseMs;
    const options: RedisOptions = {
      ...redisOptionsOf(settings),
      connectTimeout: COMMAND_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      // commands wait for one reconnection, then fail: the node goes on without Redis
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(100 * times, 1_000),
      connectionName: `node-red-xassist ${this.instance}`,
    };
    // required here, not imported: without a Redis URL the client is never loaded
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
    this.redis = new RedisClient(options);
    for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
      this.redis.defineCommand(name, { numberOfKeys: SCRIPT_KEYS[name], lua: SCRIPTS[name] });
    }
    this.redis.on('ready', () => this.ready());
    this.redis.on('error', (err: Error) => this.failed(err));
    this.redis.on('close', () => {
      // closed by close(): not an outage
      if (this.status === 'ready' && !this.closed) {
        this.setStatus('unavailable', 'the connection closed');
      }
    });
    this.scheduleBeat(0);
  }

  /** The key of `part` of a node's state; a node's keys share a hash slot (Redis Cluster). */
  keyOf(nodeId: string, part: string): string {
    return `${this.prefix}{${nodeId}}:${part}`;
  }

  /**
   * False while Redis is known to be away or refusing: the nodes then go on alone at once rather
   * than wait for commands to fail. While connecting, commands wait for the connection.
   */
  get available(): boolean {
    return this.status === 'ready' || this.status === 'connecting';
  }

  get client(): Redis {
    return this.redis;
  }

  script(name: ScriptName, keys: string[], args: Array<string | number>): Promise<unknown> {
    const run = (
      this.redis as unknown as Record<ScriptName, (...a: unknown[]) => Promise<unknown>>
    )[name];
    return run.call(this.redis, ...keys, ...args);
  }

  hold(holder: LeaseHolder): void {
    this.holders.add(holder);
    this.scheduleBeat(0);
  }

  letGo(holder: LeaseHolder): void {
    this.holders.delete(holder);
    if (this.holders.size === 0) this.emit('idle');
  }

  /** Once the nodes have handed their items back (or after 5 s), closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.beat);
    await this.beating;
    if (this.holders.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CLOSE_WAIT_MS);
        this.once('idle', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private ready(): void {
    this.setStatus('ready');
    // what could not be written before (Redis away, or not yet connected) is written now
    for (const holder of this.holders) holder.reconnected();
    this.scheduleBeat(0);
  }

  private failed(err: Error): void {
    const refused = /WRONGPASS|NOAUTH|NOPERM|invalid password|invalid username/i.test(err.message);
    this.setStatus(refused ? 'refused' : 'unavailable', err.message);
  }

  private setStatus(status: SharedStateStatus, reason?: string): void {
    if (status === this.status) return;
    this.status = status;
    if (status === 'ready') this.log.info(`shared state: connected to Redis at ${this.url}`);
    else if (status === 'refused') {
      this.log.error(
        `shared state: Redis at ${this.url} refused the password or user (${reason ?? ''}); check the Redis password`,
      );
    } else {
      this.log.warn(
        `shared state: Redis at ${this.url} is unavailable (${reason ?? 'no answer'}); working alone until it is back`,
      );
    }
    this.emit('status', status);
  }

  /** The beat: at a third of the lease, each holder renews and takes over. */
  private scheduleBeat(inMs: number): void {
    if (this.closed) return;
    clearTimeout(this.beat);
    this.beat = setTimeout(() => {
      if (this.beating) {
        this.beatAgain = true;
        return;
      }
      this.beating = this.beatOnce().finally(() => {
        this.beating = undefined;
        this.scheduleBeat(this.beatAgain ? 0 : this.leaseMs / 3);
        this.beatAgain = false;
      });
    }, inMs);
  }

  private async beatOnce(): Promise<void> {
    if (this.status !== 'ready') return;
    for (const holder of this.holders) {
      try {
        await holder.renew();
        await holder.claimEnded();
      } catch {
        // Redis went away in the middle: the next beat after it is back does it
      }
    }
  }
}
