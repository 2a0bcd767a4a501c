/**
 * Records the promise rejections that nothing handled: listen() in beforeEach, stop() in
 * afterEach, which returns what was recorded in between.
 */
export class UnhandledRejections {
  private seen: unknown[] = [];
  private readonly record = (reason: unknown) => this.seen.push(reason);

  listen(): void {
    this.seen = [];
    process.on('unhandledRejection', this.record);
  }

  stop(): unknown[] {
    process.removeListener('unhandledRejection', this.record);
    return this.seen;
  }
}
