/**
 * The edits that turn `a` into `b`: inserting, deleting or replacing a character, or swapping
 * two neighbours (a typo's usual kinds), each counting 1 (optimal string alignment distance).
 */
export function editDistance(a: string, b: string): number {
  const from = [...a];
  const to = [...b];
  let twoBack: number[] = [];
  let previous = Array.from({ length: to.length + 1 }, (_, j) => j);
  for (let i = 1; i <= from.length; i++) {
    const current = [i];
    for (let j = 1; j <= to.length; j++) {
      const replace = previous[j - 1] + (from[i - 1] === to[j - 1] ? 0 : 1);
      let distance = Math.min(previous[j] + 1, current[j - 1] + 1, replace);
      if (i > 1 && j > 1 && from[i - 1] === to[j - 2] && from[i - 2] === to[j - 1]) {
        distance = Math.min(distance, twoBack[j - 2] + 1);
      }
      current.push(distance);
    }
    twoBack = previous;
    previous = current;
  }
  return previous[to.length];
}

/** How many edits away a name of `length` characters may be to be taken for a typo. */
function mostEditsFor(length: number): number {
  return Math.min(3, Math.max(1, Math.ceil(length / 4)));
}

/**
 * The names among `candidates` that `name` is most likely a typo of, case aside: those fewest
 * edits away, if that is few for its length (`mostEditsFor`); at most `limit`, alphabetically.
 * A candidate equal to `name` is no suggestion.
 */
export function closeNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const target = name.toLowerCase();
  let fewest = mostEditsFor([...target].length);
  let closest: string[] = [];
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(target, candidate.toLowerCase());
    if (distance === 0 || distance > fewest) continue;
    if (distance < fewest) {
      fewest = distance;
      closest = [];
    }
    closest.push(candidate);
  }
  return closest.sort().slice(0, limit);
}
