import type { CallLog } from '../xassist/types';

export interface DedupRecord {
  createdAt: number;
  call: CallLog;
}

/** Where the calls made per key are kept: the node's context, so that a redeploy keeps them. */
export interface DedupStore {
  load(): Record<string, DedupRecord>;
  save(records: Record<string, DedupRecord>): void;
}

export interface DedupResult {
  call: CallLog;
  /** true when no call was made because one for the same key is still open */
  repeat: boolean;
}

/**
 * One call per key while it is open: a second message with the same key within the window
 * gets the first call back (read afresh) instead of a new call, and a message that arrives
 * while the first call is being created waits for it.
 */
export class CallDedup {
  private readonly creating = new Map<string, Promise<CallLog>>();

  constructor(
    private readonly store: DedupStore,
    private readonly now: () => number = Date.now,
  ) {}

  async run(
    key: string,
    windowMs: number,
    create: () => Promise<CallLog>,
    readOpenCall: (callId: string) => Promise<CallLog | undefined>,
  ): Promise<DedupResult> {
    const pending = this.creating.get(key);
    if (pending) {
      const call = await pending.catch(() => undefined);
      if (call) return { call, repeat: true };
    }
    const record = this.store.load()[storeKey(key)];
    if (record && this.now() - record.createdAt < windowMs) {
      // a call that cannot be read now is taken as open: better no second call than two calls
      const open = await readOpenCall(record.call.callId).catch(() => record.call);
      if (open) return { call: open, repeat: true };
    }
    return { call: await this.create(key, windowMs, create), repeat: false };
  }

  private async create(key: string, windowMs: number, create: () => Promise<CallLog>) {
    const creating = create();
    this.creating.set(key, creating);
    try {
      const call = await creating;
      const now = this.now();
      const records = Object.fromEntries(
        Object.entries(this.store.load()).filter(([, kept]) => now - kept.createdAt < windowMs),
      );
      records[storeKey(key)] = { createdAt: now, call };
      this.store.save(records);
      return call;
    } finally {
      if (this.creating.get(key) === creating) this.creating.delete(key);
    }
  }
}

/** A prefix keeps keys such as `__proto__` from meaning anything to the object they index. */
function storeKey(key: string): string {
  return `key:${key}`;
}
