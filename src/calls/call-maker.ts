import { Backoff, type BackoffPolicy } from '../xassist/backoff';
import { isTransient, XAssistError } from '../xassist/errors';
import type { CallLog, CreateCallRequest, XAssistClient } from '../xassist';
import { callsLike, newestCalls } from './find-made';
import type { CallLedger } from './ledger';

export type CallApi = Pick<XAssistClient, 'createCall' | 'getCallLogPage'>;

export interface MakeOptions {
  /** epoch ms: a failure that may pass is tried again until then, then thrown */
  until: number;
  /** epoch ms: an earlier attempt since then may have made the call (a restart, a takeover) */
  since?: number;
  /** aborts the requests (the node is closing) */
  signal?: AbortSignal;
  /** resolves after `ms`; rejects when the node closes meanwhile */
  wait: (ms: number) => Promise<void>;
  /** a failure that may pass: the next attempt comes after `waitMs` */
  onRetry?: (error: XAssistError, attempts: number, waitMs: number) => void;
}

export interface MadeCall {
  call: CallLog;
  /** made by a request whose answer was lost, and found among the newest calls */
  recovered: boolean;
  /** createCall requests sent */
  attempts: number;
  /** epoch ms (our clock) when the request that made it was sent; for a recovered call, the first that may have */
  sentAt: number;
}

const DEFAULT_RETRY: BackoffPolicy = { initialMs: 500, maxMs: 1_000 };
/** the shortest wait between attempts, whatever a Retry-After says */
const MIN_RETRY_MS = 100;
/** a Retry-After is stretched by up to this much, so that the alarms it held back spread out */
const RETRY_AFTER_JITTER_MS = 500;

/**
 * Makes calls without losing one and without making one twice, for every node of a server.
 * Only a refused connection (nothing sent) and a 429 (refused) certainly made nothing: they are
 * repeated. Any other failure that may pass (a 5xx, which proxies answer after forwarding too,
 * a timeout, a broken connection) may have made the call: it is looked for among the newest
 * calls and taken if found (claimed in the ledger, so that two alarms never take one call),
 * else made again. Bad input, refused credentials and missing permissions are thrown at once.
 */
export class CallMaker {
  private readonly retry: BackoffPolicy;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    private readonly api: CallApi,
    readonly ledger: CallLedger,
    options: { retry?: BackoffPolicy; random?: () => number; now?: () => number } = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** The call for the body `prepare` gives (its users looked up: a look-up is retried too). */
  async make(prepare: () => Promise<CreateCallRequest>, options: MakeOptions): Promise<MadeCall> {
    const backoff = new Backoff(this.retry, this.random);
    let body: CreateCallRequest | undefined;
    let since = options.since;
    let attempts = 0;
    for (;;) {
      let sentAt: number | undefined;
      try {
        body ??= await prepare();
        if (since !== undefined) {
          const found = await this.lookFor(body, since, options.signal);
          if (found) return { call: found, recovered: true, attempts, sentAt: since };
        }
        attempts += 1;
        sentAt = this.now();
        const request = this.api.createCall(body, { signal: options.signal });
        this.ledger.creating(request);
        const call = await request;
        if (await this.ledger.own(call.callId)) return { call, recovered: false, attempts, sentAt };
        // another instance took this call for its own lost one: theirs, or a new one, is ours
        since ??= sentAt;
        continue;
      } catch (thrown) {
        if (!isTransient(thrown)) throw thrown;
        const err = thrown as XAssistError;
        if (sentAt !== undefined && mayHaveMade(err)) since ??= sentAt;
        const wait = this.waitAfter(err, backoff);
        if (this.now() + wait > options.until) throw gaveUp(err, attempts, since !== undefined);
        options.onRetry?.(err, attempts, wait);
        await options.wait(wait);
      }
    }
  }

  /**
   * The call `body` may have made since `since`, claimed; undefined when there is none. The
   * calls on their way now are waited for first: their makers own their calls.
   */
  private async lookFor(
    body: CreateCallRequest,
    since: number,
    signal?: AbortSignal,
  ): Promise<CallLog | undefined> {
    let calls: CallLog[];
    try {
      calls = await newestCalls(this.api, { signal });
    } catch (err) {
      // a server that cannot list its calls at all: a second call beats none
      if (isTransient(err)) throw err;
      return undefined;
    }
    await this.ledger.settled();
    for (const call of callsLike(calls, body, since)) {
      if (await this.ledger.claim(call.callId)) return call;
    }
    return undefined;
  }

  private waitAfter(err: XAssistError, backoff: Backoff): number {
    const asked = err.retryAfterMs;
    if (asked === undefined) return Math.max(MIN_RETRY_MS, backoff.next());
    // the server's wait is a minimum; the session's back-off (no status) is jittered already
    const jitter = err.status === 429 ? this.random() * RETRY_AFTER_JITTER_MS : 0;
    return Math.max(MIN_RETRY_MS, asked + jitter);
  }
}

/** Only a request never sent and a 429 (refused before it was handled) made nothing. */
function mayHaveMade(err: XAssistError): boolean {
  return err.mayHaveReachedServer && err.status !== 429;
}

/** The last failure, saying for how many attempts it was tried. */
function gaveUp(err: XAssistError, attempts: number, mayHaveMade: boolean): XAssistError {
  const tried =
    attempts === 0
      ? 'no call request could be sent'
      : `${attempts} call request${attempts === 1 ? '' : 's'} sent`;
  return new XAssistError(err.kind, `${err.message} (gave up: ${tried})`, {
    ...err,
    mayHaveReachedServer: mayHaveMade,
  });
}
