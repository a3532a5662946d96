/*
 * Is the OIDC bucket name free? S3 bucket names are global across all AWS accounts: when `<sts_name>-oidc` is taken
 * by someone else, ccoctl fails half-way (after the key pair, before any role) or, worse, reuses a bucket it does not
 * own. HeadBucket answers 404 (free), 403 (another account's) or 200 (readable: ours if tagged for the sts name).
 */
import { GetBucketTaggingCommand, HeadBucketCommand, ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  awsErrorCode,
  awsStatus,
  explainAwsError,
  isNotFound,
  isOwnedBy,
  oidcBucketName,
  OWNED,
  ownedTagKey,
  ownerStsNames,
  type AwsTarget,
  type TagLike,
} from '@ocp-sts/aws';

export type BucketVerdict =
  | { state: 'free'; bucket: string }
  | { state: 'ours'; bucket: string }
  | { state: 'taken'; bucket: string; problem: string };

/** Just the client part preflight needs, so that tests can hand in a stub that throws what AWS would. */
export type S3Sender = Pick<S3Client, 'send'>;

const NEW_NAME = 'choose another credentials.sts_name (nx g @ocp-sts/nx-plugin:cluster picks a random suffix)';

async function tagsOf(s3: S3Sender, target: AwsTarget, bucket: string): Promise<TagLike[]> {
  try {
    return (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
  } catch (error) {
    if (awsErrorCode(error) === 'NoSuchTagSet') return [];
    throw explainAwsError(error, target, 's3:GetBucketTagging');
  }
}

/** Whether the bucket is in this account's ListBuckets; undefined when the identity may not list buckets. */
async function inOurAccount(s3: S3Sender, target: AwsTarget, bucket: string): Promise<boolean | undefined> {
  try {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListBucketsCommand({ ...(token && { ContinuationToken: token }) }));
      if (page.Buckets?.some((b) => b.Name === bucket)) return true;
      token = page.ContinuationToken;
    } while (token);
    return false;
  } catch (error) {
    const explained = explainAwsError(error, target, 's3:ListBuckets');
    if ((explained as { kind?: string }).kind === 'access-denied') return undefined;
    throw explained;
  }
}

/** Where `<sts_name>-oidc` stands: free, already ours, or taken (with the problem and the fix). */
export async function checkOidcBucket(s3: S3Sender, target: AwsTarget, stsName: string): Promise<BucketVerdict> {
  const bucket = oidcBucketName(stsName);
  let region: string | undefined;
  try {
    region = (await s3.send(new HeadBucketCommand({ Bucket: bucket }))).BucketRegion;
  } catch (error) {
    const status = awsStatus(error);
    if (isNotFound(error)) return { state: 'free', bucket };
    if (status === 403) {
      return {
        state: 'taken',
        bucket,
        problem:
          `the S3 bucket ${bucket} (the OIDC issuer of sts_name ${stsName}) exists and belongs to another AWS account ` +
          `(HeadBucket answers 403 Forbidden; bucket names are global): ${NEW_NAME}`,
      };
    }
    if (status === 301 || awsErrorCode(error) === 'PermanentRedirect') {
      region = (error as { $response?: { headers?: Record<string, string> } }).$response?.headers?.[
        'x-amz-bucket-region'
      ];
      region ??= 'another region';
    } else {
      throw explainAwsError(error, target, 's3:HeadBucket');
    }
  }
  if (region && region !== target.region) {
    return {
      state: 'taken',
      bucket,
      problem:
        `the S3 bucket ${bucket} already exists in ${region}, not in platform.region ${target.region}: ccoctl would ` +
        `reuse it and publish an issuer URL in the wrong region. Delete it if it is a leftover, or ${NEW_NAME}`,
    };
  }
  const tags = await tagsOf(s3, target, bucket);
  if (isOwnedBy(tags, stsName)) return { state: 'ours', bucket };
  const others = ownerStsNames(tags).filter((n) => n !== stsName);
  const mine = await inOurAccount(s3, target, bucket);
  if (mine === false) {
    return {
      state: 'taken',
      bucket,
      problem:
        `the S3 bucket ${bucket} (the OIDC issuer of sts_name ${stsName}) exists in another AWS account ` +
        `(bucket names are global): ${NEW_NAME}`,
    };
  }
  const what = others.length
    ? `tagged for another sts_name (${others.map((n) => ownedTagKey(n)).join(', ')})`
    : `not tagged ${ownedTagKey(stsName)}=${OWNED}`;
  return {
    state: 'taken',
    bucket,
    problem:
      `the S3 bucket ${bucket} already exists${mine ? ' in this account' : ''} but is ${what}, so it is not this ` +
      `cluster's OIDC bucket: ${NEW_NAME}` +
      (others.length
        ? ', or, if that sts_name belongs to no cluster any more, delete its orphans (npm run leftovers -- --delete)'
        : ', or delete the bucket if nothing uses it'),
  };
}
