import { XAssistError, type CallLog, type CreateCallRequest, type XAssistClient } from '../xassist';

/** Waits before the 2nd and 3rd attempt of a createCall that certainly did not reach the server. */
export const RETRY_DELAYS_MS = [1_000, 2_000];

export interface RetryHooks {
  /** resolves after `ms`, or rejects when the node closes meanwhile */
  wait: (ms: number) => Promise<void>;
  onRetry: (err: XAssistError, seconds: number) => void;
}

/** createCall is not idempotent: it is repeated only when it certainly did not arrive. */
export async function createCallSafely(
  client: XAssistClient,
  body: CreateCallRequest,
  { wait, onRetry }: RetryHooks,
): Promise<CallLog> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.createCall(body);
    } catch (err) {
      const safe =
        err instanceof XAssistError && err.kind === 'network' && !err.mayHaveReachedServer;
      if (!safe || attempt >= RETRY_DELAYS_MS.length) throw err;
      onRetry(err, RETRY_DELAYS_MS[attempt] / 1000);
      await wait(RETRY_DELAYS_MS[attempt]);
    }
  }
}
