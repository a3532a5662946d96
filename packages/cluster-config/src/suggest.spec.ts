import { editDistance, nearest } from './suggest.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['zone', 'zones', 1],
    ['region', 'regoin', 1], // a swap of neighbours counts once
    ['cco_mdoe', 'cco_mode', 1],
    ['kitten', 'sitting', 3],
  ])('%s -> %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('nearest', () => {
  const known = ['base_domain', 'hosted_zone_id', 'control_plane_replicas', 'compute_replicas', 'cco_mode'];

  it.each([
    ['base_domian', 'base_domain'],
    ['baseDomain', 'base_domain'],
    ['base-domain', 'base_domain'],
    ['BaseDomain', 'base_domain'],
    ['hostedZoneId', 'hosted_zone_id'],
    ['controlPlaneReplicas', 'control_plane_replicas'],
    ['compute_replica', 'compute_replicas'],
    ['cco-mode', 'cco_mode'],
  ])('suggests %s -> %s', (unknown, suggestion) => {
    expect(nearest(unknown, known)).toBe(suggestion);
  });

  it('suggests nothing for a key close to none', () => {
    expect(nearest('colour', known)).toBeUndefined();
    expect(nearest('x', known)).toBeUndefined();
  });

  it('suggests nothing when there is nothing to choose from', () => {
    expect(nearest('anything', [])).toBeUndefined();
  });
});
