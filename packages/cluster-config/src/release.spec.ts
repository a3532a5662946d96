import { compareVersions, updateKind } from './release.ts';

describe('updateKind', () => {
  it.each([
    ['4.16.3', '4.16.3', 'none'],
    ['4.18.6', '4.18.40', 'patch'],
    ['4.16.3', '4.17.9', 'minor'],
    ['4.17.9', '4.18.40', 'minor'],
    ['4.16.3', '4.18.40', 'skip'],
    ['4.18.40', '5.0.0', 'skip'],
    ['4.18.40', '4.18.6', 'downgrade'],
    ['4.17.9', '4.16.3', 'downgrade'],
  ])('%s -> %s is %s', (from, to, kind) => {
    expect(updateKind(from, to)).toBe(kind);
  });

  it('orders patch numbers as numbers, not text', () => {
    expect(compareVersions('4.18.40', '4.18.6')).toBeGreaterThan(0);
    expect(['4.18.40', '4.17.9', '4.18.6'].sort(compareVersions)).toEqual(['4.17.9', '4.18.6', '4.18.40']);
  });
});
