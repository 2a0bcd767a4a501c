import type { Shape } from '../state/versioned';

/** An alarm that a create-call node is making a call for. */
export interface PendingAlarm {
  /** the message, as JSON can keep it */
  msg: Record<string, unknown>;
  /** epoch ms when the node began: a request since then may have made the call */
  startedAt: number;
  /** epoch ms until when failures that may pass are tried again */
  until: number;
  /** waiting for its next attempt (in memory only) */
  waiting?: boolean;
}

/** The alarms a close interrupted, as a create-call node saves them for its next start. */
export const PENDING_ALARMS: Shape<PendingAlarm[]> = {
  version: 1,
  migrations: [(older) => older],
  valid: (value) => (Array.isArray(value) ? value.filter(isPendingAlarm) : undefined),
};

function isPendingAlarm(value: unknown): value is PendingAlarm {
  const candidate = value as Partial<PendingAlarm> | null;
  return (
    typeof candidate?.msg === 'object' &&
    candidate.msg !== null &&
    typeof candidate.startedAt === 'number' &&
    typeof candidate.until === 'number'
  );
}
