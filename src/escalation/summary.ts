import { normaliseCallLog } from '../mapping/call-log';
import type { Escalation, EscalationOutput, Step } from './escalation';

/**
 * The message an output sends: the alarm message as it came, with `msg.escalation` (and for
 * joined and ended, the call).
 */
export function messageOf(output: EscalationOutput): Record<string, unknown> {
  const { escalation } = output;
  const msg = structuredClone(escalation.alarm);
  const summary = summaryOf(escalation, output.kind);
  if (output.kind === 'joined') {
    summary.stepJoinedAfter = output.stepJoinedAfter;
    msg.callId = output.call.callId;
    msg.call = normaliseCallLog(output.call);
  }
  if (output.kind === 'ended') {
    msg.callId = escalation.joined?.callId;
    if (output.call) msg.call = normaliseCallLog(output.call);
  }
  msg.escalation = summary;
  return msg;
}

/** What each output tells of an escalation: `msg.escalation`. */
export function summaryOf(escalation: Escalation, outcome: string): Record<string, unknown> {
  const { steps, rounds, joined, startedAt } = escalation;
  const place = (position: number) => placeAt(escalation, position);
  const summary: Record<string, unknown> = {
    key: escalation.id,
    outcome,
    ...place(positionOf(escalation)),
    steps: steps.length,
    rounds,
    startedAt: new Date(startedAt).toISOString(),
    calls: escalation.calls.map((call) => ({
      ...place(call.position),
      callId: call.callId,
      calledAt: new Date(call.calledAt).toISOString(),
      invitees: inviteesAt(escalation, call.position),
    })),
    failures: escalation.failures.map((failure) => ({
      ...place(failure.position),
      reason: failure.reason,
      message: failure.message,
      attempts: failure.attempts,
    })),
  };
  if (escalation.people?.length) {
    // who was on duty, and whom presence left out, step by step as each was called
    summary.people = escalation.people.map(({ position, ...people }) => ({
      ...place(position),
      ...people,
    }));
  }
  if (joined) {
    summary.joinedBy = joined.contact;
    summary.joinedAfter = joined.afterMs ?? joined.at - startedAt;
    summary.joinedAfterFrom = joined.afterFrom ?? 'seen';
  }
  if (outcome !== 'joined') summary.duration = Date.now() - startedAt;
  return summary;
}

/**
 * The place an escalation stands at: the step that was joined, else the current one (an
 * exhausted escalation stands past its last step, and is shown at that step).
 */
export function positionOf(escalation: Escalation): number {
  const { steps, rounds, joined } = escalation;
  return joined?.position ?? Math.min(escalation.position, steps.length * rounds - 1);
}

/** The step of the list and the round (both from 1) of a place in the steps × rounds sequence. */
export function placeAt(
  escalation: Pick<Escalation, 'steps'>,
  position: number,
): { step: number; round: number } {
  const { length } = escalation.steps;
  return { step: (position % length) + 1, round: Math.floor(position / length) + 1 };
}

/** Whom the call at `position` invited: as noted when it was decided then, else as planned. */
export function inviteesAt(escalation: Escalation, position: number): string[] {
  const { steps } = escalation;
  const step = steps[position % steps.length];
  const noted = escalation.people?.find((people) => people.position === position);
  if (!noted) return inviteesOf(step);
  const teams = inviteesOf(step).filter((name) => name.startsWith('team:'));
  return [...noted.invited, ...teams];
}

export function inviteesOf(step: Step): string[] {
  const { invitedContacts = [], invitedTeams = [] } = step.body ?? step.draft ?? {};
  return [
    ...invitedContacts.map((contact) =>
      typeof contact === 'string'
        ? contact
        : (contact.userId ?? contact.email ?? String(contact.userDbId)),
    ),
    ...invitedTeams.map((team) => `team:${team.name ?? team.id}`),
  ];
}
