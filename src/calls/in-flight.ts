/** Work on its way that someone waits for: each piece is kept until it settles. */
export class InFlight {
  private readonly pending = new Set<Promise<void>>();

  /** Keeps `work` until it settles, and gives it back to be awaited as it is. */
  add<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return work;
  }

  /** Resolves once the work on its way now has settled, however it did. */
  async settled(): Promise<void> {
    if (this.pending.size) await Promise.all([...this.pending]);
  }
}
