import type { Node, NodeAPI } from 'node-red';
import { REPLACEMENT, ScheduleInForce } from '../../duty/in-force';
import { DutyWatch } from '../../duty/watch';
import { hostTimeZone } from '../../duty/zoned';
import { contextState } from '../../node-red/context-state';
import type { DutyScheduleNode } from '../../node-red/duty-schedules';
import type { DutyScheduleConfig } from './settings';

const REPLACEMENT_KEY = 'replacement';

/**
 * A duty schedule: the editor's table, or what a message replaced it with, for every node that
 * calls whoever is on duty. A table that is not valid is the node's config error: the nodes that
 * use it fail their duty steps with it, naming the row.
 */
export = function register(RED: NodeAPI): void {
  function XAssistDutySchedule(this: Node, config: DutyScheduleConfig): void {
    RED.nodes.createNode(this, config);
    const node = this as Node & DutyScheduleNode;
    const state = contextState(node);
    const table = {
      zone: config.zone?.trim() || hostTimeZone(),
      shifts: config.shifts ?? [],
      overrides: config.overrides ?? [],
      otherwise: config.otherwise,
    };
    try {
      const inForce = new ScheduleInForce(table, {
        load: () => state.load(REPLACEMENT_KEY, REPLACEMENT),
        save: (replacement) => state.save(REPLACEMENT_KEY, REPLACEMENT, replacement),
      });
      const watch = new DutyWatch(
        inForce,
        (change) => node.emit('duty-change', change),
        (err) => node.error(`duty schedule: ${(err as Error).message}`),
      );
      node.duty = { inForce, watch };
    } catch (err) {
      node.configError = err as Error;
      node.error((err as Error).message);
    }
    node.on('close', (_removed: boolean, done: () => void) => {
      node.duty?.watch.close();
      done();
    });
  }

  RED.nodes.registerType('xassist-duty-schedule', XAssistDutySchedule);
};
