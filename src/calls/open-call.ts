import type { CallLog, XAssistClient } from '../xassist';
import { isEnded } from '../call-status/events';

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
