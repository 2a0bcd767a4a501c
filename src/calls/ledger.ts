import type { SharedState } from '../state/shared-state';
import type { Shape } from '../state/versioned';
import { InFlight } from './in-flight';

/** How long a claim is kept: a request's answer lost longer ago than this is not looked for. */
export const CLAIM_MEMORY_MS = 60 * 60_000;

/** The calls claimed lately, by id and time, as a server node saves them. */
export const CLAIMS: Shape<Array<[string, number]>> = {
  version: 1,
  migrations: [(older) => older],
  valid: (value) => (Array.isArray(value) ? value.filter(isClaim) : undefined),
};

function isClaim(value: unknown): value is [string, number] {
  return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number';
}

/** Where a server node's claims are kept across redeploys (its context) and instances (Redis). */
export interface ClaimStore {
  load(): Array<[callId: string, at: number]>;
  save(claims: Array<[callId: string, at: number]>): void;
}

/**
 * The calls already taken by an alarm or an escalation step of one server node's flows: a call
 * made is taken by whoever made it; a call found among the newest calls (its answer was lost)
 * is taken by the first to claim it. Two alarms with identical bodies therefore never take the
 * same call. While createCalls are on their way, a look-up waits for them, so that their makers
 * claim their own calls first (waiting for all of them costs a healthy server nothing, where
 * telling their bodies apart would cost every call).
 */
export class CallLedger {
  private readonly claims = new Map<string, number>();
  /** createCall requests on their way */
  private readonly inFlight = new InFlight();
  private saveTimer?: NodeJS.Timeout;

  constructor(
    private readonly store?: ClaimStore,
    private readonly shared?: SharedClaims,
    private readonly now: () => number = Date.now,
  ) {
    for (const [callId, at] of store?.load() ?? []) this.claims.set(callId, at);
  }

  /** Calls taken before, as an earlier version kept them elsewhere (in escalate nodes). */
  remember(claims: Array<[callId: string, at: number]>): void {
    for (const [callId, at] of claims) if (!this.claims.has(callId)) this.claims.set(callId, at);
  }

  /** Records `request`, a createCall, until it settles. */
  creating(request: Promise<unknown>): void {
    void this.inFlight.add(request);
  }

  /** Resolves once the createCalls on their way now have settled. */
  settled(): Promise<void> {
    return this.inFlight.settled();
  }

  /**
   * A call this node's flows made. False when another instance took it first for the lost
   * answer of an identical request (its look-up came before this answer): its maker then
   * takes that request's call, or makes one.
   */
  async own(callId: string): Promise<boolean> {
    this.record(callId);
    return (await this.shared?.claim(callId)) !== false;
  }

  /** Takes a call found among the newest; false when it is someone else's already. */
  async claim(callId: string): Promise<boolean> {
    if (this.claims.has(callId)) return false;
    this.record(callId);
    return (await this.shared?.claim(callId)) !== false;
  }

  /** Writes what is pending at once: the node is closing. */
  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.store?.save([...this.claims]);
  }

  private record(callId: string): void {
    const now = this.now();
    this.claims.set(callId, now);
    // a Map keeps insertion order: the oldest claims come first
    for (const [id, at] of this.claims) {
      if (now - at < CLAIM_MEMORY_MS) break;
      this.claims.delete(id);
    }
    // one write a second at most: a burst of alarms does not write the ledger once each
    if (this.store && !this.saveTimer) {
      this.saveTimer = setTimeout(() => this.flush(), 1_000);
      this.saveTimer.unref?.();
    }
  }
}

/** The claims of an active-active pair, in Redis: one key per call, set if not there. */
export class SharedClaims {
  constructor(
    private readonly shared: SharedState,
    private readonly serverId: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** true: this instance has it; false: another has; undefined: Redis could not say. */
  async claim(callId: string): Promise<boolean | undefined> {
    if (!this.shared.available) return undefined;
    const key = this.shared.keyOf(this.serverId, `claimed:${callId}`);
    try {
      const set = await this.shared.client.set(
        key,
        this.shared.instance,
        'PX',
        CLAIM_MEMORY_MS,
        'NX',
      );
      return set === 'OK';
    } catch (err) {
      this.onError(err);
      return undefined;
    }
  }
}
