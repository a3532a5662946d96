/**
 * Keys longer than this get no suggestion. Known keys are at most 28 characters; a typo of one is not four times
 * as long, and the cap bounds the work of one suggestion (an edit distance is length x length).
 */
export const MAX_SUGGESTED_KEY_LENGTH = 64;

/** Edit distance (insert, delete, substitute, swap of neighbours) between two short strings. */
export function editDistance(a: string, b: string): number {
  // Three rows of the matrix suffice: the swap of neighbours looks two rows back.
  let before = new Uint32Array(b.length + 1);
  let previous = Uint32Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * The known key closest to `unknown`, if it is close enough to be a plausible typo. Also catches camelCase and
 * kebab-case spellings of snake_case keys (`baseDomain`, `base-domain` for `base_domain`).
 */
export function nearest(unknown: string, known: readonly string[]): string | undefined {
  if (unknown.length > MAX_SUGGESTED_KEY_LENGTH) return undefined;
  const canonical = (s: string) =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/-/g, '_')
      .toLowerCase();
  const wanted = canonical(unknown);
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(wanted, canonical(key));
    if (!best || distance < best.distance) best = { key, distance };
  }
  if (!best) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(wanted.length, best.key.length) / 3));
  return best.distance <= allowed ? best.key : undefined;
}
