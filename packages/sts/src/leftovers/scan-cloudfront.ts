/*
 * The CloudFront part of the scan (CloudFront is global): the private bucket's distributions, and the origin access
 * identities or controls they read the bucket with. A distribution is tagged for its sts name, or named after its
 * bucket by its origin; an identity or control by its comment (the tag key) or its name.
 */
import {
  GetDistributionCommand,
  ListCloudFrontOriginAccessIdentitiesCommand,
  ListDistributionsCommand,
  ListOriginAccessControlsCommand,
  ListTagsForResourceCommand,
  type DistributionSummary,
} from '@aws-sdk/client-cloudfront';
import { AwsCallError, awsErrorCode, awsStatus, explainAwsError } from '../aws/errors.ts';
import { oidcBucketName } from '../aws/tags.ts';
import type { DistributionResource, OriginAccessControlResource, OriginAccessIdentityResource } from './resources.ts';
import { commentOwners, find, type Scan } from './scan-context.ts';

export async function findDistributions(scan: Scan): Promise<DistributionResource[]> {
  const { cloudfront } = scan.aws.clients;
  const all: DistributionSummary[] = [];
  let marker: string | undefined;
  do {
    const page = await find(scan, 'cloudfront:ListDistributions', () =>
      cloudfront.send(new ListDistributionsCommand({ ...(marker && { Marker: marker }) })),
    );
    all.push(...(page?.DistributionList?.Items ?? []));
    marker = page?.DistributionList?.IsTruncated ? page.DistributionList.NextMarker : undefined;
  } while (marker);
  const bucket = 'all' in scan.query ? undefined : oidcBucketName(scan.query.stsName);
  const found = await Promise.all(
    all.map(async (d): Promise<DistributionResource[]> => {
      if (!d.ARN || !d.Id) return [];
      const tags = await find(scan, 'cloudfront:ListTagsForResource', () =>
        cloudfront.send(new ListTagsForResourceCommand({ Resource: d.ARN })),
      );
      if (!tags) return [];
      const named = !!bucket && (d.Origins?.Items ?? []).some((o) => o.DomainName?.startsWith(`${bucket}.`));
      const owners = scan.owners(tags.Tags?.Items, named);
      if (owners.length === 0) return [];
      // The summary's Enabled can lag behind an update: read the distribution itself.
      const current = await find(scan, 'cloudfront:GetDistribution', () =>
        cloudfront.send(new GetDistributionCommand({ Id: d.Id })),
      );
      if (!current) return [];
      return owners.map(({ stsName, match }) => ({
        kind: 'cloudfront-distribution',
        stsName,
        match,
        id: d.Id!,
        arn: d.ARN!,
        domainName: d.DomainName ?? '',
        enabled: current.Distribution?.DistributionConfig?.Enabled ?? d.Enabled ?? false,
      }));
    }),
  );
  return found.flat();
}

export async function findOriginAccessIdentities(scan: Scan): Promise<OriginAccessIdentityResource[]> {
  const { cloudfront, target } = scan.aws.clients;
  const found: OriginAccessIdentityResource[] = [];
  let marker: string | undefined;
  try {
    do {
      // Judges its own errors: an endpoint without the API (a plain moto) is a warning, not a failure.
      const page = await scan.aws.limit(() =>
        cloudfront.send(new ListCloudFrontOriginAccessIdentitiesCommand({ ...(marker && { Marker: marker }) })),
      );
      for (const item of page.CloudFrontOriginAccessIdentityList?.Items ?? []) {
        for (const { stsName, match } of commentOwners(scan, item.Comment)) {
          found.push({
            kind: 'cloudfront-origin-access-identity',
            stsName,
            match,
            id: item.Id!,
            comment: item.Comment ?? '',
          });
        }
      }
      marker = page.CloudFrontOriginAccessIdentityList?.IsTruncated
        ? page.CloudFrontOriginAccessIdentityList.NextMarker
        : undefined;
    } while (marker);
  } catch (error) {
    const explained = explainAwsError(error, target, 'cloudfront:ListCloudFrontOriginAccessIdentities');
    if (explained instanceof AwsCallError) throw explained;
    // A moto_server started without tools/aws-emulator's OAI launcher answers 404 with an HTML page.
    const endpoint = process.env.AWS_ENDPOINT_URL;
    scan.warn(
      `CloudFront origin access identities were not checked: ${endpoint ? `the endpoint ${endpoint}` : 'AWS'} does ` +
        `not answer ListCloudFrontOriginAccessIdentities (${awsStatus(error) ?? awsErrorCode(error)}` +
        `${endpoint ? '; a moto emulator without the origin access identity launcher implements none' : ''})`,
    );
  }
  return found;
}

export async function findOriginAccessControls(scan: Scan): Promise<OriginAccessControlResource[]> {
  const { cloudfront } = scan.aws.clients;
  const found: OriginAccessControlResource[] = [];
  let marker: string | undefined;
  do {
    const page = await find(scan, 'cloudfront:ListOriginAccessControls', () =>
      cloudfront.send(new ListOriginAccessControlsCommand({ ...(marker && { Marker: marker }) })),
    );
    for (const item of page?.OriginAccessControlList?.Items ?? []) {
      for (const { stsName, match } of commentOwners(scan, item.Description, item.Name)) {
        found.push({ kind: 'cloudfront-origin-access-control', stsName, match, id: item.Id!, name: item.Name ?? '' });
      }
    }
    marker = page?.OriginAccessControlList?.IsTruncated ? page.OriginAccessControlList.NextMarker : undefined;
  } while (marker);
  return found;
}
