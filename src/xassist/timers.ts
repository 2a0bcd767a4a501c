/** setTimeout cannot wait longer: a longer wait fires early, and its owner arms it again. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The timers of one owner (a session, a follower, an escalator): each runs once; a named one is
 * replaced when set again; clear() or close() ends them all, so that a close leaves none behind.
 * A timer never throws into the event loop: what its action throws goes to `onError`.
 */
export class Timers {
  /** each pending timer, with what runs instead of it when the timers are cleared */
  private readonly pending = new Map<NodeJS.Timeout, (() => void) | undefined>();
  private readonly named = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly onError: (error: unknown) => void) {}

  /**
   * Runs `action` after `ms`; clear() runs `onClear` instead, and so does a timer asked for
   * after close(). The returned function cancels it (neither then runs).
   */
  after(ms: number, action: () => void, onClear?: () => void): () => void {
    const timer = this.start(ms, action, onClear);
    return () => {
      if (timer) this.cancelTimer(timer);
    };
  }

  /** Runs `action` after `ms`, in place of the timer of the same name if one is pending. */
  set(name: string, ms: number, action: () => void): void {
    this.cancel(name);
    const timer = this.start(ms, () => {
      this.named.delete(name);
      action();
    });
    if (timer) this.named.set(name, timer);
  }

  /** Cancels the timer called `name`, if one is pending. */
  cancel(name: string): void {
    const timer = this.named.get(name);
    if (timer) this.cancelTimer(timer);
  }

  /** Ends every pending timer: each one's `onClear` runs, no action does. */
  clear(): void {
    const cleared = [...this.pending];
    for (const [timer] of cleared) clearTimeout(timer);
    this.pending.clear();
    this.named.clear();
    for (const [, onClear] of cleared) this.run(onClear);
  }

  /** clear(), and no timer after it: the owner is closing. */
  close(): void {
    this.closed = true;
    this.clear();
  }

  private start(ms: number, action: () => void, onClear?: () => void): NodeJS.Timeout | undefined {
    if (this.closed) {
      this.run(onClear);
      return undefined;
    }
    const timer = setTimeout(
      () => {
        this.pending.delete(timer);
        this.run(action);
      },
      Math.max(0, Math.min(ms, MAX_TIMER_MS)),
    );
    this.pending.set(timer, onClear);
    return timer;
  }

  private cancelTimer(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.pending.delete(timer);
    for (const [name, each] of this.named) if (each === timer) this.named.delete(name);
  }

  private run(action: (() => void) | undefined): void {
    try {
      action?.();
    } catch (err) {
      try {
        this.onError(err);
      } catch {
        // the owner's own report failed: nothing is left to tell, and a timer must not throw
      }
    }
  }
}
