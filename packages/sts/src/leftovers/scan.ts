/*
 * Finds what ccoctl made in an account: for one sts name (after `ccoctl aws delete`, to prove nothing is left), or
 * for every sts name (the leftovers command). Read-only. IAM roles and OIDC providers are global and their tags are
 * read with ListRoleTags / ListOpenIDConnectProviderTags (the Resource Groups Tagging API never returns them);
 * buckets are per region; CloudFront is global.
 *
 * For one sts name, roles are the ones named `<sts_name>-*` (ccoctl names every role so; the sts name is at most 58
 * characters, so the cut to 64 keeps the prefix) that are not tagged for another sts name (`prod` must not claim the
 * roles of `prod-east`); the bucket is `<sts_name>-oidc`; the provider, distributions and origin access identities or
 * controls are the ones tagged (or commented) for it, or named after its bucket.
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
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListOpenIDConnectProviderTagsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  type Role,
  type Tag,
} from '@aws-sdk/client-iam';
import {
  GetBucketTaggingCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsClients, type AwsClients } from '../aws/clients.ts';
import { AwsCallError, awsErrorCode, awsStatus, explainAwsError, isNotFound } from '../aws/errors.ts';
import { CCO_TAG_PREFIX, oidcBucketName, ownedTagKey, ownerStsNames, type TagLike } from '../aws/tags.ts';
import { createLimiter, type Limiter } from '../verify/pool.ts';
import type {
  BucketResource,
  DistributionResource,
  Match,
  OidcProviderResource,
  OriginAccessControlResource,
  OriginAccessIdentityResource,
  RoleResource,
  StsResource,
} from './resources.ts';

/** One sts name (what destroy checks), or every sts name found by its tag in these regions' buckets (leftovers). */
export type StsQuery = { stsName: string } | { all: true; regions?: string[] };

export interface ScanOptions {
  /** AWS calls at once (default 8); the SDK's adaptive retry backs off further when IAM throttles. */
  concurrency?: number;
  /** Told what could not be checked (e.g. an API the endpoint does not implement). */
  onWarning?: (message: string) => void;
}

interface Scan {
  clients: AwsClients;
  limit: Limiter;
  warn: (message: string) => void;
  /** Which sts names (with the match) a resource of these tags and this name belongs to. */
  owners: (tags: TagLike[] | undefined, nameMatch: boolean) => { stsName: string; match: Match }[];
  query: StsQuery;
  s3For: (region: string) => S3Client;
}

/** An AWS call: errors the user can act on become one line; a missing resource resolves to undefined. */
async function read<T>(scan: Scan, call: string, run: () => Promise<T>): Promise<T | undefined> {
  return scan.limit(async () => {
    try {
      return await run();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw explainAwsError(error, scan.clients.target, call);
    }
  });
}

function ownersFor(query: StsQuery) {
  return (tags: TagLike[] | undefined, nameMatch: boolean): { stsName: string; match: Match }[] => {
    const tagged = ownerStsNames(tags);
    if ('all' in query) return tagged.map((stsName) => ({ stsName, match: 'tag' as const }));
    if (tagged.includes(query.stsName)) return [{ stsName: query.stsName, match: 'tag' }];
    // Named like ours but tagged for another sts name (one that starts with ours): not ours.
    if (nameMatch && tagged.length === 0) return [{ stsName: query.stsName, match: 'name' }];
    return [];
  };
}

// ---------------------------------------------------------------------------------------------------------------
// IAM

async function allRoles(scan: Scan): Promise<Role[]> {
  const roles: Role[] = [];
  let marker: string | undefined;
  do {
    const page = await read(scan, 'iam:ListRoles', () =>
      scan.clients.iam.send(new ListRolesCommand({ ...(marker && { Marker: marker }) })),
    );
    roles.push(...(page?.Roles ?? []));
    marker = page?.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return roles;
}

async function roleTags(scan: Scan, roleName: string): Promise<Tag[] | undefined> {
  const tags: Tag[] = [];
  let marker: string | undefined;
  do {
    const page = await read(scan, 'iam:ListRoleTags', () =>
      scan.clients.iam.send(new ListRoleTagsCommand({ RoleName: roleName, ...(marker && { Marker: marker }) })),
    );
    if (!page) return undefined; // deleted since it was listed
    tags.push(...(page.Tags ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return tags;
}

async function rolePolicies(scan: Scan, roleName: string): Promise<{ inline: string[]; attached: string[] }> {
  const inline: string[] = [];
  const attached: string[] = [];
  let marker: string | undefined;
  do {
    const page = await read(scan, 'iam:ListRolePolicies', () =>
      scan.clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName, ...(marker && { Marker: marker }) })),
    );
    inline.push(...(page?.PolicyNames ?? []));
    marker = page?.IsTruncated ? page.Marker : undefined;
  } while (marker);
  do {
    const page = await read(scan, 'iam:ListAttachedRolePolicies', () =>
      scan.clients.iam.send(
        new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(marker && { Marker: marker }) }),
      ),
    );
    attached.push(...(page?.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])));
    marker = page?.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return { inline, attached };
}

