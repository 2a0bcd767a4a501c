/**
 * The assets a node has fetched, so that none is fetched twice for one event: an event sent
 * again (a restart, a takeover in an HA pair) finds its assets taken. Kept in the node's
 * context (a restart with a persistent store) and, with shared state, in Redis: an asset being
 * fetched is held under a lease, so that an instance that dies mid-fetch leaves it to the other.
 */
import type { SharedState } from '../state/shared-state';
import type { Shape } from '../state/versioned';

export const FETCHED: Shape<Array<[string, number]>> = {
  version: 1,
  migrations: [],
  valid: (value) =>
    Array.isArray(value)
      ? value.filter(
          (entry): entry is [string, number] =>
            Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number',
        )
      : undefined,
};

/** how long an asset fetched is remembered: an event sent again comes within minutes */
export const KEEP_MS = 7 * 24 * 3_600_000;
/** how many are remembered here at most: the oldest are let go */
const KEEP_AT_MOST = 10_000;
/** an instance that dies while fetching holds the asset no longer than this */
const FETCH_LEASE_MS = 10 * 60_000;
const DONE = 'done';

export interface FetchedStore {
  load(): Array<[string, number]>;
  save(fetched: Array<[string, number]>): void;
}

export class FetchedAssets {
  private readonly fetched: Map<string, number>;
  private readonly fetching = new Set<string>();

  constructor(
    private readonly store: FetchedStore,
    private readonly shared: { state: SharedState; nodeId: string } | undefined,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {
    const since = now() - KEEP_MS;
    this.fetched = new Map(store.load().filter(([, at]) => at > since));
  }

  /** True when this instance is to fetch the asset: none has fetched it, nor fetches it now. */
  async claim(key: string): Promise<boolean> {
    if (this.fetched.has(key) || this.fetching.has(key)) return false;
    this.fetching.add(key);
    const shared = this.sharedKey(key);
    if (!shared) return true;
    try {
      const { state } = this.shared!;
      const set = await state.client.set(shared, state.instance, 'PX', FETCH_LEASE_MS, 'NX');
      if (set === 'OK') return true;
    } catch (err) {
      // Redis away: this instance fetches it; a duplicate is better than a lost photo
      this.onError(err);
      return true;
    }
    this.fetching.delete(key);
    return false;
  }

  /** The asset was delivered: never fetched again, here or by the other instance. */
  done(key: string): void {
    this.fetching.delete(key);
    this.fetched.set(key, this.now());
    while (this.fetched.size > KEEP_AT_MOST) this.fetched.delete(this.fetched.keys().next().value!);
    this.store.save([...this.fetched]);
    const shared = this.sharedKey(key);
    if (shared) {
      this.shared!.state.client.set(shared, DONE, 'PX', KEEP_MS).catch(this.onError);
    }
  }

  /** The fetch failed or was stopped: the asset may be fetched again, by either instance. */
  async release(key: string): Promise<void> {
    this.fetching.delete(key);
    const shared = this.sharedKey(key);
    if (!shared) return;
    const { state } = this.shared!;
    try {
      if ((await state.client.get(shared)) === state.instance) await state.client.del(shared);
    } catch (err) {
      // Redis away: the lease ends by itself
      this.onError(err);
    }
  }

  private sharedKey(key: string): string | undefined {
    if (!this.shared?.state.available) return undefined;
    return this.shared.state.keyOf(this.shared.nodeId, `asset:${key}`);
  }
}

/** What one asset of a call at a size is known by: its call, its id (or uri), the size. */
export function fetchedKey(callId: string | undefined, assetId: string, size: string): string {
  return `${callId ?? ''}|${assetId}|${size}`;
}
