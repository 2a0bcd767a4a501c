import type { Simulator } from '../../src/sim';
import type { CallEvent, CallLog } from '../../src/xassist';

/** A call the simulator created, and when (epoch ms, as the simulator saw it). */
export interface CreatedCall {
  call: CallLog;
  at: number;
  invitees: string[];
}

/**
 * Scripts who answers: `userId` joins each call they are invited to `afterMs` after it is
 * created. Records every call created; stop() clears the timers.
 */
export class Answers {
  readonly created: CreatedCall[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly rules = new Map<string, number>();
  private readonly listener = (callId: string, event: CallEvent) => this.onEvent(callId, event);

  constructor(private readonly sim: Simulator) {
    sim.on('event', this.listener);
  }

  /** `userId` joins the calls made from now on, `afterMs` after each is created. */
  joins(userId: string, afterMs: number): this {
    this.rules.set(userId, afterMs);
    return this;
  }

  /** Resolves once `count` calls have been created in all. */
  async untilCreated(count: number): Promise<void> {
    while (this.created.length < count)
      await new Promise((resolve) => this.sim.once('event', resolve));
  }

  stop(): void {
    this.sim.off('event', this.listener);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private onEvent(callId: string, event: CallEvent): void {
    if (event.type !== 'Created') return;
    const call = this.sim.calls.get(callId);
    if (!call) return;
    const invitees = (call.invitedContacts ?? []).map((contact) => String(contact.userId));
    this.created.push({ call, at: Date.now(), invitees });
    for (const userId of invitees) {
      const afterMs = this.rules.get(userId);
      if (afterMs === undefined) continue;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.sim.calls.get(callId)?.callStatus !== 'Ended') this.sim.calls.join(callId, userId);
      }, afterMs);
      this.timers.add(timer);
    }
  }
}
