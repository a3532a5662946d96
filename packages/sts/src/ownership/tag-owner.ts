/*
 * After `ccoctl aws create-all` (not a dry run), the ccoctl step tags what ccoctl made for the sts name with the
 * owner tag (owner-tag.ts) and cluster.yaml's `tags` (which no ccoctl flag takes) wherever AWS takes a tag: the IAM roles of the run (TagRole), the IAM OIDC provider
 * (TagOpenIDConnectProvider), the OIDC bucket (PutBucketTagging, which replaces the whole set: the current tags are
 * read and written back with ours) and, for a private bucket, the CloudFront distribution (TagResource). The origin
 * access identity takes no tag. The provider, bucket and distribution are found as the leftovers scan finds them.
 * One line on stderr per kind of resource, naming what was tagged.
 */
import { TagResourceCommand } from '@aws-sdk/client-cloudfront';
import { TagOpenIDConnectProviderCommand, TagRoleCommand } from '@aws-sdk/client-iam';
import { GetBucketTaggingCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import {
  awsAnsweredCode,
  awsClients,
  awsErrorCode,
  clusterAwsTarget,
  createLimiter,
  explainAwsError,
  type AwsClients,
  type TagLike,
} from '@ocp-sts/aws';
import type { UserTags } from '@ocp-sts/cluster-config';
import { UserError, type ClusterStep } from '@ocp-sts/toolchain';
import type { CcoctlRecord } from '../ccoctl-output/layout.ts';
import { findStsResources } from '../inventory/scan.ts';
import type { BucketResource } from '../inventory/resources.ts';
import { foreignOwned, foreignOwnerProblem } from './foreign-owner.ts';
import { ownerTag, ownerTagText, withTags, type Tag } from './owner-tag.ts';

export interface OwnerTagging {
  cluster: string;
  stsName: string;
  /** The IAM roles ccoctl made or updated in this run (the record's). */
  roles: string[];
  /** Whether the issuer is served by CloudFront (its distribution is tagged too). */
  privateBucket: boolean;
  /** cluster.yaml's tags, put on each resource beside the owner tag. */
  userTags?: UserTags;
}

export interface Tagged {
  roles: string[];
  providers: string[];
  buckets: string[];
  distributions: string[];
}

/** An AWS failure of the tagging, in one line: what the user can act on (explainAwsError), else AWS's answer. */
function tagFailure(clients: AwsClients, call: string, what: string, error: unknown): unknown {
  const explained = explainAwsError(error, clients.target, call);
  if (explained !== error || !(error instanceof Error && '$metadata' in error)) return explained;
  return new UserError(`could not tag ${what} (${call}): AWS answered ${awsAnsweredCode(error)}: ${error.message}`);
}

async function tagCall(clients: AwsClients, call: string, what: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    throw tagFailure(clients, call, what, error);
  }
}

/** Reads the bucket's tags and writes them back with ours; resolves to how many other tags were kept. */
async function tagBucket(clients: AwsClients, bucket: BucketResource, ours: readonly Tag[]): Promise<number> {
  const s3 =
    bucket.region === clients.target.region ? clients.s3 : awsClients({ ...clients.target, region: bucket.region }).s3;
  let current: TagLike[] = [];
  try {
    current = (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket.name }))).TagSet ?? [];
  } catch (error) {
    if (awsErrorCode(error) !== 'NoSuchTagSet') {
      throw tagFailure(clients, 's3:GetBucketTagging', `the S3 bucket ${bucket.name}`, error);
    }
  }
  const tags = withTags(current, ours);
  await tagCall(clients, 's3:PutBucketTagging', `the S3 bucket ${bucket.name}`, () =>
    s3.send(new PutBucketTaggingCommand({ Bucket: bucket.name, Tagging: { TagSet: tags } })),
  );
  return tags.length - ours.length;
}

/**
 * Tags what ccoctl made for `stsName` with `ocp-sts.io/cluster=<cluster>` and the user tags; `log` is told one line
 * per kind. A user tag changed since is set anew; one removed from cluster.yaml stays (see the README). Refuses
 * (UserError) when something of the sts name is already another cluster's (preflight refuses that before ccoctl runs;
 * this is the last word, never a second owner).
 */
export async function tagOwnedResources(
  clients: AwsClients,
  what: OwnerTagging,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<Tagged> {
  const { cluster, stsName } = what;
  const found = await findStsResources(clients, { stsName });
  const [foreign] = foreignOwned(found, cluster);
  if (foreign) throw new UserError(foreignOwnerProblem(foreign, { stsName, cluster }));
  const userTags = Object.entries(what.userTags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const tags = [ownerTag(cluster), ...userTags];
  const head =
    `owner tag ${ownerTagText(cluster)}` +
    (userTags.length
      ? ` and ${userTags.length} user tag${userTags.length === 1 ? '' : 's'} (${userTags.map((t) => t.Key).join(', ')})`
      : '');
  const limit = createLimiter(4);
  const tagged: Tagged = { roles: [], providers: [], buckets: [], distributions: [] };

  await Promise.all(
    what.roles.map((role) =>
      limit(() =>
        tagCall(clients, 'iam:TagRole', `the IAM role ${role}`, () =>
          clients.iam.send(new TagRoleCommand({ RoleName: role, Tags: tags })),
        ),
      ),
    ),
  );
  tagged.roles = [...what.roles];
  if (tagged.roles.length) {
    log(
      `${head} on ${tagged.roles.length} IAM role${tagged.roles.length === 1 ? '' : 's'} (iam:TagRole): ${tagged.roles.join(', ')}`,
    );
  }

  for (const r of found) {
    if (r.kind === 'oidc-provider') {
      await tagCall(clients, 'iam:TagOpenIDConnectProvider', `the IAM OIDC provider ${r.arn}`, () =>
        clients.iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: r.arn, Tags: tags })),
      );
      tagged.providers.push(r.arn);
      log(`${head} on the IAM OIDC provider ${r.arn} (iam:TagOpenIDConnectProvider)`);
    } else if (r.kind === 's3-bucket') {
      const kept = await tagBucket(clients, r, tags);
      tagged.buckets.push(r.name);
      log(
        `${head} on the S3 bucket ${r.name} (s3:PutBucketTagging, its ${kept} other tag${kept === 1 ? '' : 's'} kept)`,
      );
    } else if (r.kind === 'cloudfront-distribution' && what.privateBucket) {
      await tagCall(clients, 'cloudfront:TagResource', `the CloudFront distribution ${r.id}`, () =>
        clients.cloudfront.send(new TagResourceCommand({ Resource: r.arn, Tags: { Items: tags } })),
      );
      tagged.distributions.push(r.id);
      log(`${head} on the CloudFront distribution ${r.id} (cloudfront:TagResource)`);
    }
  }
  return tagged;
}

/** The ccoctl step's call: tags what this run of ccoctl made; nothing for a dry run, which made nothing. */
export async function tagCcoctlOwner(
  step: ClusterStep,
  record: CcoctlRecord,
  userTags: UserTags,
  clients?: AwsClients,
): Promise<void> {
  if (record.dryRun) return;
  const aws = clients ?? awsClients({ ...clusterAwsTarget(step.loaded.cluster), region: record.region });
  await tagOwnedResources(aws, {
    cluster: step.loaded.cluster.name,
    stsName: record.stsName,
    roles: record.roles.map((r) => r.role),
    privateBucket: record.privateBucket,
    userTags,
  });
}
