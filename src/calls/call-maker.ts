import type { BackoffPolicy } from '../xassist/backoff';
import { isTransient, XAssistError } from '../xassist/errors';
import type { CallLog, CreateCallRequest, XAssistClient } from '../xassist';
import { callsLike, newestCalls } from './find-made';
import type { CallLedger } from './ledger';
import { Retrier } from './retry';

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

/** What the attempts at one call have found so far. */
interface Tries {
  /** epoch ms: a request since then may have made the call */
  since?: number;
  /** createCall requests sent */
  attempts: number;
}

/**
 * Makes calls without losing one and without making one twice, for every node of a server.
 * Only a refused connection (nothing sent) and a 429 (refused) certainly made nothing: they are
 * repeated. Any other failure that may pass (a 5xx, which proxies answer after forwarding too,
 * a timeout, a broken connection) may have made the call: it is looked for among the newest
 * calls and taken if found (claimed in the ledger, so that two alarms never take one call),
 * else made again. Bad input, refused credentials and missing permissions are thrown at once.
 */
export class CallMaker {
  private readonly retrier: Retrier;
  private readonly now: () => number;

  constructor(
    private readonly api: CallApi,
    readonly ledger: CallLedger,
    options: { retry?: BackoffPolicy; random?: () => number; now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.retrier = new Retrier(options.retry, options.random, this.now);
  }

  /** The call for the body `prepare` gives (its users looked up: a look-up is retried too). */
  async make(prepare: () => Promise<CreateCallRequest>, options: MakeOptions): Promise<MadeCall> {
    const tries: Tries = { since: options.since, attempts: 0 };
    let body: CreateCallRequest | undefined;
    return this.retrier.run(
      async () => {
        body ??= await prepare();
        return this.attempt(body, tries, options.signal);
      },
      {
        until: options.until,
        wait: options.wait,
        onRetry: (err, waitMs) => options.onRetry?.(err, tries.attempts, waitMs),
        giveUp: (err) => gaveUp(err, tries.attempts, tries.since !== undefined),
      },
    );
  }

  /** The call a lost answer made, or a new one: again when another instance took it. */
  private async attempt(
    body: CreateCallRequest,
    tries: Tries,
    signal?: AbortSignal,
  ): Promise<MadeCall> {
    for (;;) {
      const { since } = tries;
      if (since !== undefined) {
        const found = await this.lookFor(body, since, signal);
        if (found) return { call: found, recovered: true, attempts: tries.attempts, sentAt: since };
      }
      tries.attempts += 1;
      const sentAt = this.now();
      try {
        const request = this.api.createCall(body, { signal });
        this.ledger.creating(request);
        const call = await request;
        if (await this.ledger.own(call.callId)) {
          return { call, recovered: false, attempts: tries.attempts, sentAt };
        }
      } catch (err) {
        if (err instanceof XAssistError && mayHaveMade(err)) tries.since ??= sentAt;
        throw err;
      }
      // another instance took this call for its own lost one: theirs, or a new one, is ours
      tries.since ??= sentAt;
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
