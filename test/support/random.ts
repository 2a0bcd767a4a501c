import { Prng } from '../../src/sim/prng';

/** A seeded generator (mulberry32), so that a failing fuzz run can be repeated exactly. */
export class Random extends Prng {
  /** an integer in [0, max) */
  int(max: number): number {
    return this.between(0, max - 1);
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
