import { current, versioned, type Shape } from './versioned';

/** Where saves are kept by key: a node's context today, a shared store for several instances. */
export interface StateStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/**
 * What a node keeps across redeploys and restarts, in one place: every save versioned and
 * migrated when loaded. Which instance works on an item is the business of an `ItemStore`.
 */
export class NodeState {
  constructor(private readonly store: StateStore) {}

  load<T>(key: string, shape: Shape<T>): T | undefined {
    return current(shape, this.store.get(key));
  }

  save<T>(key: string, shape: Shape<T>, value: T): void {
    this.store.set(key, versioned(shape, value));
  }
}
