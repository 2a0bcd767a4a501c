/**
 * A duty schedule's replacement in Redis, for a pair of Node-RED instances: what one instance is
 * given by a message, the other uses too. Redis holds the latest replacement (or none, after a
 * reset); each instance reads it before a duty step is called and on a beat, and writes its own
 * changes, again on the next beat if Redis was away. While Redis is away each instance goes on
 * with what it has, as for every other shared state.
 */
import type { SharedState } from '../state/shared-state';
import { REPLACEMENT, type Replacement } from './in-force';

/** how often the other instance's replacement is looked for, for the change messages */
export const SHARED_BEAT_MS = 5_000;

export class SharedReplacement {
  private readonly key: string;
  /** a change not yet written (Redis was away): written at the next beat, before reading */
  private unwritten?: { replacement: Replacement | undefined };

  constructor(
    private readonly shared: SharedState,
    scheduleId: string,
    private readonly onError: (error: unknown) => void,
  ) {
    this.key = shared.keyOf(scheduleId, 'duty:replacement');
  }

  /** Writes this instance's change; kept for the next beat when Redis cannot take it now. */
  async write(replacement: Replacement | undefined): Promise<void> {
    this.unwritten = { replacement };
    await this.flush();
  }

  /**
   * What Redis holds: a replacement, or null for none (the table); undefined when Redis cannot
   * say now, or a change of this instance's is still to be written (this instance's is newer).
   */
  async read(): Promise<Replacement | null | undefined> {
    if (!(await this.flush())) return undefined;
    if (!this.shared.available) return undefined;
    try {
      const text = await this.shared.client.get(this.key);
      if (text === null) return null;
      return REPLACEMENT.valid(JSON.parse(text)) ?? null;
    } catch (err) {
      this.onError(err);
      return undefined;
    }
  }

  /** True once nothing is left to write. */
  private async flush(): Promise<boolean> {
    const pending = this.unwritten;
    if (!pending) return true;
    if (!this.shared.available) return false;
    try {
      const { replacement } = pending;
      if (replacement) await this.shared.client.set(this.key, JSON.stringify(replacement));
      else await this.shared.client.del(this.key);
      if (this.unwritten === pending) this.unwritten = undefined;
      return true;
    } catch (err) {
      this.onError(err);
      return false;
    }
  }
}
