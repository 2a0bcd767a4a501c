import { current, versioned, type Shape } from './versioned';

/** Where saves are kept by key: a node's context today, a shared store for several instances. */
export interface StateStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/**
 * What a node keeps across redeploys and restarts, in one place: every save versioned and
 * migrated when loaded, and the claim on an item (a followed call, an escalation) that only one
 * instance may work on. With one Node-RED every claim is granted; a store shared by several
 * instances grants each item to one of them.
 */
export class NodeState {
  constructor(private readonly store: StateStore) {}

  load<T>(key: string, shape: Shape<T>): T | undefined {
    return current(shape, this.store.get(key));
  }

  save<T>(key: string, shape: Shape<T>, value: T): void {
    this.store.set(key, versioned(shape, value));
  }

  /** True when this instance may work on `item`; alone, it always may. */
  claim(_item: string): boolean {
    return true;
  }

  /** This instance is done with `item`. */
  release(_item: string): void {
    // alone: nothing to hand back
  }
}
