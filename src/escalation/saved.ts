import type { Escalation, Step } from './escalator';

/** A call made lately, as saved: its id and when. */
export function isMadeCall(value: unknown): value is [string, number] {
  return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number';
}

/** An escalation as saved, whole enough to resume. */
export function isEscalation(value: unknown): value is Escalation {
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
