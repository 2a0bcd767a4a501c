import { Backoff, type BackoffPolicy } from '../xassist/backoff';
import { isTransient, XAssistError } from '../xassist/errors';

/** every 0.25–0.5 s, then 0.5–1 s */
export const DEFAULT_RETRY: BackoffPolicy = { initialMs: 500, maxMs: 1_000 };
/** the shortest wait between attempts, whatever a Retry-After says */
const MIN_RETRY_MS = 100;
/** a Retry-After is stretched by up to this much, so that the alarms it held back spread out */
const RETRY_AFTER_JITTER_MS = 500;

export interface RetryOptions {
  /** epoch ms: a failure is tried again only while the next attempt comes by then */
  until: number;
  /** resolves after `ms`; rejects when the owner closes meanwhile */
  wait: (ms: number) => Promise<void>;
  /** the next attempt comes after `waitMs` */
  onRetry?: (error: XAssistError, waitMs: number) => void;
  /** which failures are tried again (default: those that may pass); others are thrown at once */
  retries?: (error: XAssistError) => boolean;
  /** what is thrown when the next attempt would come too late (default: the failure) */
  giveUp?: (error: XAssistError) => unknown;
}

/**
 * Tries a request again after failures that may pass, as every node of a server does: after
 * the server's Retry-After (a 429's stretched a little) or a growing back-off, until a time.
 */
export class Retrier {
  constructor(
    private readonly policy: BackoffPolicy = DEFAULT_RETRY,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  async run<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
    const backoff = new Backoff(this.policy, this.random);
    const retries = options.retries ?? isTransient;
    for (;;) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof XAssistError) || !retries(err)) throw err;
        const wait = this.waitAfter(err, backoff);
        if (this.now() + wait > options.until) throw options.giveUp ? options.giveUp(err) : err;
        options.onRetry?.(err, wait);
        await options.wait(wait);
      }
    }
  }

  private waitAfter(err: XAssistError, backoff: Backoff): number {
    const asked = err.retryAfterMs;
    if (asked === undefined) return Math.max(MIN_RETRY_MS, backoff.next());
    // the server's wait is a minimum; the session's back-off (no status) is jittered already
    const jitter = err.status === 429 ? this.random() * RETRY_AFTER_JITTER_MS : 0;
    return Math.max(MIN_RETRY_MS, asked + jitter);
  }
}
