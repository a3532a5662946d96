/*
 * Deletes what the scan found, in the safe order: each role's managed policies detached and inline policies deleted,
 * then the role; the OIDC provider; the bucket's objects, then the bucket; CloudFront distributions (disabled first,
 * deleted once the change is deployed); then the origin access identities or controls they used. Every deletion is
 * reported; a failure is reported and the rest goes on (what depends on the failed resource fails in its turn).
 */
import {
  DeleteCloudFrontOriginAccessIdentityCommand,
  DeleteDistributionCommand,
  DeleteOriginAccessControlCommand,
  GetCloudFrontOriginAccessIdentityCommand,
  GetDistributionCommand,
  GetOriginAccessControlCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import {
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { DeleteBucketCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { awsCall, awsClients, isNotFound, type AwsClients } from '@ocp-sts/aws';
import {
  describeResource,
  sortForDeletion,
  type BucketResource,
  type DistributionResource,
  type StsResource,
} from './resources.ts';

export interface DeleteOptions {
  /** Told each deletion (and failure) as it happens. */
  report?: (line: string) => void;
  /** How often to ask whether a disabled distribution is deployed (default 30 s; CloudFront takes minutes). */
  pollMs?: number;
  /** How long to wait for that at most (default 30 min). */
  deployTimeoutMs?: number;
}

export interface DeleteOutcome {
  deleted: StsResource[];
  failed: { resource: StsResource; error: string }[];
}

const DEPLOYED = 'Deployed';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one delete call; a resource already gone counts as deleted. */
async function gone(clients: AwsClients, call: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await awsCall(clients.target, call, run);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

async function deleteBucket(clients: AwsClients, r: BucketResource, report: (line: string) => void): Promise<void> {
  const s3 = r.region === clients.target.region ? clients.s3 : awsClients({ ...clients.target, region: r.region }).s3;
  for (const key of r.objects) {
    await gone(clients, 's3:DeleteObject', () => s3.send(new DeleteObjectCommand({ Bucket: r.name, Key: key })));
    report(`  deleted object ${key} of S3 bucket ${r.name}`);
  }
  await gone(clients, 's3:DeleteBucket', () => s3.send(new DeleteBucketCommand({ Bucket: r.name })));
}

async function deleteDistribution(
  clients: AwsClients,
  r: DistributionResource,
  report: (line: string) => void,
  options: DeleteOptions,
): Promise<void> {
  const { cloudfront } = clients;
  const get = () =>
    awsCall(clients.target, 'cloudfront:GetDistribution', () =>
      cloudfront.send(new GetDistributionCommand({ Id: r.id })),
    );
  let current = await get();
  const config = current.Distribution?.DistributionConfig;
  if (config?.Enabled) {
    await awsCall(clients.target, 'cloudfront:UpdateDistribution', () =>
      cloudfront.send(
        new UpdateDistributionCommand({
          Id: r.id,
          IfMatch: current.ETag,
          DistributionConfig: { ...config, Enabled: false },
        }),
      ),
    );
    report(`  disabled CloudFront distribution ${r.id}; waiting until the change is deployed`);
  }
  const deadline = Date.now() + (options.deployTimeoutMs ?? 30 * 60_000);
  for (;;) {
    current = await get();
    if (current.Distribution?.Status === DEPLOYED) break;
    if (Date.now() > deadline) {
      throw new Error(
        `CloudFront distribution ${r.id} is still ${current.Distribution?.Status ?? '?'}: delete it later`,
      );
    }
    await sleep(options.pollMs ?? 30_000);
  }
  await gone(clients, 'cloudfront:DeleteDistribution', () =>
    cloudfront.send(new DeleteDistributionCommand({ Id: r.id, IfMatch: current.ETag })),
  );
}

async function deleteOne(
  clients: AwsClients,
  r: StsResource,
  report: (line: string) => void,
  options: DeleteOptions,
): Promise<void> {
  const { iam, cloudfront } = clients;
  switch (r.kind) {
    case 'iam-role':
      for (const arn of r.attachedPolicies) {
        await gone(clients, 'iam:DetachRolePolicy', () =>
          iam.send(new DetachRolePolicyCommand({ RoleName: r.name, PolicyArn: arn })),
        );
        report(`  detached ${arn} from IAM role ${r.name}`);
      }
      for (const policy of r.inlinePolicies) {
        await gone(clients, 'iam:DeleteRolePolicy', () =>
          iam.send(new DeleteRolePolicyCommand({ RoleName: r.name, PolicyName: policy })),
        );
        report(`  deleted inline policy ${policy} of IAM role ${r.name}`);
      }
      await gone(clients, 'iam:DeleteRole', () => iam.send(new DeleteRoleCommand({ RoleName: r.name })));
      return;
    case 'oidc-provider':
      await gone(clients, 'iam:DeleteOpenIDConnectProvider', () =>
        iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: r.arn })),
      );
      return;
    case 's3-bucket':
      return deleteBucket(clients, r, report);
    case 'cloudfront-distribution':
      return deleteDistribution(clients, r, report, options);
    case 'cloudfront-origin-access-identity': {
      const current = await awsCall(clients.target, 'cloudfront:GetCloudFrontOriginAccessIdentity', () =>
        cloudfront.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: r.id })),
      );
      await gone(clients, 'cloudfront:DeleteCloudFrontOriginAccessIdentity', () =>
        cloudfront.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: r.id, IfMatch: current.ETag })),
      );
      return;
    }
    case 'cloudfront-origin-access-control': {
      const current = await awsCall(clients.target, 'cloudfront:GetOriginAccessControl', () =>
        cloudfront.send(new GetOriginAccessControlCommand({ Id: r.id })),
      );
      await gone(clients, 'cloudfront:DeleteOriginAccessControl', () =>
        cloudfront.send(new DeleteOriginAccessControlCommand({ Id: r.id, IfMatch: current.ETag })),
      );
      return;
    }
  }
}

/** Deletes the resources one by one in the safe order, reporting each. Never throws for a failed deletion. */
export async function deleteStsResources(
  clients: AwsClients,
  resources: StsResource[],
  options: DeleteOptions = {},
): Promise<DeleteOutcome> {
  const report = options.report ?? (() => undefined);
  const outcome: DeleteOutcome = { deleted: [], failed: [] };
  for (const resource of sortForDeletion(resources)) {
    try {
      await deleteOne(clients, resource, report, options);
      outcome.deleted.push(resource);
      report(`deleted ${describeResource(resource)}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome.failed.push({ resource, error: message });
      report(`FAILED to delete ${describeResource(resource)}: ${message}`);
    }
  }
  return outcome;
}
