import type { NodeState } from './node-state';
import type { Shape } from './versioned';

/** What a node does when another instance's item becomes its own, or its own another's. */
export interface ItemsOwner<T> {
  /** an item whose owner died: this instance goes on with it where it stood */
  takeOver(item: T): void | Promise<void>;
  /** another instance owns `id` now: this one lets go of it, sending nothing */
  lost(id: string): void;
  /** stopped by a message that another instance received: cancelled as if it came here */
  cancelled(id: string): void;
}

/**
 * Where a node keeps the items it works on (followed calls, escalations), and which instance
 * works on each: alone, its context holds them all; with shared state, Redis holds them and
 * each has one owner.
 */
export interface ItemStore<T> {
  /** the items to go on with at start: alone, those saved; shared, none (taken over later) */
  start(owner: ItemsOwner<T>): T[];
  /** a new item: false when another instance works on it already (the same alarm twice) */
  create(id: string, item: T): Promise<boolean>;
  /** after a change; `changed` names the items that changed, when the caller knows */
  save(items: T[], changed?: string[]): void;
  /** resolves once the changes saved so far are kept: before an action not to be repeated */
  persist(): Promise<void>;
  /** a stop for `id` (or all) that the instances owning them must hear of; alone, nothing */
  cancel(id?: string): Promise<void>;
  /** this instance stops working on its items: another may take them at once */
  close(): Promise<void>;
}

/** The items of one node alone: all of them, in its context (persistent or not). */
export class ContextItems<T> implements ItemStore<T> {
  constructor(
    private readonly state: NodeState,
    private readonly key: string,
    private readonly shape: Shape<T[]>,
  ) {}

  start(): T[] {
    return this.state.load(this.key, this.shape) ?? [];
  }

  create(): Promise<boolean> {
    return Promise.resolve(true);
  }

  save(items: T[]): void {
    this.state.save(this.key, this.shape, items);
  }

  persist(): Promise<void> {
    return Promise.resolve();
  }

  cancel(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
