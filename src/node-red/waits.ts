import { Timers } from '../xassist/timers';

/**
 * Waits that a node's close cancels: each pending wait then rejects with `closedError()`, and so
 * does every wait asked for after it.
 */
export class Waits {
  // resolve and reject throw nothing: there is no error to report
  private readonly timers = new Timers(() => undefined);

  constructor(private readonly closedError: () => Error) {}

  wait = (ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
      this.timers.after(ms, resolve, () => reject(this.closedError()));
    });

  cancelAll(): void {
    this.timers.close();
  }
}
