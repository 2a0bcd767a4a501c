import type { ItemsOwner, ItemStore } from './items';
import type { LeaseHolder, SharedState } from './shared-state';
import { current, versioned, type Shape } from './versioned';

/** how long after a change its state is written (see flushSoon) */
const WRITE_DELAY_MS = 1_000;
/** items taken over per script: a survivor takes a dead instance's work in slices */
const CLAIM_BATCH = 1_000;

/**
 * The items of one node in Redis, shared by every Node-RED instance that runs the node. Each item
 * has one owner, which alone works on it and writes it, and holds a lease on it that the beat
 * renews; an item whose lease ended (its owner died) is taken by the next instance to look.
 *
 * Writes are fenced: an instance that lost an item (it was cut off longer than its lease and
 * another took it) cannot overwrite it; it lets go of it instead. While Redis is away, each
 * instance goes on with its own items, and writes them when Redis is back.
 */
export class SharedItems<T> implements ItemStore<T>, LeaseHolder {
  private readonly keys: string[];
  /** this instance's items, as last saved */
  private readonly latest = new Map<string, T>();
  /** what Redis holds of each of this instance's items, as last written */
  private readonly written = new Map<string, string>();
  /** items to write, or to remove when they are no longer in `latest` */
  private readonly dirty = new Set<string>();
  private flushing: Promise<void> = Promise.resolve();
  private owner?: ItemsOwner<T>;
  private closed = false;
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly shared: SharedState,
    nodeId: string,
    kind: string,
    private readonly shape: Shape<T[]>,
    private readonly idOf: (item: T) => string,
    /** a write that failed (Redis away): it is written again when Redis is back */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.keys = ['items', 'owner', 'expiry', 'cancel'].map((part) =>
      shared.keyOf(nodeId, `${kind}:${part}`),
    );
  }

  start(owner: ItemsOwner<T>): T[] {
    this.owner = owner;
    this.shared.hold(this);
    return [];
  }

  async create(id: string, item: T): Promise<boolean> {
    if (this.closed) return false;
    const json = this.encode(item);
    try {
      if (!this.shared.available) throw new Error('Redis is unavailable');
      const created = await this.run('xassistCreate', [
        id,
        this.shared.instance,
        this.shared.leaseMs,
        json,
      ]);
      if (created !== 1) return false;
      this.written.set(id, json);
    } catch (err) {
      // Redis away: the alarm still gets its call, and Redis hears of it when it is back
      this.onError(err);
      this.dirty.add(id);
    }
    this.latest.set(id, item);
    return true;
  }

  save(items: T[], changed?: string[]): void {
    if (this.closed) return;
    const only = changed && new Set(changed);
    const present = new Set<string>();
    for (const item of items) {
      const id = this.idOf(item);
      if (only && !only.has(id)) continue;
      present.add(id);
      this.latest.set(id, item);
      this.dirty.add(id);
    }
    for (const id of only ?? [...this.latest.keys()]) {
      if (!present.has(id) && this.latest.delete(id)) this.dirty.add(id);
    }
    this.flushSoon();
  }

  persist(): Promise<void> {
    return this.flush();
  }

  async cancel(id?: string): Promise<void> {
    // while Redis is away, the instances cannot hear of it: each stops what it runs
    if (!this.shared.available) return;
    await this.run('xassistCancel', id === undefined ? [] : [id]).catch(this.onError);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    const ids = [...this.written.keys()];
    // another instance takes them at its next beat, not after a whole lease
    if (ids.length && this.shared.available) {
      await this.run('xassistRelease', [this.shared.instance, ...ids]).catch(this.onError);
    }
    this.shared.letGo(this);
  }

  async renew(): Promise<void> {
    const ids = [...this.written.keys()];
    if (ids.length === 0) return;
    const [lost, missing, cancelled] = (await this.run('xassistRenew', [
      this.shared.instance,
      this.shared.leaseMs,
      ...ids,
    ])) as [string[], string[], string[]];
    for (const id of lost) this.lose(id);
    for (const id of cancelled) if (this.latest.has(id)) this.owner?.cancelled(id);
    // nobody owns them: Redis lost them (restarted without its data); written again
    for (const id of missing) {
      this.written.delete(id);
      if (this.latest.has(id)) this.dirty.add(id);
    }
    if (missing.length) await this.flush();
  }

  async claimEnded(): Promise<void> {
    for (;;) {
      if (this.closed || !this.owner) return;
      const taken = (await this.run('xassistClaimEnded', [
        this.shared.instance,
        this.shared.leaseMs,
        CLAIM_BATCH,
      ])) as string[];
      await this.takeOver(this.owner, taken);
      // a full batch: there may be more, and each waits already
      if (taken.length < CLAIM_BATCH * 2) return;
    }
  }

  /** `taken` is { id, json, id, json, … }, as xassistClaimEnded answers. */
  private async takeOver(owner: ItemsOwner<T>, taken: string[]): Promise<void> {
    for (let i = 0; i < taken.length; i += 2) {
      const [id, json] = [taken[i], taken[i + 1]];
      if (this.latest.has(id)) {
        // its own, back from a lease that ran out while this instance was busy: its state is newer
        this.dirty.add(id);
        continue;
      }
      const item = this.decode(json);
      if (item === undefined) {
        // a save this version cannot read (a newer one wrote it): left to that version
        await this.run('xassistRelease', [this.shared.instance, id]);
        continue;
      }
      this.written.set(id, json);
      try {
        await owner.takeOver(item);
      } catch (err) {
        this.onError(err);
      }
      // only now: a save while it was being taken over does not list it, and must not remove it
      this.latest.set(id, item);
    }
    if (this.dirty.size) await this.flush();
  }

  reconnected(): void {
    // Redis may have restarted without its data: everything is written again
    this.written.clear();
    for (const id of this.latest.keys()) this.dirty.add(id);
    void this.flush();
  }

  /**
   * Written a second after the change: the messages that the change sent have had that long to
   * pass through the next nodes (a POST, an MQTT publish) before the state that records them is
   * kept. An owner killed in between makes its successor send them again rather than lose them.
   * Saves within that second are written together. persist() writes at once.
   */
  private flushSoon(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, WRITE_DELAY_MS);
  }

  private flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushing = this.flushing.then(() => this.writeDirty());
    return this.flushing;
  }

  private async writeDirty(): Promise<void> {
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    await Promise.all(ids.map((id) => this.writeOne(id)));
  }

  private async writeOne(id: string): Promise<void> {
    const item = this.latest.get(id);
    const me = this.shared.instance;
    if (!this.shared.available) {
      // written (or removed) when Redis is back
      this.dirty.add(id);
      return;
    }
    try {
      if (item === undefined) {
        await this.run('xassistRemove', [id, me]);
        this.written.delete(id);
        return;
      }
      const json = this.encode(item);
      if (json === this.written.get(id)) return;
      const kept = await this.run('xassistWrite', [id, me, this.shared.leaseMs, json]);
      if (kept === 1) this.written.set(id, json);
      else this.lose(id);
    } catch (err) {
      this.onError(err);
      // written (or removed) when Redis is back
      this.dirty.add(id);
    }
  }

  /** Another instance owns `id` now: this one lets go of it without a word. */
  private lose(id: string): void {
    if (!this.latest.delete(id)) return;
    this.written.delete(id);
    this.dirty.delete(id);
    this.owner?.lost(id);
  }

  private run(name: Parameters<SharedState['script']>[0], args: Array<string | number>) {
    return this.shared.script(name, this.keys, args);
  }

  /** Each item is kept as a one-item save of the node's shape, so one set of migrations serves. */
  private encode(item: T): string {
    return JSON.stringify(versioned(this.shape, [item]));
  }

  private decode(json: string): T | undefined {
    try {
      return current(this.shape, JSON.parse(json))?.[0];
    } catch {
      return undefined;
    }
  }
}
