import { deepMerge } from './merge.ts';

describe('deepMerge', () => {
  it('merges mappings key by key and lets the override win for scalars, lists and nulls', () => {
    const base = { a: { b: 1, c: [1, 2], d: 'x' }, e: 1 };
    const over = { a: { c: [3], d: null }, f: 2 };
    expect(deepMerge(base, over)).toEqual({ a: { b: 1, c: [3], d: null }, e: 1, f: 2 });
    expect(base).toEqual({ a: { b: 1, c: [1, 2], d: 'x' }, e: 1 });
  });
});
