export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

/** Exponential back-off with "equal jitter": each wait is between half and all of the step. */
export class Backoff {
  private attempts = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const step = Math.min(this.policy.maxMs, this.policy.initialMs * 2 ** this.attempts);
    this.attempts = Math.min(this.attempts + 1, 30);
    return Math.round(step / 2 + (this.random() * step) / 2);
  }

  reset(): void {
    this.attempts = 0;
  }
}
