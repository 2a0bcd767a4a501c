import type { Simulator } from '../../src/sim';

export type ReadListener = (user: string, callId: string, at: number) => void;

/**
 * Every getCallLogById the simulator answers, with the user whose token it carried: the simulator
 * checks the token (tokens.userOf) and answers the read in one synchronous run, so the user last
 * looked up is the reader. `?` is a read of no known user.
 */
export class ReadsByUser {
  private lastUser = '?';
  private readonly listeners = new Set<ReadListener>();

  constructor(sim: Simulator) {
    const userOf = sim.tokens.userOf.bind(sim.tokens);
    sim.tokens.userOf = (token, now) => {
      const user = userOf(token, now);
      this.lastUser = user ?? '?';
      return user;
    };
    sim.on('read', (callId) => {
      const at = performance.now();
      for (const listener of this.listeners) listener(this.lastUser, callId, at);
    });
  }

  /** Calls `listener` with each read from now on, until the function returned is called. */
  listen(listener: ReadListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the time of the first read for which `matches` holds; rejects after `ms`. */
  first(matches: (user: string, callId: string) => boolean, ms: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`no matching read within ${ms} ms`));
      }, ms);
      const stop = this.listen((user, callId, at) => {
        if (!matches(user, callId)) return;
        clearTimeout(timer);
        stop();
        resolve(at);
      });
    });
  }
}
