import type { Shape } from '../state/versioned';
import type { Escalation, Step, StepFailure } from './escalation';

/** The escalations running, as the escalate node saves them. */
export const ESCALATIONS: Shape<Escalation[]> = {
  version: 1,
  migrations: [
    // 0 → 1: a step's deadline became its start plus its wait (it was its call's time plus its
    // wait), and a failure says why and after how many attempts
    (older) => (Array.isArray(older) ? older.map(toVersion1) : older),
  ],
  valid: (value) => (Array.isArray(value) ? value.filter(isEscalation) : undefined),
};

/** The calls an escalate node made lately, by id and time, as it saved them before the server node kept a ledger. */
export const MADE_CALLS: Shape<Array<[string, number]>> = {
  version: 1,
  migrations: [(older) => older],
  valid: (value) => (Array.isArray(value) ? value.filter(isMadeCall) : undefined),
};

function toVersion1(older: unknown): unknown {
  if (!isEscalation(older)) return older;
  const current = older.calls.find((call) => call.position === older.position);
  return {
    ...older,
    stepStartedAt:
      older.stepStartedAt ?? older.callingSince ?? current?.calledAt ?? older.startedAt,
    failures: older.failures.map((failure): StepFailure => ({
      ...failure,
      reason: failure.reason ?? 'refused',
      attempts: failure.attempts ?? 1,
    })),
  };
}

function isMadeCall(value: unknown): value is [string, number] {
  return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number';
}

/** An escalation as saved, whole enough to resume. */
function isEscalation(value: unknown): value is Escalation {
  const candidate = value as Partial<Escalation> | null;
  return (
    typeof candidate?.id === 'string' &&
    Array.isArray(candidate.steps) &&
    candidate.steps.length > 0 &&
    candidate.steps.every((step: Partial<Step> | null) => !!(step?.body ?? step?.draft)) &&
    typeof candidate.position === 'number' &&
    typeof candidate.rounds === 'number' &&
    Array.isArray(candidate.calls) &&
    Array.isArray(candidate.failures)
  );
}
