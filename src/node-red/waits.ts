/** Waits that a node's close cancels: each pending wait then rejects with `closedError()`. */
export class Waits {
  private readonly pending = new Set<{ timer: NodeJS.Timeout; cancel: () => void }>();

  constructor(private readonly closedError: () => Error) {}

  wait = (ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
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
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.cancel();
    }
    this.pending.clear();
  }
}
