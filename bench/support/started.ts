/**
 * Everything started, stopped in reverse order however the bench ends: after an error, and on
 * Ctrl+C or a kill of the bench (then it exits).
 */
export class Started {
  private readonly stops: Array<() => unknown> = [];
  private readonly onSignal = (signal: NodeJS.Signals) => {
    const exit = () => process.exit(signal === 'SIGINT' ? 130 : 143);
    setTimeout(exit, 20_000).unref();
    void this.stopAll().finally(exit);
  };

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  add(stop: () => unknown): void {
    this.stops.push(stop);
  }

  async stopAll(): Promise<void> {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    const stops = this.stops.splice(0).reverse();
    for (const stop of stops) {
      try {
        await stop();
      } catch (err) {
        console.error('bench cleanup:', err);
      }
    }
  }
}
