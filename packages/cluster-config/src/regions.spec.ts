import { BucketLocationConstraint } from '@aws-sdk/client-s3';
import { partitionOfRegion, regionProblems, REGIONS } from './regions.ts';

describe('regions', () => {
  it('knows every region the AWS SDK in node_modules knows (else: update regions.ts)', () => {
    const ours = new Set(Object.values(REGIONS).flat());
    const sdk = Object.values(BucketLocationConstraint).filter((r) => /^[a-z]+(-[a-z]+)+-\d+$/.test(r));
    expect(sdk.length).toBeGreaterThan(25);
    expect(sdk.filter((r) => !ours.has(r))).toEqual([]);
  });

  it('puts every listed region in the partition its prefix says', () => {
    for (const [partition, regions] of Object.entries(REGIONS)) {
      for (const region of regions) expect([region, partitionOfRegion(region)]).toEqual([region, partition]);
    }
  });

  it('accepts known regions of every partition', () => {
    for (const region of ['us-east-1', 'eu-central-2', 'cn-northwest-1', 'us-gov-west-1']) {
      expect(regionProblems(region)).toEqual([]);
    }
  });

  it('refuses the regions of the ISO partitions, which ccoctl gives partition aws, saying why', () => {
    expect(regionProblems('us-isob-east-1')).toEqual([
      'platform.region us-isob-east-1 is in the AWS partition aws-iso-b, which ccoctl does not know: it would write the ' +
        'ARNs of its OIDC bucket, provider and roles in partition aws. Use a region of aws, aws-us-gov, aws-cn',
    ]);
    for (const region of ['us-iso-east-1', 'eu-isoe-west-1', 'us-isof-south-1']) {
      expect(regionProblems(region)[0]).toContain('which ccoctl does not know');
    }
  });

  it('refuses a region that does not exist, suggests the nearest one and where to add a new one', () => {
    expect(regionProblems('us-east-3')).toEqual([
      'platform.region us-east-3 is not a region of the AWS partition aws (did you mean us-east-1?): fix platform.region. ' +
        'If AWS opened it recently, add it to packages/cluster-config/src/regions.ts',
    ]);
    expect(regionProblems('us-gov-north-1')[0]).toContain('is not a region of the AWS partition aws-us-gov');
    expect(regionProblems('cn-south-1')[0]).toContain('partition aws-cn (did you mean cn-north-1?)');
  });
});
