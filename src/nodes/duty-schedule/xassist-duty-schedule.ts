import type { Node, NodeAPI } from 'node-red';
import { REPLACEMENT, ScheduleInForce, type Replacement } from '../../duty/in-force';
import { SHARED_BEAT_MS, SharedReplacement } from '../../duty/shared-replacement';
import { DutyWatch } from '../../duty/watch';
import { hostTimeZone } from '../../duty/zoned';
import { contextState } from '../../node-red/context-state';
import type { DutyScheduleNode } from '../../node-red/duty-schedules';
import type { XAssistServerNode } from '../../node-red/types';
import { Timers } from '../../xassist/timers';
import { withDefaults } from '../../schema/defaults';
import { DUTY_SCHEDULE_SCHEMA } from './schema';
import type { DutyScheduleConfig } from './settings';

const REPLACEMENT_KEY = 'replacement';

/**
 * A duty schedule: the editor's table, or what a message replaced it with, for every node that
 * calls whoever is on duty. A table that is not valid is the node's config error: the nodes that
 * use it fail their duty steps with it, naming the row. With a server that shares state in
 * Redis, a replacement is shared by the instances of a pair.
 */
export = function register(RED: NodeAPI): void {
  function XAssistDutySchedule(this: Node, saved: DutyScheduleConfig): void {
    RED.nodes.createNode(this, saved);
    // a setting the node was saved without is its default, as the dialog shows it
    const config = withDefaults(DUTY_SCHEDULE_SCHEMA, saved);
    const node = this as Node & DutyScheduleNode;
    const state = contextState(node);
    const debug = (err: unknown) => node.debug(`shared state: ${(err as Error).message}`);
    let shared: SharedReplacement | undefined;
    // the server node may start after this one: looked for when first needed
    const sharedStore = () => {
      const server = config.server
        ? (RED.nodes.getNode(config.server) as XAssistServerNode | null)
        : null;
      if (!shared && server?.shared) shared = new SharedReplacement(server.shared, node.id, debug);
      return shared;
    };
    const table = {
      zone: (config.zone ?? '').trim() || hostTimeZone(),
      shifts: config.shifts,
      overrides: config.overrides,
      otherwise: config.otherwise,
    };
    const timers = new Timers((err) => node.error(`duty schedule: ${(err as Error).message}`));
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
      const changed = () => {
        watch.changed();
        void sharedStore()?.write(inForce.replacement);
      };
      // what the other instance of a pair put in force, read before it is needed
      const refresh = async () => {
        const kept: Replacement | null | undefined = await sharedStore()?.read();
        if (kept !== undefined && inForce.adopt(kept)) watch.changed();
      };
      const beat = () => {
        void refresh()
          .catch(debug)
          .finally(() => {
            if (sharedStore()) timers.set('beat', SHARED_BEAT_MS, beat);
          });
      };
      timers.set('beat', 0, beat);
      node.duty = { inForce, watch, changed, refresh };
    } catch (err) {
      node.configError = err as Error;
      node.error((err as Error).message);
    }
    node.on('close', (_removed: boolean, done: () => void) => {
      timers.close();
      node.duty?.watch.close();
      done();
    });
  }

  RED.nodes.registerType('xassist-duty-schedule', XAssistDutySchedule);
};
