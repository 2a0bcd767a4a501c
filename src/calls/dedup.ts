import type { Shape } from '../state/versioned';
import { isTransient } from '../xassist/errors';
import type { CallLog } from '../xassist/types';

export interface DedupRecord {
  createdAt: number;
  call: CallLog;
}

/** The calls a create-call node made per dedup key, as it saves them. */
export const DEDUP_RECORDS: Shape<Record<string, DedupRecord>> = {
  version: 1,
  // 0 → 1: the same records, now kept with their version
  migrations: [(older) => older],
  valid: (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).filter(([, record]) => isDedupRecord(record)))
      : undefined,
};

function isDedupRecord(value: unknown): value is DedupRecord {
  const candidate = value as Partial<DedupRecord> | null;
  return typeof candidate?.createdAt === 'number' && typeof candidate.call?.callId === 'string';
}

/** Where the calls made per key are kept: the node's context, so that a redeploy keeps them. */
export interface DedupStore {
  load(): Record<string, DedupRecord>;
  save(records: Record<string, DedupRecord>): void;
}

/**
 * Keeps one attempt per key across several Node-RED instances (shared state): an attempt runs
 * while no other instance runs one for the same key, and sees the call each of them made.
 * Without shared state, or while it is away, the attempt runs on this instance's word alone.
 */
export interface DedupGuard {
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** the record kept for `key` by any instance; undefined when none, or unknown */
  get(key: string): Promise<DedupRecord | undefined>;
  put(key: string, record: DedupRecord, windowMs: number): Promise<void>;
}

export interface DedupResult {
  call: CallLog;
  /** true when no call was made because one for the same key is still open */
  repeat: boolean;
}

/** the held call if it is still open; undefined when it ended or is gone; rejects when unknown */
export type OpenCallCheck = (callId: string) => Promise<CallLog | undefined>;

/**
 * One call per key while it is open. For each key one attempt runs at a time: it checks the call
 * held for the key (still open: a repeat; ended or gone: the key is free) and makes a call only
 * when none is open. Messages that arrive meanwhile wait for that attempt and get its call as a
 * repeat; when it fails, they share one more attempt between them, not one each.
 */
export class CallDedup {
  private readonly attempts = new Map<string, Promise<DedupResult>>();

  constructor(
    private readonly store: DedupStore,
    private readonly now: () => number = Date.now,
    private readonly guard?: DedupGuard,
  ) {}

  /**
   * `until`: when this message stops trying. An attempt that another message started and that
   * failed is followed by one of this message's own, if the failure may pass and time is left.
   */
  async run(
    key: string,
    windowMs: number,
    create: () => Promise<CallLog>,
    openCall: OpenCallCheck,
    until = -Infinity,
  ): Promise<DedupResult> {
    let retried = false;
    for (;;) {
      const running = this.attempts.get(key);
      if (!running) return this.attempt(key, windowMs, create, openCall);
      const outcome = await settle(running);
      if ('result' in outcome) return { call: outcome.result.call, repeat: true };
      const timeLeft = isTransient(outcome.error) && this.now() < until;
      if (retried && !timeLeft) throw outcome.error;
      retried = true;
    }
  }

  private attempt(
    key: string,
    windowMs: number,
    create: () => Promise<CallLog>,
    openCall: OpenCallCheck,
  ): Promise<DedupResult> {
    const attempt = this.decide(key, windowMs, create, openCall).finally(() => {
      // before anyone waiting on it resumes: the next of them starts a fresh attempt
      if (this.attempts.get(key) === attempt) this.attempts.delete(key);
    });
    this.attempts.set(key, attempt);
    return attempt;
  }

  private decide(
    key: string,
    windowMs: number,
    create: () => Promise<CallLog>,
    openCall: OpenCallCheck,
  ): Promise<DedupResult> {
    const decideHere = () => this.decideAlone(key, windowMs, create, openCall);
    return this.guard ? this.guard.exclusive(key, decideHere) : decideHere();
  }

  private async decideAlone(
    key: string,
    windowMs: number,
    create: () => Promise<CallLog>,
    openCall: OpenCallCheck,
  ): Promise<DedupResult> {
    const shared = await this.guard?.get(key);
    const record = shared ?? this.store.load()[storeKey(key)];
    if (record && this.now() - record.createdAt < windowMs) {
      // a call that cannot be read now is taken as open: better no second call than two calls
      const open = await openCall(record.call.callId).catch(() => record.call);
      if (open) return { call: open, repeat: true };
    }
    const call = await create();
    await this.keep(key, windowMs, call);
    return { call, repeat: false };
  }

  private async keep(key: string, windowMs: number, call: CallLog): Promise<void> {
    const now = this.now();
    const records = Object.fromEntries(
      Object.entries(this.store.load()).filter(([, kept]) => now - kept.createdAt < windowMs),
    );
    records[storeKey(key)] = { createdAt: now, call };
    this.store.save(records);
    await this.guard?.put(key, { createdAt: now, call }, windowMs);
  }
}

function settle<T>(promise: Promise<T>): Promise<{ result: T } | { error: unknown }> {
  return promise.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
}

/** A prefix keeps keys such as `__proto__` from meaning anything to the object they index. */
function storeKey(key: string): string {
  return `key:${key}`;
}
