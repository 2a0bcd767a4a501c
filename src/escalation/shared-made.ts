import type { SharedState } from '../state/shared-state';
import { REMEMBER_CALLS_MS } from './escalator';

/**
 * The calls an escalate node made lately on any instance, in Redis (a sorted set by time): an
 * instance that takes an escalation over never takes one of them for that escalation's lost call.
 */
export class SharedMadeCalls {
  private readonly key: string;
  private readonly sent = new Set<string>();

  constructor(
    private readonly shared: SharedState,
    nodeId: string,
    private readonly onError: (error: unknown) => void,
  ) {
    this.key = shared.keyOf(nodeId, 'made-calls');
  }

  save(made: Array<[callId: string, at: number]>): void {
    const current = new Set(made.map(([callId]) => callId));
    for (const callId of this.sent) if (!current.has(callId)) this.sent.delete(callId);
    const fresh = made.filter(([callId]) => !this.sent.has(callId));
    if (fresh.length === 0) return;
    for (const [callId] of fresh) this.sent.add(callId);
    const redis = this.shared.client;
    redis
      .multi()
      .zadd(this.key, ...fresh.flatMap(([callId, at]) => [at, callId]))
      .zremrangebyscore(this.key, '-inf', Date.now() - REMEMBER_CALLS_MS)
      .exec()
      .catch((err: unknown) => {
        for (const [callId] of fresh) this.sent.delete(callId);
        this.onError(err);
      });
  }

  async load(): Promise<Array<[string, number]>> {
    try {
      const flat = await this.shared.client.zrangebyscore(
        this.key,
        Date.now() - REMEMBER_CALLS_MS,
        '+inf',
        'WITHSCORES',
      );
      const made: Array<[string, number]> = [];
      for (let i = 0; i < flat.length; i += 2) made.push([flat[i], Number(flat[i + 1])]);
      return made;
    } catch (err) {
      this.onError(err);
      return [];
    }
  }
}
