/*
 * The CloudFront part of the scan (CloudFront is global): the private bucket's distributions, and the origin access
 * identities or controls they read the bucket with.
 *
 * A distribution is ccoctl's for an sts name when it is tagged `...=owned` for it, or carries ccoctl's comment (the
 * tag key), or its S3 origin is the name's bucket `<sts_name>-oidc.s3.<region>.<dnsSuffix>`: the real ccoctl may tag
 * it only `Name=<sts_name>` (for the whole account, an origin bucket `X-oidc` counts with the tag `Name=X`). An origin
 * access identity is the name's when its comment is the tag key (as ccoctl writes it), or when the name's
 * distributions read through it (`origin-access-identity/cloudfront/<id>`) and no other distribution does; an origin
 * access control by its description or name.
 */
import {
  GetDistributionCommand,
  ListCloudFrontOriginAccessIdentitiesCommand,
  ListDistributionsCommand,
  ListOriginAccessControlsCommand,
  ListTagsForResourceCommand,
  type DistributionSummary,
} from '@aws-sdk/client-cloudfront';
import {
  AwsCallError,
  awsErrorCode,
  awsStatus,
  CCO_TAG_PREFIX,
  explainAwsError,
  NAME_TAG,
  originAccessIdentityOf,
  s3BucketOfHost,
  stsNameOfOidcBucket,
  type TagLike,
} from '@ocp-sts/aws';
import type { DistributionResource, OriginAccessControlResource, OriginAccessIdentityResource } from './resources.ts';
import { commentOwners, find, ownerField, type Owner, type Scan } from './scan-context.ts';

/** A distribution of the account, with the sts names it belongs to (none: someone else's). */
interface ListedDistribution {
  summary: DistributionSummary;
  owners: Owner[];
  tags: TagLike[];
}

async function listDistributions(scan: Scan): Promise<DistributionSummary[]> {
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
  return all;
}

/** The sts names whose bucket `<sts_name>-oidc` is an S3 origin of the distribution. */
function originStsNames(d: DistributionSummary): string[] {
  return (d.Origins?.Items ?? []).flatMap((o) => {
    const name = stsNameOfOidcBucket(s3BucketOfHost(o.DomainName)?.bucket);
    return name ? [name] : [];
  });
}

function distributionOwners(scan: Scan, d: DistributionSummary, tags: TagLike[]): Owner[] {
  const marks = [...tags, ...(d.Comment?.startsWith(CCO_TAG_PREFIX) ? [{ Key: d.Comment }] : [])];
  const origins = originStsNames(d);
  const { query } = scan;
  if (!('all' in query)) return scan.owners(marks, origins.includes(query.stsName));
  const owners = scan.owners(marks, false);
  if (owners.length) return owners;
  // Unmarked: ccoctl's if its origin is `X-oidc` and it is named X.
  const name = tags.find((t) => t.Key === NAME_TAG)?.Value;
  return name && origins.includes(name) ? [{ stsName: name, match: 'name' }] : [];
}

async function ownersOf(scan: Scan, d: DistributionSummary): Promise<ListedDistribution> {
  const tags = await find(scan, 'cloudfront:ListTagsForResource', () =>
    scan.aws.clients.cloudfront.send(new ListTagsForResourceCommand({ Resource: d.ARN })),
  );
  const items = tags?.Tags?.Items ?? [];
  return { summary: d, owners: tags ? distributionOwners(scan, d, items) : [], tags: items };
}

async function distributionResources(scan: Scan, listed: ListedDistribution): Promise<DistributionResource[]> {
  const { summary: d, owners, tags } = listed;
  if (owners.length === 0) return [];
  // The summary's Enabled can lag behind an update: read the distribution itself.
  const current = await find(scan, 'cloudfront:GetDistribution', () =>
    scan.aws.clients.cloudfront.send(new GetDistributionCommand({ Id: d.Id })),
  );
  if (!current) return [];
  return owners.map(({ stsName, match }) => ({
    kind: 'cloudfront-distribution',
    stsName,
    match,
    ...ownerField(tags),
    id: d.Id!,
    arn: d.ARN!,
    domainName: d.DomainName ?? '',
    enabled: current.Distribution?.DistributionConfig?.Enabled ?? d.Enabled ?? false,
  }));
}

/**
 * For each origin access identity a distribution reads through, the owners of those distributions; an identity that
 * some distribution of nobody's (or of another sts name) also uses maps to no owner: it is not ours to delete.
 */
function identityOwners(distributions: ListedDistribution[]): Map<string, Owner[]> {
  const users = new Map<string, ListedDistribution[]>();
  for (const listed of distributions) {
    for (const origin of listed.summary.Origins?.Items ?? []) {
      const id = originAccessIdentityOf(origin.S3OriginConfig?.OriginAccessIdentity);
      if (id) users.set(id, [...(users.get(id) ?? []), listed]);
    }
  }
  const owners = new Map<string, Owner[]>();
  for (const [id, using] of users) {
    const names = new Set(using.map((u) => (u.owners.length === 1 ? u.owners[0]!.stsName : undefined)));
    const [only] = names;
    owners.set(id, names.size === 1 && only ? [using[0]!.owners[0]!] : []);
  }
  return owners;
}

async function findOriginAccessIdentities(
  scan: Scan,
  byDistribution: Map<string, Owner[]>,
): Promise<OriginAccessIdentityResource[]> {
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
        const byComment = commentOwners(scan, item.Comment);
        const owners = byComment.length ? byComment : (byDistribution.get(item.Id ?? '') ?? []);
        for (const { stsName, match } of owners) {
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

/** The name's distributions and the origin access identities they read through (or that ccoctl commented). */
export async function findDistributionsAndIdentities(
  scan: Scan,
): Promise<(DistributionResource | OriginAccessIdentityResource)[]> {
  const listed = await Promise.all(
    (await listDistributions(scan)).filter((d) => d.ARN && d.Id).map((d) => ownersOf(scan, d)),
  );
  const [distributions, identities] = await Promise.all([
    Promise.all(listed.map((l) => distributionResources(scan, l))).then((d) => d.flat()),
    findOriginAccessIdentities(scan, identityOwners(listed)),
  ]);
  return [...distributions, ...identities];
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
