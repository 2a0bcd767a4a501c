import type { Node, NodeStatus } from 'node-red';
import { readFailedStatus } from './status';

/** reads in flight at once, at most, per node */
export const MAX_CONCURRENT_POLLS = 32;

type Translate = (key: string, substitutions?: Record<string, string | number>) => string;

/**
 * What a node that reads calls shows while they fail: a retry (yellow) or an error that needs a
 * person (red), until a read succeeds again; then its own status comes back.
 */
export class ReadFailures {
  private failing = false;

  constructor(
    private readonly node: Node,
    private readonly show: (status: NodeStatus) => void,
    /** the node type's own catalogue */
    private readonly t: Translate,
    private readonly showOwn: () => void,
  ) {}

  /** reads are failing: the node's own status waits until one succeeds */
  get active(): boolean {
    return this.failing;
  }

  failed(err: unknown, what: string, retryInMs: number): void {
    this.failing = true;
    const reason = err instanceof Error ? err.message : String(err);
    this.node.debug(`${what}: ${reason}; next attempt in ${Math.ceil(retryInMs / 1000)} s`);
    this.show(readFailedStatus(err, retryInMs, this.t));
  }

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.showOwn();
  }

  /** something else happened that the node's own status should say */
  clear(): void {
    this.failing = false;
  }
}
