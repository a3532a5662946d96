/*
 * `ccoctl aws delete --name N --region R` (ccoctl's deleteCmd): deletes what create-all made for N, found by the
 * `openshift.io/cloud-credential-operator/N` tag, in ccoctl's order: the bucket's tagged objects, the bucket,
 * CloudFront distributions carrying the tag (disabled first), the origin access identities (found by their comment),
 * every IAM role carrying the tag (inline policies first; tags read with ListRoleTags, as the Resource Groups Tagging
 * API never returns IAM roles), then the OIDC provider (found with ListOpenIDConnectProviderTags). Every error is only logged: the command exits 0 even when something is left behind,
 * so a caller must check what is left itself.
 *
 * Test hook: STANDIN_CCOCTL_DELETE_SKIP_ROLE=<role>[,<role>...] makes delete fail on those roles and leave them (with
 * their policies) behind, still exiting 0, so that a pipeline's destroy can be shown to notice.
 */
import {
  DeleteDistributionCommand,
  DeleteCloudFrontOriginAccessIdentityCommand,
  GetCloudFrontOriginAccessIdentityCommand,
  GetDistributionCommand,
  ListCloudFrontOriginAccessIdentitiesCommand,
  UpdateDistributionCommand,
  type CloudFrontClient,
} from '@aws-sdk/client-cloudfront';
import {
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  type IAMClient,
  type Tag,
} from '@aws-sdk/client-iam';
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketTaggingCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isAwsError, ownedTagKey, type AwsClients } from './aws.ts';
import { bucketNameFor, distributionsOwnedBy, providerOwnedBy } from './identity-provider.ts';
import { errorMessage, log, wrap } from './log.ts';

export const SKIP_ROLE_ENV = 'STANDIN_CCOCTL_DELETE_SKIP_ROLE';
const DEPLOYED = 'Deployed';

async function deleteOIDCObjectsFromBucket(s3: S3Client, bucket: string, name: string): Promise<void> {
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ...(token && { ContinuationToken: token }) }));
    } catch (error) {
      throw wrap(error, `failed to fetch list of Identity Provider objects in the bucket ${bucket}`);
    }
    for (const object of page.Contents ?? []) {
      const key = object.Key!;
      let tags;
      try {
        tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        throw wrap(error, `failed to fetch tags of Identity Provider object ${key} in the bucket ${bucket}`);
      }
      if (!tags.TagSet?.some((tag) => tag.Key === ownedTagKey(name))) continue;
      try {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        throw wrap(error, `failed to delete Identity Provider object ${key} in the bucket ${bucket}`);
      }
      log(`Identity Provider object ${key} deleted from the bucket ${bucket}`);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

async function deleteOIDCBucket(s3: S3Client, bucket: string, name: string): Promise<void> {
  let tags;
  try {
    tags = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
  } catch (error) {
    throw wrap(error, `failed to fetch tags of the bucket ${bucket}`);
  }
  if (!tags.TagSet?.some((tag) => tag.Key === ownedTagKey(name))) return;
  try {
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    throw wrap(error, `failed to delete the Identity Provider bucket ${bucket}`);
  }
  log(`Identity Provider bucket ${bucket} deleted`);
}

async function deleteCloudFrontDistributions(cloudfront: CloudFrontClient, name: string): Promise<void> {
  let owned;
  try {
    owned = await distributionsOwnedBy(cloudfront, name);
  } catch (error) {
    throw wrap(error, 'failed to fetch a list of CloudFront distributions');
  }
  for (const { Id: id } of owned) {
    let current;
    try {
      current = await cloudfront.send(new GetDistributionCommand({ Id: id }));
    } catch (error) {
      throw wrap(error, `failed to get CloudFront Distribution with ID ${id ?? ''}`);
    }
    const config = current.Distribution?.DistributionConfig;
    if (!config) throw new Error(`CloudFront Distribution with ID ${id ?? ''} has no configuration`);
    let updated;
    try {
      updated = await cloudfront.send(
        new UpdateDistributionCommand({
          Id: id,
          IfMatch: current.ETag,
          DistributionConfig: { ...config, Enabled: false },
        }),
      );
    } catch (error) {
      throw wrap(error, `failed to disable CloudFront Distribution with ID ${id ?? ''}`);
    }
    for (;;) {
      const status = (await cloudfront.send(new GetDistributionCommand({ Id: id }))).Distribution?.Status;
      if (status === DEPLOYED) {
        log(`CloudFront distribution with ID ${id ?? ''} is successfully disabled`);
        break;
      }
      log(`Waiting 30s for CloudFront distribution with ID ${id ?? ''} to be disabled...`);
      await new Promise((resolve) => setTimeout(resolve, 30_000));
    }
    try {
      await cloudfront.send(new DeleteDistributionCommand({ Id: id, IfMatch: updated.ETag }));
    } catch (error) {
      throw wrap(error, `failed to delete CloudFront distribution with ID ${id ?? ''}`);
    }
    log(`CloudFront distribution with ID ${id ?? ''} deleted`);
  }
}

/** ccoctl's origin access identities, found by their comment (the owner tag key). */
async function deleteCloudFrontOriginAccessIdentities(cloudfront: CloudFrontClient, name: string): Promise<void> {
  const ids: string[] = [];
  try {
    let marker: string | undefined;
    do {
      const page = await cloudfront.send(
        new ListCloudFrontOriginAccessIdentitiesCommand({ ...(marker && { Marker: marker }) }),
      );
      const list = page.CloudFrontOriginAccessIdentityList;
      for (const item of list?.Items ?? []) {
        if (item.Comment === ownedTagKey(name) && item.Id) ids.push(item.Id);
      }
      marker = list?.IsTruncated ? list.NextMarker : undefined;
    } while (marker);
  } catch (error) {
    throw wrap(error, 'failed to fetch a list of CloudFront origin access identities');
  }
  for (const id of ids) {
    let current;
    try {
      current = await cloudfront.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: id }));
    } catch (error) {
      throw wrap(error, `failed to get the CloudFront origin access identity with ID ${id}`);
    }
    try {
      await cloudfront.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: id, IfMatch: current.ETag }));
    } catch (error) {
      throw wrap(error, `failed to delete the CloudFront origin access identity with ID ${id}`);
    }
    log(`CloudFront origin access identity with ID ${id} deleted`);
  }
}

