/** One value of each parameter: `case[k]` is the index of parameter k's value. */
export type Case = number[];

/**
 * A small set of cases in which every two values of two different parameters meet at least
 * once, for parameters with `sizes[k]` values each: built greedily, one case at a time, as AETG
 * does (start from a pair not met yet, then give each other parameter the value that meets the
 * most pairs not met yet), and the same at every run. All combinations would be the product of
 * the sizes; this is near the product of the two largest.
 */
export function pairwise(sizes: readonly number[]): Case[] {
  const unmet = new Map<string, [number, number, number, number]>();
  for (let i = 0; i < sizes.length; i++) {
    for (let j = i + 1; j < sizes.length; j++) {
      for (let a = 0; a < sizes[i]; a++) {
        for (let b = 0; b < sizes[j]; b++) unmet.set(pairKey(i, a, j, b), [i, a, j, b]);
      }
    }
  }
  const cases: Case[] = [];
  while (unmet.size > 0) {
    const [i, a, j, b] = unmet.values().next().value!;
    const chosen: Case = sizes.map(() => -1);
    chosen[i] = a;
    chosen[j] = b;
    for (let k = 0; k < sizes.length; k++) {
      if (chosen[k] < 0) chosen[k] = bestValue(k, sizes[k], chosen, unmet);
    }
    for (const [m, n] of pairsOf(chosen.length)) unmet.delete(pairKey(m, chosen[m], n, chosen[n]));
    cases.push(chosen);
  }
  return cases;
}

/** Every pair of values of two parameters that `cases` do not meet: none, for a pairwise set. */
export function unmetPairs(sizes: readonly number[], cases: readonly Case[]): string[] {
  const met = new Set(
    cases.flatMap((each) => pairsOf(sizes.length).map(([m, n]) => pairKey(m, each[m], n, each[n]))),
  );
  const unmet: string[] = [];
  for (const [i, j] of pairsOf(sizes.length)) {
    for (let a = 0; a < sizes[i]; a++) {
      for (let b = 0; b < sizes[j]; b++) {
        if (!met.has(pairKey(i, a, j, b))) unmet.push(pairKey(i, a, j, b));
      }
    }
  }
  return unmet;
}

/** The value of parameter `k` that meets the most pairs not met yet with the values chosen. */
function bestValue(k: number, size: number, chosen: Case, unmet: ReadonlyMap<string, unknown>) {
  let best = 0;
  let bestCount = -1;
  for (let value = 0; value < size; value++) {
    let count = 0;
    chosen.forEach((other, m) => {
      if (m === k || other < 0) return;
      if (unmet.has(m < k ? pairKey(m, other, k, value) : pairKey(k, value, m, other))) count++;
    });
    if (count > bestCount) [best, bestCount] = [value, count];
  }
  return best;
}

function pairsOf(count: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let m = 0; m < count; m++) for (let n = m + 1; n < count; n++) pairs.push([m, n]);
  return pairs;
}

/** Parameter `i`'s value `a` with parameter `j`'s value `b`, `i` before `j`. */
function pairKey(i: number, a: number, j: number, b: number): string {
  return `${i}=${a} ${j}=${b}`;
}
