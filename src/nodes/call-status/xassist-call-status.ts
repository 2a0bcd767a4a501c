import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { normaliseCallLog } from '../../mapping/call-log';
import { FieldError } from '../../mapping/field-error';
import { isPlainObject } from '../../mapping/values';
import { reportOf } from '../../node-red/report';
import { portableCopy } from '../../node-red/message';
import { MAX_CONCURRENT_POLLS, pollIntervalMs, ReadFailures } from '../../node-red/reads';
import { itemStoreOf } from '../../node-red/item-store';
import { useServer } from '../../node-red/server-user';
import { isEmpty, numberSetting, settingWarning } from '../../node-red/settings';
import { FOLLOWED } from '../../tracking/saved';
import { CallTracker, type FollowedCall, type TrackerOutput } from '../../tracking/tracker';

interface CallStatusConfig extends NodeDef {
  server?: string;
  /** a call to follow from the start, and for messages that name none */
  callId?: string;
  /** seconds between two reads of a call */
  pollInterval?: string | number;
  /** seconds; empty or 0: no NoJoin message */
  joinTimeout?: string | number;
  skipHistory?: boolean;
  /** the msg property each event goes to (default payload); with another, payload and topic stay the alarm's */
  property?: string;
}

type InputMessage = NodeMessageInFlow & { callId?: unknown; stop?: unknown };

const OUTPUT = { event: 0, joined: 1, 'no-join': 2, ended: 3 } as const;
const CONTEXT_KEY = 'followed';
/** msg properties that describe the starting message itself, not the alarm behind it */
const NOT_PASSED_ON = new Set(['_msgid', 'payload', 'topic', 'callId', 'call', 'stop', 'repeat']);
const CALL_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
/** a text payload is taken as a call id only when it looks like one: a UUID */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export = function register(RED: NodeAPI): void {
  function XAssistCallStatus(this: Node, config: CallStatusConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const { server, show } = useServer(RED, node, config.server);
    const t = (key: string, subs?: Record<string, string | number>) =>
      RED._(`xassist-call-status.${key}`, subs);
    const warn = settingWarning(RED, node);
    const property = isEmpty(config.property) ? 'payload' : String(config.property).trim();
    const notPassedOn =
      property === 'payload'
        ? NOT_PASSED_ON
        : new Set(
            [...NOT_PASSED_ON, property].filter((name) => name !== 'payload' && name !== 'topic'),
          );
    const intervalMs = pollIntervalMs(config.pollInterval, t('label.pollInterval'), warn);
    // empty or 0: no NoJoin
    const joinTimeoutMs =
      numberSetting(
        config.joinTimeout,
        { label: t('label.joinTimeout'), fallback: 0, min: 0 },
        warn,
      ) * 1000 || undefined;
    let lastEvent = '';
    const reads = new ReadFailures(node, show, t, showStatus);
    const items = itemStoreOf(node, server, {
      key: CONTEXT_KEY,
      shape: FOLLOWED,
      idOf: (followed) => followed.callId,
    });

    const tracker = new CallTracker({
      intervalMs,
      joinTimeoutMs,
      skipHistory: config.skipHistory === true,
      maxConcurrent: MAX_CONCURRENT_POLLS,
      // on time though the server cannot be read: calling the backup beats waiting for it
      noJoinWhenUnread: true,
      read: (callId) => {
        if (!server?.client) {
          return Promise.reject(
            server?.configError ?? new Error(RED._('xassist-call-status.errors.no-server')),
          );
        }
        // shared with the server's other nodes: a close ignores the answer instead of aborting it
        return server.reads ? server.reads.read(callId) : server.client.getCallLogById(callId);
      },
      // a 404 ends a call only when the server says so while otherwise answering
      isGone: (err) => server?.client?.callIsGone(err) ?? Promise.resolve(false),
      emit: (output) => {
        if (output.kind === 'ended' && neverFound(output)) {
          node.warn(
            RED._('xassist-call-status.warn.no-such-call', { callId: output.followed.callId }),
          );
        }
        const outputs: Array<NodeMessage | null> = [null, null, null, null];
        outputs[OUTPUT[output.kind]] = placed(messageOf(output), output.followed.context);
        node.send(outputs);
        if (output.kind === 'event') lastEvent = output.event.type;
        showStatus();
      },
      save: (calls, changed) => items.save(calls, changed),
      onError: (err, callId, retryInMs) => reads.failed(err, callId, retryInMs),
      onRead: () => reads.succeeded(),
    });

    /**
     * With another output property, what would be msg.payload goes there, its topic to
     * msg.eventType, and msg.payload and msg.topic stay those of the message that started it.
     */
    function placed(msg: NodeMessage, context: Record<string, unknown>): NodeMessage {
      if (property === 'payload') return msg;
      const { payload, topic, ...rest } = msg;
      const out: NodeMessage = { ...rest, eventType: topic } as NodeMessage;
      if ('payload' in context) out.payload = structuredClone(context.payload);
      if ('topic' in context) out.topic = context.topic as string;
      RED.util.setMessageProperty(out, property, payload, true);
      return out;
    }

    function showStatus(): void {
      const count = tracker.size;
      const text =
        RED._('xassist-call-status.status.following', { count }) +
        (lastEvent ? `: ${lastEvent}` : '');
      show(count || lastEvent ? { fill: 'green', shape: 'dot', text: text.slice(0, 30) } : {});
    }

    /** Follows a call unless this or (with shared state) another instance does already. */
    async function follow(callId: string, context: Record<string, unknown>): Promise<void> {
      if (tracker.has(callId)) return;
      const followed = tracker.fresh(callId, context);
      if (await items.create(callId, followed)) tracker.follow(callId, context, followed);
      showStatus();
    }

    function resume(followed: FollowedCall): void {
      if (CALL_ID.test(followed.callId)) {
        tracker.follow(followed.callId, followed.context ?? {}, followed);
        showStatus();
      }
    }

    const resumed = items.start({
      // its owner stopped: followed on from the last event it sent
      takeOver: (followed) => {
        node.debug(t('log.taken-over', { callId: followed.callId }));
        resume(followed);
      },
      lost: (callId) => tracker.unfollow(callId),
      cancelled: (callId) => {
        tracker.unfollow(callId);
        showStatus();
      },
    });
    for (const followed of resumed) resume(followed);
    if (config.callId && CALL_ID.test(config.callId.trim())) {
      follow(config.callId.trim(), {}).catch((err: Error) => node.error(err.message));
    }

    async function handle(input: InputMessage): Promise<void> {
      if (input.stop === true) {
        // the message's own call, or all: the node's fixed call id does not narrow a stop
        const stopped = callIdOf(input, undefined);
        tracker.unfollow(stopped);
        showStatus();
        // with shared state, the instance following it hears of it too
        return items.cancel(stopped);
      }
      const callId = callIdOf(input, config.callId);
      if (!callId) {
        throw new FieldError('callId', RED._('xassist-call-status.errors.no-call-id'));
      }
      await follow(callId, portableCopy(input, notPassedOn));
    }

    /** messages take effect in the order they came: a stop after a follow stops that follow */
    let handled: Promise<void> = Promise.resolve();
    node.on('input', (msg, _send, done) => {
      handled = handled.then(() =>
        handle(msg as InputMessage).then(
          () => done(),
          (err: unknown) => {
            show({
              fill: 'red',
              shape: 'ring',
              text: RED._('xassist-call-status.status.invalid'),
            });
            done(reportOf(err));
          },
        ),
      );
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      tracker.stop();
      // handed back once saved: another instance may follow them on at once
      items.close().then(
        () => done(),
        () => done(),
      );
    });
  }

  RED.nodes.registerType('xassist-call-status', XAssistCallStatus);
};

