/*
 * The leaves of the cluster.yaml model, which every section builds its keys from: each carries one `error` text that
 * says what it expects (the loader appends what it found and where).
 */
import { z } from 'zod';

/** A string that must match `re`; `expected` is the whole error text. */
export function matching(re: RegExp, expected: string) {
  return z.string({ error: expected }).regex(re, { error: expected });
}

export function wholeNumber(min: number, max?: number) {
  const expected =
    max === undefined ? `expected a whole number >= ${min}` : `expected a whole number from ${min} to ${max}`;
  const n = z.int({ error: expected }).min(min, { error: expected });
  return max === undefined ? n : n.max(max, { error: expected });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}` });
}

export const flag = z.boolean({ error: 'expected true or false' });
