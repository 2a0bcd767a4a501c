import type { NodeStatus } from 'node-red';
import type { Escalation, EscalationOutput } from '../../escalation/escalator';
import { placeAt } from '../../escalation/summary';

/** How the last escalation ended, for the status once none runs. */
export type LastOutcome = EscalationOutput['kind'] | 'cancelled';

type Translate = (key: string, substitutions?: Record<string, string | number>) => string;

/**
 * The escalate node's own status, in the words of `msg.escalation`: a step of the list and a
 * round of the list (a round only when there are several).
 */
export function escalateStatus(
  running: Escalation[],
  lastOutcome: LastOutcome | undefined,
  t: Translate,
): NodeStatus {
  if (running.length > 1) {
    return { fill: 'blue', shape: 'dot', text: t('status.running', { count: running.length }) };
  }
  if (running.length === 1) {
    const [escalation] = running;
    const { joined, steps, rounds } = escalation;
    const { step, round } = placeAt(escalation, joined?.position ?? escalation.position);
    const place = { step, steps: steps.length, round, rounds };
    const withRound = rounds > 1 ? '-round' : '';
    return joined
      ? { fill: 'green', shape: 'dot', text: t(`status.joined${withRound}`, place) }
      : { fill: 'blue', shape: 'dot', text: t(`status.calling${withRound}`, place) };
  }
  switch (lastOutcome) {
    case 'exhausted':
      return { fill: 'red', shape: 'ring', text: t('status.exhausted') };
    case 'cancelled':
      return { fill: 'grey', shape: 'ring', text: t('status.cancelled') };
    case 'joined':
    case 'ended':
      return { fill: 'green', shape: 'ring', text: t('status.ended') };
    default:
      return {};
  }
}
