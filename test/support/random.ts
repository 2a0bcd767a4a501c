/** A seeded generator (mulberry32), so that a failing fuzz run can be repeated exactly. */
export class Random {
  constructor(private seed: number) {}

  next(): number {
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { inner: value };
  return value;
}

/** Values people and machines send by mistake: wrong types, huge, deep, hostile keys. */
export function junk(random: Random): unknown {
  const makers: Array<() => unknown> = [
    () => null,
    () => undefined,
    () => random.int(1e6) - 5e5,
    () => random.pick([NaN, Infinity, -Infinity, -0, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2]),
    () => random.chance(0.5),
    () => '',
    () => ' ',
    () => 'x'.repeat(random.pick([1, 50, 1001, 100_000])),
    () =>
      random.pick([
        'expert1',
        'nobody',
        'EXPERT1',
        'a@b',
        '@',
        'SFU',
        'mesh',
        'VIDEO',
        '2026-13-45T99:99',
        'true',
        '0',
        '12',
      ]),
    () => '\u0000\uFFFF\uD800 émoji 🚨 <script>alert(1)</script>',
    () => [],
    () => [junkShallow(random), junkShallow(random)],
    () => ({}),
    () => nested(random.pick([10, 200, 1000])),
    () =>
      JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
    () => Buffer.from('payload'),
    () => new Date(random.pick([0, Date.now(), NaN])),
    () => () => 'a function',
    () => Symbol('s'),
    () => BigInt(7),
  ];
  return random.pick(makers)();
}

function junkShallow(random: Random): unknown {
  return random.pick([null, 1, 'expert1', true, {}, [], { userId: 'expert1' }, { userDbId: 'x' }]);
}
