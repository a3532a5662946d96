import { foreignOwned } from './foreign-owner.ts';
import { OWNER_TAG_KEY, ownerOf, withOwnerTag, withTags } from './owner-tag.ts';
import type { StsResource } from '../inventory/resources.ts';

describe('the owner tag', () => {
  it('is read from a tag set, and absent on what was made before it (or by hand)', () => {
    expect(
      ownerOf([
        { Key: 'Name', Value: 'x' },
        { Key: OWNER_TAG_KEY, Value: 'prod' },
      ]),
    ).toBe('prod');
    expect(ownerOf([{ Key: 'Name', Value: 'x' }])).toBeUndefined();
    expect(ownerOf([{ Key: OWNER_TAG_KEY, Value: '' }])).toBeUndefined();
    expect(ownerOf(undefined)).toBeUndefined();
  });

  it('is merged into a bucket’s tag set: every other tag kept, a previous owner replaced', () => {
    const ccoctl = [
      { Key: 'openshift.io/cloud-credential-operator/x', Value: 'owned' },
      { Key: 'Name', Value: 'x' },
    ];
    expect(withOwnerTag(ccoctl, 'prod')).toEqual([...ccoctl, { Key: OWNER_TAG_KEY, Value: 'prod' }]);
    expect(withOwnerTag([...ccoctl, { Key: OWNER_TAG_KEY, Value: 'old' }], 'prod')).toEqual([
      ...ccoctl,
      { Key: OWNER_TAG_KEY, Value: 'prod' },
    ]);
    expect(withOwnerTag(undefined, 'prod')).toEqual([{ Key: OWNER_TAG_KEY, Value: 'prod' }]);
  });

  it('sets user tags the same way: a changed value replaced, every tag of others kept', () => {
    const current = [
      { Key: 'Name', Value: 'x' },
      { Key: 'cost-center', Value: '1000' },
    ];
    const ours = [
      { Key: OWNER_TAG_KEY, Value: 'prod' },
      { Key: 'cost-center', Value: '4711' },
    ];
    expect(withTags(current, ours)).toEqual([{ Key: 'Name', Value: 'x' }, ...ours]);
  });
});

describe('foreignOwned', () => {
  const role = (name: string, owner?: string): StsResource => ({
    kind: 'iam-role',
    stsName: 'x',
    match: 'tag',
    ...(owner && { owner }),
    name,
    arn: `arn:aws:iam::1:role/${name}`,
    inlinePolicies: [],
    attachedPolicies: [],
  });
  const identity: StsResource = {
    kind: 'cloudfront-origin-access-identity',
    stsName: 'x',
    match: 'tag',
    owner: 'b',
    id: 'E1',
    comment: '',
  };

  it('groups by the other cluster what carries its owner tag, and passes over ours and the untagged', () => {
    const found = foreignOwned(
      [role('x-2', 'b'), role('x-1', 'b'), role('x-3'), role('x-4', 'a'), role('x-5', 'c'), identity],
      'a',
    );
    expect(found.map((f) => [f.owner, f.resources.map((r) => (r.kind === 'iam-role' ? r.name : r.kind))])).toEqual([
      ['b', ['x-1', 'x-2']],
      ['c', ['x-5']],
    ]);
  });
});
