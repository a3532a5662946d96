/*
 * AWS access for the ccoctl stand-in: SDK v3 clients with the default credential chain (AWS_PROFILE, AWS_REGION,
 * AWS_ACCESS_KEY_ID, ...). They honour AWS_ENDPOINT_URL, which is how tests and the sandbox reach the emulator; S3
 * then uses path-style addressing (`http://127.0.0.1:PORT/bucket`, never `bucket.127.0.0.1`).
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';

export interface AwsClients {
  iam: IAMClient;
  s3: S3Client;
  sts: STSClient;
  cloudfront: CloudFrontClient;
}

export function awsClients(region: string, env: NodeJS.ProcessEnv = process.env): AwsClients {
  const emulated = Boolean(env.AWS_ENDPOINT_URL ?? env.AWS_ENDPOINT_URL_S3);
  // Against an endpoint override there is no instance-metadata service to ask for credentials: never try one.
  if (emulated) env.AWS_EC2_METADATA_DISABLED ??= 'true';
  return {
    iam: new IAMClient({ region }),
    s3: new S3Client({ region, forcePathStyle: emulated }),
    sts: new STSClient({ region }),
    cloudfront: new CloudFrontClient({ region }),
  };
}

export interface Partition {
  id: 'aws' | 'aws-cn' | 'aws-us-gov';
  dnsSuffix: string;
}

/** The partition of a region, from its prefix (as ccoctl's endpoints.PartitionForRegion does for these three). */
export function partitionOf(region: string): Partition {
  if (region.startsWith('us-gov-')) return { id: 'aws-us-gov', dnsSuffix: 'amazonaws.com' };
  if (region.startsWith('cn-')) return { id: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' };
  return { id: 'aws', dnsSuffix: 'amazonaws.com' };
}

export const TAG_KEY_PREFIX = 'openshift.io/cloud-credential-operator';
export const OWNED = 'owned';
export const NAME_TAG_KEY = 'Name';

/** `openshift.io/cloud-credential-operator/<name>`: the tag that marks what ccoctl made for `name`. */
export function ownedTagKey(name: string): string {
  return `${TAG_KEY_PREFIX}/${name}`;
}

/** The two tags on everything ccoctl creates. */
export function ownedTags(name: string): { Key: string; Value: string }[] {
  return [
    { Key: ownedTagKey(name), Value: OWNED },
    { Key: NAME_TAG_KEY, Value: name },
  ];
}

/** The same tags as an S3 `x-amz-tagging` query string (PutObject's Tagging). */
export function ownedTagsQuery(name: string): string {
  return new URLSearchParams(ownedTags(name).map((tag): [string, string] => [tag.Key, tag.Value])).toString();
}

/** True when an AWS SDK error is of one of these kinds (by name or code). */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { Code?: unknown }).Code;
  return names.includes(error.name) || (typeof code === 'string' && names.includes(code));
}
