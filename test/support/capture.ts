import { inspect } from 'node:util';
import type { Logger } from '../../src/xassist';

/** Collects every text a user could see, to search it for secrets. */
export class Capture {
  readonly texts: string[] = [];

  readonly log: Logger = {
    debug: (message) => this.add(message),
    info: (message) => this.add(message),
    warn: (message) => this.add(message),
  };

  add(value: unknown): void {
    this.texts.push(typeof value === 'string' ? value : inspect(value, { depth: 8 }));
  }

  /** Awaits `promise` and records its error (message, JSON and inspection) or value. */
  async settle<T>(promise: Promise<T>): Promise<T | Error> {
    try {
      const value = await promise;
      this.add(value);
      return value;
    } catch (err) {
      this.add(err);
      this.add(JSON.stringify(err));
      this.add((err as Error).message);
      return err as Error;
    }
  }

  /** The secrets found in anything captured. */
  leaks(secrets: string[]): string[] {
    const all = this.texts.join('\n');
    const found = secrets.filter((secret) => secret && all.includes(secret));
    if (/Bearer [A-Za-z0-9]/.test(all)) found.push('a Bearer header');
    return found;
  }
}
