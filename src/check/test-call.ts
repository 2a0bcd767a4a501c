import type { Probe } from './probe';
import type { Session } from './connection';
import { expected, objectOf, pageItems, unknown, type Finding } from './finding';

/** how long the test call is followed, and how often it is read */
const FOLLOW_MS = 5_000;
const READ_EVERY_MS = 1_000;

export const TEST_CALL_WARNING =
  'It makes one call, to this user alone, and reads it for a few seconds. The API cannot end ' +
  'a call: it stays open until its participants leave (nobody joins it).';

/**
 * Opt-in: one call to the technical user alone, read back and followed for a few seconds:
 * what a made call looks like on this server, its statuses and events.
 */
export async function checkTestCall(
  probe: Probe,
  session: Session,
  username: string,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<Finding> {
  const title = 'a test call';
  const found = await probe.send('users/list', {
    params: { page: 0, size: 50, userid: username },
    token: session.token,
  });
  const user = (found && pageItems(found.json))?.find((each) => each.userId === username);
  if (!user) return unknown('test-call', title, 'this user is not in users/list');
  const made = await probe.send('rtc/createCall', {
    method: 'POST',
    token: session.token,
    data: {
      callTitle: 'xassist-check test call: please ignore',
      callType: 'SFU',
      callReason: 'STANDARD',
      invitedContacts: [{ userId: user.userId, userDbId: user.id }],
      invitedTeams: [],
      joinAnonymousAllowed: false,
      informOthersDirectly: false,
    },
  });
  const callId = objectOf(made?.json)?.callId;
  if (!made || typeof callId !== 'string') {
    return unknown('test-call', title, made ? `createCall: HTTP ${made.status}` : 'no answer');
  }
  const seen = new Set<string>();
  let status = '?';
  for (let read = 0; read * READ_EVERY_MS < FOLLOW_MS && probe.timeLeftMs > 0; read++) {
    if (read) await wait(READ_EVERY_MS);
    const call = objectOf(
      (await probe.send('rtc/getCallLogById', { params: { callId }, token: session.token }))?.json,
    );
    if (!call) continue;
    status = String(call.callStatus ?? call.status ?? '?');
    for (const event of Array.isArray(call.callEvents) ? call.callEvents : []) {
      seen.add(String(objectOf(event)?.type));
    }
  }
  return expected(
    'test-call',
    title,
    `made and read back: status ${status}, events ${[...seen].join(', ') || 'none'}; it stays open`,
  );
}
