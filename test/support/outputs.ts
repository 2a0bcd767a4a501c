import { EventEmitter, once } from 'node:events';
import type { Node } from 'node-red';
import type { Capture } from './capture';
import { helper } from './node-red';

/**
 * Records what arrives at a flow's helper nodes, with one input listener each: Node-RED's
 * input listeners are not meant to be added and removed per wait (removing one breaks later
 * messages), so tests wait on this recorder instead.
 */
export class Outputs<Msg> {
  readonly received: Record<string, Msg[]> = {};
  private readonly arrivals = new EventEmitter();
  /** callers of next(), each handed a different message, in the order they asked */
  private readonly waiting: Array<{
    ids: readonly string[];
    resolve: (value: { id: string; msg: Msg }) => void;
  }> = [];

  constructor(ids: readonly string[], capture: Capture) {
    for (const id of ids) {
      this.received[id] = [];
      (helper.getNode(id) as Node).on('input', (msg: unknown) => {
        capture.add(msg);
        this.received[id].push(msg as Msg);
        const waiter = this.waiting.findIndex((candidate) => candidate.ids.includes(id));
        if (waiter >= 0) this.waiting.splice(waiter, 1)[0].resolve({ id, msg: msg as Msg });
        this.arrivals.emit('message', id, msg);
      });
    }
  }

  /** Resolves when `id` has received `count` messages in all. */
  async until(id: string, count: number): Promise<Msg[]> {
    while (this.received[id].length < count) await once(this.arrivals, 'message');
    return this.received[id];
  }

  /** Resolves with the next message to arrive at one of `ids` that no other caller was given. */
  next(ids: readonly string[]): Promise<{ id: string; msg: Msg }> {
    return new Promise((resolve) => this.waiting.push({ ids, resolve }));
  }
}
