/** A duty schedule config node, as the nodes that call whoever is on duty find it. */
import type { DutyStep } from '../escalation/escalation';
import type { ScheduleInForce } from '../duty/in-force';
import { onDutyAt } from '../duty/on-duty';
import type { DutyWatch } from '../duty/watch';

/** What a duty schedule node gives the nodes that call whoever is on duty. */
export interface DutyApi {
  inForce: ScheduleInForce;
  watch: DutyWatch;
  /** after a replacement or a reset: tells of the change, and shares it with a pair's other */
  changed(): void;
  /** reads what the other instance of a pair put in force; never rejects */
  refresh(): Promise<void>;
}

/** A config node that may be a duty schedule: what `RED.nodes.getNode` gives. */
export interface DutyScheduleNode {
  duty?: DutyApi;
  /** why it has no schedule: its table is not valid */
  configError?: Error;
}

/**
 * The people of a duty step now: the level's login names or emails; a level the schedule does
 * not have at this moment is its last (the schedule never has nobody). What another instance of
 * a pair put in force is read first.
 */
export async function peopleOnDuty(
  node: DutyScheduleNode | null,
  duty: DutyStep,
  now: () => number = Date.now,
): Promise<string[]> {
  if (!node?.duty) {
    throw node?.configError ?? new Error(`duty schedule '${duty.schedule}': no such config node`);
  }
  await node.duty.refresh();
  const { levels } = onDutyAt(node.duty.inForce.current.schedule, now());
  const level = levels[Math.min(duty.level, levels.length) - 1];
  return level
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}