async function roleTags(iam: IAMClient, roleName: string): Promise<Tag[]> {
  const tags: Tag[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRoleTagsCommand({ RoleName: roleName, ...(marker && { Marker: marker }) }));
    tags.push(...(page.Tags ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return tags;
}

async function deleteRolePolicies(iam: IAMClient, roleName: string): Promise<void> {
  let policies;
  try {
    policies = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
  } catch (error) {
    throw wrap(error, `failed to fetch a list of policies associated with IAM role ${roleName}`);
  }
  for (const policyName of policies.PolicyNames ?? []) {
    try {
      await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
    } catch (error) {
      throw wrap(error, `failed to delete policy ${policyName} associated with IAM Role ${roleName}`);
    }
    log(`Policy ${policyName} associated with IAM Role ${roleName} deleted`);
  }
}

async function deleteIAMRoles(iam: IAMClient, name: string, skip: Set<string>): Promise<void> {
  const owned: string[] = [];
  let marker: string | undefined;
  do {
    let page;
    try {
      page = await iam.send(new ListRolesCommand({ ...(marker && { Marker: marker }) }));
    } catch (error) {
      throw wrap(error, `failed to fetch a list of IAM roles, pagination marker: ${marker ?? '<nil>'}`);
    }
    for (const role of page.Roles ?? []) {
      const roleName = role.RoleName!;
      let tags;
      try {
        tags = await roleTags(iam, roleName);
      } catch (error) {
        if (isAwsError(error, 'NoSuchEntityException', 'NoSuchEntity')) continue; // deleted since it was listed
        throw wrap(error, `failed to fetch tags of IAM role ${roleName}`);
      }
      if (tags.some((tag) => tag.Key === ownedTagKey(name))) owned.push(roleName);
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);

  for (const roleName of owned) {
    try {
      if (skip.has(roleName)) {
        throw new Error(`failed to delete IAM Role ${roleName}: left behind on purpose (${SKIP_ROLE_ENV})`);
      }
      try {
        await deleteRolePolicies(iam, roleName);
      } catch (error) {
        throw wrap(error, `failed to delete policies associated with IAM Role ${roleName}`);
      }
      try {
        await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
      } catch (error) {
        throw wrap(error, `failed to delete IAM Role ${roleName}`);
      }
      log(`IAM Role ${roleName} deleted`);
    } catch (error) {
      log(errorMessage(error));
    }
  }
}

async function deleteIAMIdentityProvider(iam: IAMClient, name: string): Promise<void> {
  let arn: string | undefined;
  try {
    arn = await providerOwnedBy(iam, name);
  } catch (error) {
    throw wrap(error, 'failed to fetch list of Identity Providers');
  }
  if (!arn) return;
  try {
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  } catch (error) {
    throw wrap(error, `failed to delete Identity Provider with ARN ${arn}`);
  }
  log(`Identity Provider with ARN ${arn} deleted`);
}

/** Deletes everything tagged for `name`; never throws: every error is logged and the next kind of resource tried. */
export async function deleteAll(
  clients: AwsClients,
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const bucket = bucketNameFor(name);
  const skip = new Set(
    (env[SKIP_ROLE_ENV] ?? '')
      .split(',')
      .map((role) => role.trim())
      .filter(Boolean),
  );
  const steps: (() => Promise<void>)[] = [
    () => deleteOIDCObjectsFromBucket(clients.s3, bucket, name),
    () => deleteOIDCBucket(clients.s3, bucket, name),
    () => deleteCloudFrontDistributions(clients.cloudfront, name),
    () => deleteCloudFrontOriginAccessIdentities(clients.cloudfront, name),
    () => deleteIAMRoles(clients.iam, name, skip),
    () => deleteIAMIdentityProvider(clients.iam, name),
  ];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      log(errorMessage(error));
    }
  }
}
