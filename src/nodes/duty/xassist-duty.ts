import type { EventEmitter } from 'node:events';
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import type { DutyChange } from '../../duty/watch';
import { lastChangeBefore, onDutyAt, type OnDuty } from '../../duty/on-duty';
import { scheduleOfRows } from '../../duty/rows';
import type { DutyScheduleNode } from '../../node-red/duty-schedules';
import { reportOf } from '../../node-red/report';

interface DutyConfig extends NodeDef {
  /** the xassist-duty-schedule config node */
  schedule?: string;
}

type DutyMessage = NodeMessageInFlow & { reset?: unknown; zone?: unknown };

/**
 * Beside a duty schedule: a message with a schedule replaces its table (bad rows go to Catch,
 * naming the row and field, and the old schedule stays); `msg.reset` puts the table back; any
 * other message asks who is on duty. Each change of who is on duty is a message of its own.
 */
export = function register(RED: NodeAPI): void {
  function XAssistDuty(this: Node, config: DutyConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const schedule = (config.schedule ? RED.nodes.getNode(config.schedule) : null) as
      (Node & DutyScheduleNode) | null;
    const show = () => {
      const duty = schedule?.duty;
      if (!duty) {
        node.status({ fill: 'red', shape: 'ring', text: RED._('xassist-duty.status.no-schedule') });
        return;
      }
      const { source } = duty.inForce.current;
      const first = duty.watch.current.levels[0] ?? '';
      node.status({
        fill: source === 'replaced' ? 'yellow' : 'green',
        shape: 'dot',
        text: RED._(`xassist-duty.status.${source}`, { who: first.slice(0, 16) }),
      });
    };
    const told = (change: DutyChange) => {
      node.send({
        topic: 'duty',
        payload: messageOf(change.now, change.at, change.at),
        before: change.before,
      });
      show();
    };
    // the schedule's own event: Node-RED's types know only a node's input and close
    const events = schedule as unknown as EventEmitter | null;
    events?.on('duty-change', told);
    show();

    node.on('input', (msg: DutyMessage, send, done) => {
      const duty = schedule?.duty;
      if (!duty) {
        done(schedule?.configError ?? new Error(RED._('xassist-duty.errors.no-schedule')));
        return;
      }
      try {
        if (msg.reset === true) duty.inForce.reset();
        else if (Array.isArray(msg.payload)) {
          // rows, as the core csv node gives them: in msg.zone, else the table's zone
          const zone = typeof msg.zone === 'string' ? msg.zone : duty.inForce.tableZone;
          duty.inForce.replace(scheduleOfRows(msg.payload, zone));
        } else if (isSchedule(msg.payload)) {
          // a schedule without a zone is in the table's
          duty.inForce.replace({ zone: duty.inForce.tableZone, ...msg.payload }, 'payload');
        } else {
          // what the other instance of a pair put in force is read first
          void duty
            .refresh()
            .then(() => {
              const now = Date.now();
              const { schedule } = duty.inForce.current;
              const since = lastChangeBefore(schedule, now);
              send({ ...msg, payload: messageOf(onDutyAt(schedule, now), now, since) });
              done();
            })
            .catch(done);
          return;
        }
        duty.changed();
        show();
        done();
      } catch (err) {
        node.status({ fill: 'red', shape: 'ring', text: RED._('xassist-duty.status.invalid') });
        done(reportOf(err));
      }
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      events?.removeListener('duty-change', told);
      done();
    });
  }

  RED.nodes.registerType('xassist-duty', XAssistDuty);
};

/** A schedule in a message: what names its shifts, or who is on duty otherwise. */
function isSchedule(payload: unknown): payload is Record<string, unknown> {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    ('shifts' in payload || 'otherwise' in payload)
  );
}

/** `since`: when who is on duty now came on, if within the last 8 days */
function messageOf(onDuty: OnDuty, at: number, since: number | undefined) {
  const iso = (instant: number) => new Date(instant).toISOString();
  return { ...onDuty, at: iso(at), since: since === undefined ? null : iso(since) };
}
