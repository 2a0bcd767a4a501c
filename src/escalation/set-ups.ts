interface SetUp {
  cancelled: boolean;
  ready: Promise<void>;
}

/**
 * The escalations being set up (their users looked up), by id. A stop reaches a set-up under
 * way, and the repeats that wait for it; a repeat of an alarm waits for the set-up under way
 * and starts only if that one did not.
 */
export class SetUps {
  private readonly underWay = new Map<string, SetUp>();

  /**
   * Runs `setUp(isCancelled)` for `id` once no other set-up for it is under way, unless
   * `started()` says one runs by then. False when it did not run: a repeat, or stopped.
   */
  async run(
    id: string,
    started: () => boolean,
    setUp: (isCancelled: () => boolean) => Promise<void>,
  ): Promise<boolean> {
    for (let earlier = this.underWay.get(id); earlier; earlier = this.underWay.get(id)) {
      await earlier.ready;
      if (earlier.cancelled) return false;
    }
    if (started()) return false;
    let release!: () => void;
    const mine: SetUp = { cancelled: false, ready: new Promise((resolve) => (release = resolve)) };
    this.underWay.set(id, mine);
    try {
      await setUp(() => mine.cancelled);
      return true;
    } finally {
      this.underWay.delete(id);
      release();
    }
  }

  /** Stops the set-up of `id`, or every one. */
  cancel(id?: string): void {
    for (const [each, setUp] of this.underWay)
      if (id === undefined || each === id) setUp.cancelled = true;
  }
}
