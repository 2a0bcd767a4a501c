import type { Shape } from '../state/versioned';
import type { FollowedCall } from './follower';

/** The calls a call-status node follows, as it saves them. */
export const FOLLOWED: Shape<FollowedCall[]> = {
  version: 1,
  // 0 → 1: the same list, now kept with its version
  migrations: [(older) => older],
  valid: (value) => (Array.isArray(value) ? value.filter(isFollowedCall) : undefined),
};

function isFollowedCall(value: unknown): value is FollowedCall {
  const candidate = value as Partial<FollowedCall> | null;
  return (
    typeof candidate?.callId === 'string' &&
    typeof candidate.startedAt === 'number' &&
    (candidate.lastEventId === null || typeof candidate.lastEventId === 'number')
  );
}
