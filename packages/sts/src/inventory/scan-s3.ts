/*
 * The S3 part of the scan: ccoctl's OIDC bucket `<sts_name>-oidc` with its objects. For one sts name, the bucket of
 * that name wherever it is (HeadBucket says the region); for the whole account, every bucket of the given regions
 * that is tagged for some sts name.
 */
import {
  GetBucketTaggingCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { awsStatus, explainAwsError, isNotFound, oidcBucketName, type TagLike } from '@ocp-sts/aws';
import type { BucketResource } from './resources.ts';
import { find, ownerField, type Scan } from './scan-context.ts';

/** The bucket's tags ([] when it has none); undefined when the bucket is gone. */
async function bucketTags(scan: Scan, s3: S3Client, bucket: string): Promise<TagLike[] | undefined> {
  const read = await scan.aws.read('s3:GetBucketTagging', () =>
    s3.send(new GetBucketTaggingCommand({ Bucket: bucket })),
  );
  if (read.found) return read.value.TagSet ?? [];
  return read.code === 'NoSuchTagSet' ? [] : undefined;
}

async function bucketObjects(scan: Scan, s3: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await find(scan, 's3:ListObjectsV2', () =>
      s3.send(new ListObjectsV2Command({ Bucket: bucket, ...(token && { ContinuationToken: token }) })),
    );
    keys.push(...(page?.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
    token = page?.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function bucketResources(scan: Scan, bucket: string, region: string, named: boolean): Promise<BucketResource[]> {
  const s3 = scan.s3For(region);
  const tags = await bucketTags(scan, s3, bucket);
  if (!tags) return [];
  const owners = scan.owners(tags, named);
  if (owners.length === 0) return [];
  const objects = await bucketObjects(scan, s3, bucket);
  return owners.map(({ stsName, match }) => ({
    kind: 's3-bucket',
    stsName,
    match,
    ...ownerField(tags),
    name: bucket,
    region,
    objects,
  }));
}

/** The bucket `<sts_name>-oidc`, wherever it is (HeadBucket says which region). */
export async function findOwnBucket(scan: Scan, stsName: string): Promise<BucketResource[]> {
  const bucket = oidcBucketName(stsName);
  const { target, s3 } = scan.aws.clients;
  let region: string | undefined;
  try {
    // HeadBucket judges its own errors: a 403 and a 301 (another region) are answers here, not failures.
    const head = await scan.aws.limit(() => s3.send(new HeadBucketCommand({ Bucket: bucket })));
    region = head.BucketRegion ?? target.region;
  } catch (error) {
    if (isNotFound(error)) return [];
    if (awsStatus(error) === 403) {
      // Another account's bucket (names are global), or one this identity may not read: say so, do not guess.
      scan.warn(
        `the S3 bucket ${bucket} answers 403 Forbidden: it belongs to another account, or s3:ListBucket is denied`,
      );
      return [];
    }
    const moved = (error as { $response?: { headers?: Record<string, string> } }).$response?.headers?.[
      'x-amz-bucket-region'
    ];
    if (!moved) throw explainAwsError(error, target, 's3:HeadBucket');
    region = moved;
  }
  return bucketResources(scan, bucket, region, true);
}

export async function findTaggedBuckets(scan: Scan, region: string): Promise<BucketResource[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await find(scan, 's3:ListBuckets', () =>
      scan
        .s3For(region)
        .send(new ListBucketsCommand({ BucketRegion: region, ...(token && { ContinuationToken: token }) })),
    );
    names.push(...(page?.Buckets ?? []).flatMap((b) => (b.Name ? [b.Name] : [])));
    token = page?.ContinuationToken;
  } while (token);
  const found = await Promise.all(names.map((name) => bucketResources(scan, name, region, false)));
  return found.flat();
}
