/**
 * Waits that a node's close cancels: each pending wait then rejects with `closedError()`, and so
 * does every wait asked for after it.
 */
export class Waits {
  private readonly pending = new Set<{ timer: NodeJS.Timeout; cancel: () => void }>();
  private closed = false;

  constructor(private readonly closedError: () => Error) {}

  wait = (ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
      if (this.closed) return reject(this.closedError());
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, ms),
        cancel: () => reject(this.closedError()),
      };
      this.pending.add(entry);
    });

  cancelAll(): void {
    this.closed = true;
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.cancel();
    }
    this.pending.clear();
  }
}
