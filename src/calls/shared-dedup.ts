import type { SharedState } from '../state/shared-state';
import type { DedupGuard, DedupRecord } from './dedup';

/** how often a waiting instance asks for a key's lock (ms, the lower bound: up to twice that) */
const LOCK_POLL_MS = 50;

/**
 * One attempt per dedup key across the instances sharing a Redis: a lock per key (SET NX PX,
 * extended at a third of its life while the attempt runs, so that a dead holder frees it within
 * one lease), and the call made per key, kept for the dedup window. When Redis cannot answer,
 * the attempt goes on without it: a second call beats none.
 */
export class SharedDedupGuard implements DedupGuard {
  constructor(
    private readonly shared: SharedState,
    private readonly nodeId: string,
    /** a wait that the node's close cancels (rejects) */
    private readonly wait: (ms: number) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const lock = this.shared.keyOf(this.nodeId, `dedup-lock:${key}`);
    if (!(await this.acquire(lock))) return work();
    const me = this.shared.instance;
    const extend = setInterval(() => {
      this.shared
        .script('xassistExtendLock', [lock], [me, this.shared.leaseMs])
        .catch(this.onError);
    }, this.shared.leaseMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(extend);
      await this.shared.script('xassistUnlock', [lock], [me]).catch(this.onError);
    }
  }

  async get(key: string): Promise<DedupRecord | undefined> {
    if (!this.shared.available) return undefined;
    try {
      const json = await this.shared.client.get(this.recordKey(key));
      return json ? (JSON.parse(json) as DedupRecord) : undefined;
    } catch (err) {
      this.onError(err);
      return undefined;
    }
  }

  async put(key: string, record: DedupRecord, windowMs: number): Promise<void> {
    if (windowMs <= 0 || !this.shared.available) return;
    await this.shared.client
      .set(this.recordKey(key), JSON.stringify(record), 'PX', Math.ceil(windowMs))
      .catch(this.onError);
  }

  /** True once the lock is this instance's; false when Redis cannot say (go on without it). */
  private async acquire(lock: string): Promise<boolean> {
    for (;;) {
      if (!this.shared.available) return false;
      try {
        const set = await this.shared.client.set(
          lock,
          this.shared.instance,
          'PX',
          this.shared.leaseMs,
          'NX',
        );
        if (set === 'OK') return true;
      } catch (err) {
        this.onError(err);
        return false;
      }
      await this.wait(LOCK_POLL_MS * (1 + Math.random()));
    }
  }

  private recordKey(key: string): string {
    return this.shared.keyOf(this.nodeId, `dedup:${key}`);
  }
}
