/** A duty schedule config node, as the nodes that call whoever is on duty find it. */
import type { DutyStep } from '../escalation/escalation';
import type { ScheduleInForce } from '../duty/in-force';
import { onDutyAt } from '../duty/on-duty';
import type { DutyWatch } from '../duty/watch';

/** What a duty schedule node gives the nodes that call whoever is on duty. */
export interface DutyApi {
  inForce: ScheduleInForce;
  watch: DutyWatch;
}

/** A config node that may be a duty schedule: what `RED.nodes.getNode` gives. */
export interface DutyScheduleNode {
  duty?: DutyApi;
  /** why it has no schedule: its table is not valid */
  configError?: Error;
}

/**
 * The people of a duty step now: the level's login names or emails; a level the schedule does
 * not have at this moment is its last (the schedule never has nobody).
 */
export function peopleOnDuty(node: DutyScheduleNode | null, duty: DutyStep, now: number): string[] {
  if (!node?.duty) {
    throw node?.configError ?? new Error(`duty schedule '${duty.schedule}': no such config node`);
  }
  const { levels } = onDutyAt(node.duty.inForce.current.schedule, now);
  const level = levels[Math.min(duty.level, levels.length) - 1];
  return level
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}
