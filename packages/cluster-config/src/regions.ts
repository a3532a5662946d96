/*
 * The AWS regions of each partition, as a static list: the cluster generator refuses a region that does not exist,
 * and preflight refuses one before any resource is made in it. It lives with the model so that both read one list.
 * AWS adds regions every year, so THIS LIST NEEDS UPDATING from time to time: regions.spec.ts fails when the AWS SDK
 * in node_modules knows a region that is missing here (update the SDK, then this list).
 * Last checked against @aws-sdk/client-s3 3.1175 (BucketLocationConstraint) and the SDK's partitions table.
 */

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-e' | 'aws-iso-f';

export const REGIONS: Record<Partition, readonly string[]> = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
};

/** The partition a region name belongs to, from its prefix (as the AWS SDK and ccoctl derive it). */
export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  return 'aws';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The known region of the region's partition nearest to it by spelling, for a "did you mean". */
export function closestRegion(region: string): string | undefined {
  const known = REGIONS[partitionOfRegion(region)];
  return [...known].sort((a, b) => distance(region, a) - distance(region, b))[0];
}

/** The partitions ccoctl derives from a region (create_identity_provider.go's getPartition, release 4.16 to 4.21). */
const CCOCTL_PARTITIONS: readonly Partition[] = ['aws', 'aws-us-gov', 'aws-cn'];

/**
 * Why ccoctl cannot make a cluster's identity in the region's partition, when it cannot: it has no partition of the
 * ISO regions and gives them `aws`, so its bucket policy, provider and role ARNs would name the wrong partition. The
 * cluster.yaml rule (schema.ts) and regionProblems say it alike.
 */
export function unsupportedPartition(region: string): string | undefined {
  const partition = partitionOfRegion(region);
  if (CCOCTL_PARTITIONS.includes(partition)) return undefined;
  return (
    `${region} is in the AWS partition ${partition}, which ccoctl does not know: it would write the ARNs of its ` +
    `OIDC bucket, provider and roles in partition aws. Use a region of ${CCOCTL_PARTITIONS.join(', ')}`
  );
}

/** Problems with the region (none when it is a known region of a partition ccoctl knows), each with the fix. */
export function regionProblems(region: string): string[] {
  const unsupported = unsupportedPartition(region);
  if (unsupported) return [`platform.region ${unsupported}`];
  const partition = partitionOfRegion(region);
  const known = REGIONS[partition];
  if (known.includes(region)) return [];
  const closest = closestRegion(region);
  return [
    `platform.region ${region} is not a region of the AWS partition ${partition}` +
      `${closest ? ` (did you mean ${closest}?)` : ''}: fix platform.region. If AWS opened it recently, add it to ` +
      'packages/cluster-config/src/regions.ts',
  ];
}