/** msg.callId, msg.payload.callId, a call id as msg.payload, or the node's own. */
function callIdOf(msg: InputMessage, fixed: string | undefined): string | undefined {
  const payload = msg.payload;
  const candidates: Array<[string, unknown]> = [
    ['callId', msg.callId],
    ['payload.callId', isPlainObject(payload) ? payload.callId : undefined],
    [
      'payload',
      typeof payload === 'string' && UUID.test(payload.trim()) ? payload.trim() : undefined,
    ],
  ];
  for (const [field, value] of candidates) {
    if (isEmpty(value)) continue;
    if (typeof value !== 'string' || !CALL_ID.test(value.trim())) {
      throw new FieldError(
        field,
        'must be a call id (the UUID that create-call gives as msg.callId)',
      );
    }
    return value.trim();
  }
  const own = fixed?.trim();
  return own || undefined;
}

function messageOf(output: TrackerOutput): NodeMessage {
  const { followed } = output;
  const base = { ...structuredClone(followed.context), callId: followed.callId };
  const call = 'call' in output && output.call ? normaliseCallLog(output.call) : undefined;
  switch (output.kind) {
    case 'event':
      return { ...base, payload: output.event, topic: output.event.type, call };
    case 'joined':
      return {
        ...base,
        payload: output.event,
        topic: 'Joined',
        call,
        joinedAfter: output.afterMs,
        joinedAfterFrom: output.afterFrom,
      };
    case 'no-join':
      return {
        ...base,
        // unread: the server could not be read at the deadline, so a join may have gone unseen
        payload: call ? { callId: followed.callId } : { callId: followed.callId, unread: true },
        topic: 'NoJoin',
        call,
      };
    case 'ended':
      return {
        ...base,
        payload: call ?? null,
        topic: output.reason === 'ended' ? 'Ended' : 'NotFound',
        call,
        ...(output.reason === 'not-found' && {
          notFound: neverFound(output) ? 'no-such-call' : 'gone',
        }),
      };
  }
}

/** A call the server never knew: its id was mistyped, or belongs to another server. */
function neverFound(output: TrackerOutput): boolean {
  return (
    output.kind === 'ended' && output.reason === 'not-found' && output.followed.lastEventId === null
  );
}
