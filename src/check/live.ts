import type { Probe } from './probe';
import type { Session } from './connection';
import { expected, objectOf, unknown, type Finding } from './finding';

/**
 * Where Spring servers commonly take WebSocket or SockJS connections. The server notifies
 * invitees live, over a protocol nobody has published: what answers here is evidence for a
 * later push-based call-status. Nothing subscribes.
 */
export const LIVE_PATHS = ['ws', 'websocket', 'socket', 'stomp', 'sockjs', 'notifications'];

/** A few GETs: SockJS's `<path>/info`, and the path itself (a WebSocket handler refuses GET). */
export async function checkLive(probe: Probe, session: Session): Promise<Finding> {
  const title = 'live notifications';
  const looks = await Promise.all(
    LIVE_PATHS.map(async (path) => {
      const [info, plain] = await Promise.all([
        probe.send(`${path}/info`, { token: session.token }),
        probe.send(path, { token: session.token }),
      ]);
      return { path, info, plain };
    }),
  );
  if (looks.every(({ info, plain }) => !info && !plain)) {
    return unknown('live', title, `no answer: ${probe.lastError}`);
  }
  const seen = looks.flatMap(({ path, info, plain }) => {
    const sockJs = objectOf(info?.json);
    if (info?.status === 200 && sockJs && 'websocket' in sockJs) {
      return [`SockJS at ${path}/info (websocket: ${String(sockJs.websocket)})`];
    }
    // Spring's WebSocket handler answers a plain GET with 400 "Can "Upgrade" only to …"
    if (plain && /upgrade/i.test(plain.text)) return [`a WebSocket handler at ${path}`];
    return [];
  });
  return expected(
    'live',
    title,
    seen.length
      ? `${seen.join('; ')}: nothing subscribes yet, call-status reads calls`
      : `nothing at ${LIVE_PATHS.length} usual paths; call-status reads calls, it needs none`,
  );
}