async function findRoles(scan: Scan): Promise<RoleResource[]> {
  const { query } = scan;
  const roles = (await allRoles(scan)).filter(
    (r) => r.RoleName && ('all' in query || r.RoleName.startsWith(`${query.stsName}-`)),
  );
  const found = await Promise.all(
    roles.map(async (role): Promise<RoleResource[]> => {
      const name = role.RoleName!;
      const tags = await roleTags(scan, name);
      if (!tags) return [];
      const owners = scan.owners(tags, true);
      if (owners.length === 0) return [];
      const policies = await rolePolicies(scan, name);
      return owners.map(({ stsName, match }) => ({
        kind: 'iam-role',
        stsName,
        match,
        name,
        arn: role.Arn ?? name,
        inlinePolicies: policies.inline.sort(),
        attachedPolicies: policies.attached.sort(),
      }));
    }),
  );
  return found.flat();
}

async function findProviders(scan: Scan): Promise<OidcProviderResource[]> {
  const list = await read(scan, 'iam:ListOpenIDConnectProviders', () =>
    scan.clients.iam.send(new ListOpenIDConnectProvidersCommand({})),
  );
  const found = await Promise.all(
    (list?.OpenIDConnectProviderList ?? []).map(async ({ Arn: arn }): Promise<OidcProviderResource[]> => {
      if (!arn) return [];
      const tags: Tag[] = [];
      let marker: string | undefined;
      do {
        const page = await read(scan, 'iam:ListOpenIDConnectProviderTags', () =>
          scan.clients.iam.send(
            new ListOpenIDConnectProviderTagsCommand({
              OpenIDConnectProviderArn: arn,
              ...(marker && { Marker: marker }),
            }),
          ),
        );
        if (!page) return []; // deleted since it was listed
        tags.push(...(page.Tags ?? []));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      const url = arn.replace(/^arn:[^:]+:iam::\d*:oidc-provider\//, '');
      const named = !('all' in scan.query) && url.startsWith(`${oidcBucketName(scan.query.stsName)}.`);
      return scan
        .owners(tags, named)
        .map(({ stsName, match }) => ({ kind: 'oidc-provider', stsName, match, arn, url }));
    }),
  );
  return found.flat();
}

// ---------------------------------------------------------------------------------------------------------------
// S3

async function bucketTags(scan: Scan, s3: S3Client, bucket: string): Promise<TagLike[] | undefined> {
  return scan.limit(async () => {
    try {
      return (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
    } catch (error) {
      if (awsErrorCode(error) === 'NoSuchTagSet') return [];
      if (isNotFound(error)) return undefined;
      throw explainAwsError(error, scan.clients.target, 's3:GetBucketTagging');
    }
  });
}

async function bucketObjects(scan: Scan, s3: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await read(scan, 's3:ListObjectsV2', () =>
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
  return owners.map(({ stsName, match }) => ({ kind: 's3-bucket', stsName, match, name: bucket, region, objects }));
}

/** The bucket `<sts_name>-oidc`, wherever it is (HeadBucket says which region). */
async function findOwnBucket(scan: Scan, stsName: string): Promise<BucketResource[]> {
  const bucket = oidcBucketName(stsName);
  const { target } = scan.clients;
  let region: string | undefined;
  try {
    const head = await scan.limit(() => scan.clients.s3.send(new HeadBucketCommand({ Bucket: bucket })));
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

async function findTaggedBuckets(scan: Scan, region: string): Promise<BucketResource[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await read(scan, 's3:ListBuckets', () =>
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

// ---------------------------------------------------------------------------------------------------------------
// CloudFront

async function findDistributions(scan: Scan): Promise<DistributionResource[]> {
  const all: DistributionSummary[] = [];
  let marker: string | undefined;
  do {
    const page = await read(scan, 'cloudfront:ListDistributions', () =>
      scan.clients.cloudfront.send(new ListDistributionsCommand({ ...(marker && { Marker: marker }) })),
    );
    all.push(...(page?.DistributionList?.Items ?? []));
    marker = page?.DistributionList?.IsTruncated ? page.DistributionList.NextMarker : undefined;
  } while (marker);
  const bucket = 'all' in scan.query ? undefined : oidcBucketName(scan.query.stsName);
  const found = await Promise.all(
    all.map(async (d): Promise<DistributionResource[]> => {
      if (!d.ARN || !d.Id) return [];
      const tags = await read(scan, 'cloudfront:ListTagsForResource', () =>
        scan.clients.cloudfront.send(new ListTagsForResourceCommand({ Resource: d.ARN })),
      );
      if (!tags) return [];
      const named = !!bucket && (d.Origins?.Items ?? []).some((o) => o.DomainName?.startsWith(`${bucket}.`));
      const owners = scan.owners(tags.Tags?.Items, named);
      if (owners.length === 0) return [];
      // The summary's Enabled can lag behind an update: read the distribution itself.
      const current = await read(scan, 'cloudfront:GetDistribution', () =>
        scan.clients.cloudfront.send(new GetDistributionCommand({ Id: d.Id })),
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

/** Owner of a comment or description ccoctl (or the stand-in) wrote: the tag key, or a name after the bucket. */
function commentOwners(scan: Scan, text: string | undefined, name?: string): { stsName: string; match: Match }[] {
  const asTag = text?.startsWith(CCO_TAG_PREFIX) ? [{ Key: text }] : [];
  const { query } = scan;
  const named =
    !('all' in query) &&
    [text, name].some((t) => t === oidcBucketName(query.stsName) || t === ownedTagKey(query.stsName));
  return scan.owners(asTag, named);
}

async function findOriginAccessIdentities(scan: Scan): Promise<OriginAccessIdentityResource[]> {
  const found: OriginAccessIdentityResource[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await scan.limit(() =>
        scan.clients.cloudfront.send(
          new ListCloudFrontOriginAccessIdentitiesCommand({ ...(marker && { Marker: marker }) }),
        ),
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
    const explained = explainAwsError(error, scan.clients.target, 'cloudfront:ListCloudFrontOriginAccessIdentities');
    if (explained instanceof AwsCallError) throw explained;
    // moto implements no origin access identity call at all (it answers 404 with an HTML page).
    const endpoint = process.env.AWS_ENDPOINT_URL;
    scan.warn(
      `CloudFront origin access identities were not checked: ${endpoint ? `the endpoint ${endpoint}` : 'AWS'} does ` +
        `not answer ListCloudFrontOriginAccessIdentities (${awsStatus(error) ?? awsErrorCode(error)}` +
        `${endpoint ? '; the moto emulator implements no origin access identity' : ''})`,
    );
  }
  return found;
}

async function findOriginAccessControls(scan: Scan): Promise<OriginAccessControlResource[]> {
  const found: OriginAccessControlResource[] = [];
  let marker: string | undefined;
  do {
    const page = await read(scan, 'cloudfront:ListOriginAccessControls', () =>
      scan.clients.cloudfront.send(new ListOriginAccessControlsCommand({ ...(marker && { Marker: marker }) })),
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

// ---------------------------------------------------------------------------------------------------------------

/**
 * What ccoctl made (and is still there) for one sts name, or for every sts name in the account. Read-only; throws an
 * AwsCallError (one line: profile, region, call) when AWS cannot be asked.
 */
export async function findStsResources(
  clients: AwsClients,
  query: StsQuery,
  options: ScanOptions = {},
): Promise<StsResource[]> {
  const s3Clients = new Map<string, S3Client>([[clients.target.region, clients.s3]]);
  const scan: Scan = {
    clients,
    query,
    limit: createLimiter(options.concurrency ?? 8),
    warn: options.onWarning ?? (() => undefined),
    owners: ownersFor(query),
    s3For: (region) => {
      let s3 = s3Clients.get(region);
      if (!s3) {
        s3 = awsClients({ ...clients.target, region }).s3;
        s3Clients.set(region, s3);
      }
      return s3;
    },
  };
  const regions = 'all' in query ? (query.regions ?? [clients.target.region]) : [];
  const parts = await Promise.all([
    findRoles(scan),
    findProviders(scan),
    'all' in query
      ? Promise.all(regions.map((r) => findTaggedBuckets(scan, r))).then((b) => b.flat())
      : findOwnBucket(scan, query.stsName),
    findDistributions(scan),
    findOriginAccessIdentities(scan),
    findOriginAccessControls(scan),
  ]);
  return parts.flat();
}
