import type { NodeAPI, NodeMessage } from 'node-red';
import { MAX_CONCURRENT_POLLS, ReadFailures } from '../../node-red/reads';
import { defineNode } from '../../node-red/skeleton';
import { portableCopy } from '../../node-red/message';
import { FieldError } from '../../mapping/field-error';
import { FOLLOWED } from '../../tracking/saved';
import { CallTracker, type FollowedCall } from '../../tracking/tracker';
import { callIdOf, messageOf, neverFound, placed, type InputMessage } from './messages';
import { CALL_ID, callStatusSettingsOf, type CallStatusConfig } from './settings';

const OUTPUT = { event: 0, joined: 1, 'no-join': 2, ended: 3 } as const;
const CONTEXT_KEY = 'followed';

export = function register(RED: NodeAPI): void {
  defineNode<CallStatusConfig>(RED, 'xassist-call-status', (kit, config) => {
    const { node, t, show } = kit;
    const settings = callStatusSettingsOf(config, kit);
    let lastEvent = '';
    const reads = new ReadFailures(node, show, t, showStatus);
    const items = kit.items({
      key: CONTEXT_KEY,
      shape: FOLLOWED,
      idOf: (followed) => followed.callId,
    });
    const setProperty = (msg: NodeMessage, property: string, value: unknown) =>
      RED.util.setMessageProperty(msg, property, value, true);

    const tracker = new CallTracker({
      intervalMs: settings.intervalMs,
      joinTimeoutMs: settings.joinTimeoutMs,
      skipHistory: settings.skipHistory,
      maxConcurrent: MAX_CONCURRENT_POLLS,
      // on time though the server cannot be read: calling the backup beats waiting for it
      noJoinWhenUnread: true,
      // shared with the server's other nodes: a close ignores the answer instead of aborting it
      read: async (callId) => kit.api().reads.read(callId),
      // a 404 ends a call only when the server says so while otherwise answering
      isGone: (err) => kit.connection?.client.callIsGone(err) ?? Promise.resolve(false),
      emit: (output) => {
        if (output.kind === 'ended' && neverFound(output)) {
          node.warn(t('warn.no-such-call', { callId: output.followed.callId }));
        }
        const outputs: Array<NodeMessage | null> = [null, null, null, null];
        const msg = messageOf(output);
        outputs[OUTPUT[output.kind]] = placed(
          msg,
          output.followed.context,
          settings.property,
          setProperty,
        );
        node.send(outputs);
        if (output.kind === 'event') lastEvent = output.event.type;
        showStatus();
      },
      save: (calls, changed) => items.save(calls, changed),
      onError: (err, callId, retryInMs) => reads.failed(err, callId, retryInMs),
      onRead: () => reads.succeeded(),
    });

    function showStatus(): void {
      const count = tracker.size;
      const text = t('status.following', { count }) + (lastEvent ? `: ${lastEvent}` : '');
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
    if (settings.followAtStart) {
      follow(settings.followAtStart, {}).catch((err: Error) => node.error(err.message));
    }

    // messages take effect in the order they came: a stop after a follow stops that follow
    kit.onInput(
      async (input) => {
        const msg = input as InputMessage;
        if (msg.stop === true) {
          // the message's own call, or all: the node's fixed call id does not narrow a stop
          const stopped = callIdOf(msg, undefined);
          tracker.unfollow(stopped);
          showStatus();
          // with shared state, the instance following it hears of it too
          return items.cancel(stopped);
        }
        const callId = callIdOf(msg, settings.callId);
        if (!callId) throw new FieldError('callId', t('errors.no-call-id'));
        await follow(callId, portableCopy(msg, settings.notPassedOn));
      },
      { ordered: true, failed: () => ({ fill: 'red', shape: 'ring', text: t('status.invalid') }) },
    );

    kit.onClose(() => {
      tracker.stop();
      // handed back once saved: another instance may follow them on at once
      return items.close();
    });
  });
};
