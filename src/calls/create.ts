import {
  isTransient,
  XAssistError,
  type CallLog,
  type CreateCallRequest,
  type XAssistClient,
} from '../xassist';
import { isEnded } from '../tracking/events';

/** Waits before each repeat of a request that certainly did not reach the server. */
export const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];
/** How long such repeats go on, in all. */
export const RETRY_FOR_MS = 15_000;
/** The shortest wait, whatever a Retry-After says. */
const MIN_RETRY_MS = 100;

export interface RetryHooks {
  /** resolves after `ms`, or rejects when the node closes meanwhile */
  wait: (ms: number) => Promise<void>;
  onRetry: (err: XAssistError, seconds: number) => void;
  /** aborts the request when the node closes */
  signal?: AbortSignal;
}

/**
 * Makes the body (its contacts looked up: reads, repeated on any failure that may pass), then
 * the call. createCall is not idempotent: it is repeated only when it certainly did not arrive
 * (the server unreachable, or no token to be had while it is down) and the failure may pass.
 */
export async function createCallSafely(
  client: XAssistClient,
  prepare: () => Promise<CreateCallRequest>,
  { wait, onRetry, signal }: RetryHooks,
): Promise<CallLog> {
  let body: CreateCallRequest | undefined;
  const giveUpAt = Date.now() + RETRY_FOR_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      body ??= await prepare();
      return await client.createCall(body, { signal });
    } catch (err) {
      const repeatable = body === undefined ? isTransient(err) : isSafeToRepeat(err);
      // when the server or the login's back-off says when, then; else a growing wait
      const delay = Math.max(
        MIN_RETRY_MS,
        (err as XAssistError).retryAfterMs ??
          RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)],
      );
      if (!repeatable || Date.now() + delay > giveUpAt) throw err;
      onRetry(err as XAssistError, Math.round(delay / 100) / 10);
      await wait(delay);
    }
  }
}

/** A failure that repeating cannot duplicate and that may pass. */
export function isSafeToRepeat(err: unknown): err is XAssistError {
  return err instanceof XAssistError && !err.mayHaveReachedServer && isTransient(err);
}

/**
 * The call if it is still open; undefined when it has ended or is gone (a 404 the client believes:
 * deleted, or another server). Any other failure rejects, a 404 not believed too (a proxy's page,
 * a route briefly wrong): the caller decides what an unknown state means.
 */
export async function openCall(
  client: XAssistClient,
  callId: string,
  signal?: AbortSignal,
): Promise<CallLog | undefined> {
  try {
    const call = await client.getCallLogById(callId, { signal });
    return isEnded(call) ? undefined : call;
  } catch (err) {
    if (await client.callIsGone(err)) return undefined;
    throw err;
  }
}
