/*
 * For the tests of verify, the leftovers scan and destroy: a private OIDC bucket shaped as the REAL ccoctl makes it
 * (openshift/cloud-credential-operator, pkg/cmd/provisioning/aws/create_identity_provider.go; tools/stand-ins/README.md),
 * made through the AWS SDK in the emulator (which serves origin access identities:
 * tools/aws-emulator/moto_server_oai.py):
 *   - a CloudFront origin access identity, caller reference `<name>`, comment `openshift.io/cloud-credential-operator/<name>`;
 *   - the bucket policy granting that identity s3:GetObject (principal `... CloudFront Origin Access Identity <id>`);
 *   - the distribution's one origin `<name>-oidc.s3.<region>.amazonaws.com` (also its id), reading through
 *     `origin-access-identity/cloudfront/<id>`, tagged only `Name=<name>`.
 * It starts from what the ccoctl stand-in's `--create-private-s3-bucket` made (the bucket, its documents and a
 * distribution serving the issuer through an identity, owned-tagged as ccoctl's source tags it), and turns that into
 * the shape above: the owned tag goes, and the comments are the ones asked for (an identity with another comment
 * replaces the stand-in's), so that a test sees the origin as the only tie to the name where it asks for that.
 */
import {
  CloudFrontClient,
  CreateCloudFrontOriginAccessIdentityCommand,
  DeleteCloudFrontOriginAccessIdentityCommand,
  GetCloudFrontOriginAccessIdentityCommand,
  DeleteOriginAccessControlCommand,
  GetDistributionCommand,
  GetOriginAccessControlCommand,
  ListDistributionsCommand,
  ListOriginAccessControlsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDistributionCommand,
  type DistributionSummary,
} from '@aws-sdk/client-cloudfront';
import { PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { oidcBucketName, ownedTagKey } from '@ocp-sts/aws';

export interface RealCcoctlPrivateBucket {
  distributionId: string;
  distributionArn: string;
  /** https://<id>.cloudfront.net */
  domainName: string;
  originAccessIdentityId: string;
}

export interface RealShapeOptions {
  /** The distribution's comment (ccoctl's: the tag key); another one leaves only its origin to tie it to the name. */
  comment?: string;
  /** The origin access identity's comment (ccoctl's: the tag key); another one leaves only the distribution's link. */
  identityComment?: string;
}

async function distributionServing(cloudfront: CloudFrontClient, origin: string): Promise<DistributionSummary> {
  let marker: string | undefined;
  do {
    const page = await cloudfront.send(new ListDistributionsCommand({ ...(marker && { Marker: marker }) }));
    const found = page.DistributionList?.Items?.find((d) =>
      (d.Origins?.Items ?? []).some((o) => o.DomainName === origin),
    );
    if (found) return found;
    marker = page.DistributionList?.IsTruncated ? page.DistributionList.NextMarker : undefined;
  } while (marker);
  throw new Error(`no CloudFront distribution has the origin ${origin}: provision a private bucket first`);
}

async function deleteStandInAccessControls(cloudfront: CloudFrontClient, stsName: string): Promise<void> {
  const page = await cloudfront.send(new ListOriginAccessControlsCommand({}));
  for (const item of page.OriginAccessControlList?.Items ?? []) {
    if (item.Description !== ownedTagKey(stsName)) continue;
    const { ETag } = await cloudfront.send(new GetOriginAccessControlCommand({ Id: item.Id }));
    await cloudfront.send(new DeleteOriginAccessControlCommand({ Id: item.Id, IfMatch: ETag }));
  }
}

/** Turns the stand-in's private bucket of `stsName` into the real ccoctl's shape (see the top of this file). */
export async function asRealCcoctlPrivateBucket(
  stsName: string,
  region: string,
  options: RealShapeOptions = {},
): Promise<RealCcoctlPrivateBucket> {
  const cloudfront = new CloudFrontClient({ region });
  const bucket = oidcBucketName(stsName);
  const origin = `${bucket}.s3.${region}.amazonaws.com`;
  const summary = await distributionServing(cloudfront, origin);
  const current = await cloudfront.send(new GetDistributionCommand({ Id: summary.Id }));
  const config = current.Distribution!.DistributionConfig!;
  const reference = config.Origins?.Items?.[0]?.S3OriginConfig?.OriginAccessIdentity;
  const result = {
    distributionId: summary.Id!,
    distributionArn: summary.ARN!,
    domainName: summary.DomainName!,
  };
  // ccoctl's identity (caller reference <name>, its comment) is made, or found, with the same call; an identity with
  // another comment needs another caller reference (CloudFront answers AlreadyExists otherwise).
  const created = await cloudfront.send(
    new CreateCloudFrontOriginAccessIdentityCommand({
      CloudFrontOriginAccessIdentityConfig: {
        CallerReference: options.identityComment ? `${stsName}-${options.identityComment}` : stsName,
        Comment: options.identityComment ?? ownedTagKey(stsName),
      },
    }),
  );
  const id = created.CloudFrontOriginAccessIdentity!.Id!;
  const previousIdentity = reference?.split('/').at(-1);
  await new S3Client({ region, forcePathStyle: true }).send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2008-10-17',
        Id: 'PolicyForCloudFrontPrivateContent',
        Statement: [
          {
            Sid: '1',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${id}` },
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${bucket}/*`,
          },
        ],
      }),
    }),
  );
  await cloudfront.send(
    new UpdateDistributionCommand({
      Id: summary.Id,
      IfMatch: current.ETag,
      DistributionConfig: {
        ...config,
        Comment: options.comment ?? ownedTagKey(stsName),
        Origins: {
          Quantity: 1,
          Items: [
            {
              Id: origin,
              DomainName: origin,
              S3OriginConfig: { OriginAccessIdentity: `origin-access-identity/cloudfront/${id}` },
            },
          ],
        },
        DefaultCacheBehavior: { ...config.DefaultCacheBehavior!, TargetOriginId: origin },
      },
    }),
  );
  await cloudfront.send(
    new UntagResourceCommand({ Resource: summary.ARN, TagKeys: { Items: [ownedTagKey(stsName)] } }),
  );
  await cloudfront.send(
    new TagResourceCommand({ Resource: summary.ARN, Tags: { Items: [{ Key: 'Name', Value: stsName }] } }),
  );
  await deleteStandInAccessControls(cloudfront, stsName);
  if (previousIdentity && previousIdentity !== id) {
    const { ETag } = await cloudfront.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: previousIdentity }));
    await cloudfront.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: previousIdentity, IfMatch: ETag }));
  }
  return { ...result, originAccessIdentityId: id };
}
