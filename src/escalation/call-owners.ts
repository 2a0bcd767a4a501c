import type { CallFollower, FollowedCall } from '../call-status/follower';
import type { Escalation } from './escalation';

/**
 * The calls the escalations made and follow, each with the escalation that owns it: the
 * follower tells of a call by its id, and an escalation that ends lets go of its own calls only.
 */
export class CallOwners {
  /** call id → escalation id */
  private readonly owners = new Map<string, string>();

  constructor(
    private readonly follower: CallFollower,
    private readonly now: () => number,
  ) {}

  ownerOf(callId: string): string | undefined {
    return this.owners.get(callId);
  }

  /** Follows `callId` for `owner`; `state`: what is known of it already. */
  follow(owner: Escalation, callId: string, state: Partial<FollowedCall>): void {
    this.owners.set(callId, owner.id);
    this.follower.follow(
      callId,
      {},
      {
        callId,
        context: {},
        startedAt: this.now(),
        lastEventId: null,
        joined: false,
        noJoinSent: false,
        ...state,
      },
    );
  }

  /** The follower ended the call: it follows it no more. */
  ended(callId: string): void {
    this.owners.delete(callId);
  }

  /** Stops following `callId`. */
  forget(callId: string): void {
    this.owners.delete(callId);
    this.follower.unfollow(callId);
  }

  /** Stops following the calls of `owner` that it still owns. */
  release(owner: Escalation): void {
    for (const { callId } of owner.calls) {
      if (this.owners.get(callId) === owner.id) this.forget(callId);
    }
  }

  /** Stops the follower's timers; nothing is followed after. */
  stop(): void {
    this.follower.stop();
  }
}
