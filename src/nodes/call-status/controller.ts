import type { NodeMessage } from 'node-red';
import { FieldError } from '../../mapping/field-error';
import { portableCopy } from '../../node-red/message';
import { MAX_CONCURRENT_POLLS, ReadFailures } from '../../node-red/reads';
import type { NodeKit } from '../../node-red/skeleton';
import type { ItemStore } from '../../state/items';
import { FOLLOWED } from '../../call-status/saved';
import { CallFollower, type FollowedCall, type FollowerOutput } from '../../call-status/follower';
import { callIdOf, messageOf, neverFound, placed, type InputMessage } from './messages';
import { CALL_ID, type CallStatusSettings } from './settings';

const OUTPUT = { event: 0, joined: 1, 'no-join': 2, ended: 3 } as const;
const CONTEXT_KEY = 'followed';

/**
 * call-status's work, Node-RED aside: the calls it follows, each read until it ends, one message
 * per new event; kept in its item store so that a restart or another instance follows them on.
 */
export class CallStatusController {
  private readonly items: ItemStore<FollowedCall>;
  private readonly reads: ReadFailures;
  private readonly follower: CallFollower;
  private lastEvent = '';

  constructor(
    private readonly kit: NodeKit,
    private readonly settings: CallStatusSettings,
  ) {
    this.items = kit.items({ key: CONTEXT_KEY, shape: FOLLOWED, idOf: (call) => call.callId });
    this.reads = new ReadFailures(kit.node, kit.show, kit.t, () => this.showStatus());
    this.follower = new CallFollower({
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
      emit: (output) => this.emit(output),
      save: (calls, changed) => this.items.save(calls, changed),
      onError: (err, callId, retryInMs) => this.reads.failed(err, callId, retryInMs),
      onRead: () => this.reads.succeeded(),
    });
  }

  /** The calls saved go on being followed, and the node's own call from now. */
  start(): void {
    const { node, t } = this.kit;
    const resumed = this.items.start({
      // its owner stopped: followed on from the last event it sent
      takeOver: (followed) => {
        node.debug(t('log.taken-over', { callId: followed.callId }));
        this.resume(followed);
      },
      lost: (callId) => this.follower.unfollow(callId),
      cancelled: (callId) => {
        this.follower.unfollow(callId);
        this.showStatus();
      },
    });
    for (const followed of resumed) this.resume(followed);
    if (this.settings.followAtStart) {
      this.follow(this.settings.followAtStart, {}).catch((err: Error) => node.error(err.message));
    }
  }

  /** A message names a call to follow, or (`msg.stop`) one or all to stop following. */
  async input(msg: InputMessage): Promise<void> {
    if (msg.stop === true) {
      // the message's own call, or all: the node's fixed call id does not narrow a stop
      const stopped = callIdOf(msg, undefined);
      this.follower.unfollow(stopped);
      this.showStatus();
      // with shared state, the instance following it hears of it too
      return this.items.cancel(stopped);
    }
    const callId = callIdOf(msg, this.settings.callId);
    if (!callId) throw new FieldError('callId', this.kit.t('errors.no-call-id'));
    await this.follow(callId, portableCopy(msg, this.settings.notPassedOn));
  }

  /** Hands the calls back once saved: another instance may follow them on at once. */
  close(): Promise<void> {
    this.follower.stop();
    return this.items.close();
  }

  /** Follows a call unless this or (with shared state) another instance does already. */
  private async follow(callId: string, context: Record<string, unknown>): Promise<void> {
    if (this.follower.has(callId)) return;
    const followed = this.follower.fresh(callId, context);
    if (await this.items.create(callId, followed)) this.follower.follow(callId, context, followed);
    this.showStatus();
  }

  private resume(followed: FollowedCall): void {
    if (CALL_ID.test(followed.callId)) {
      this.follower.follow(followed.callId, followed.context ?? {}, followed);
      this.showStatus();
    }
  }

  private emit(output: FollowerOutput): void {
    const { node, t, RED } = this.kit;
    if (output.kind === 'ended' && neverFound(output)) {
      node.warn(t('warn.no-such-call', { callId: output.followed.callId }));
    }
    const outputs: Array<NodeMessage | null> = [null, null, null, null];
    outputs[OUTPUT[output.kind]] = placed(
      messageOf(output),
      output.followed.context,
      this.settings.property,
      (msg, property, value) => RED.util.setMessageProperty(msg, property, value, true),
    );
    node.send(outputs);
    if (output.kind === 'event') this.lastEvent = output.event.type;
    this.showStatus();
  }

  private showStatus(): void {
    const count = this.follower.size;
    const text =
      this.kit.t('status.following', { count }) + (this.lastEvent ? `: ${this.lastEvent}` : '');
    this.kit.show(
      count || this.lastEvent ? { fill: 'green', shape: 'dot', text: text.slice(0, 30) } : {},
    );
  }
}
