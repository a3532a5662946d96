/*
 * The AWS resources ccoctl makes for an sts name, as the scan (scan.ts) finds them, and how to name and delete each.
 */
import type { AwsTarget } from '@ocp-sts/aws';

/** How a resource was tied to its sts name: by ccoctl's tag, or only by its name (`<sts_name>-*`). */
export type Match = 'tag' | 'name';

interface Base {
  stsName: string;
  match: Match;
  /** The cluster its owner tag (ownership/owner-tag.ts) names, when it has one. */
  owner?: string;
}

export interface RoleResource extends Base {
  kind: 'iam-role';
  name: string;
  arn: string;
  inlinePolicies: string[];
  /** Managed policies attached to it (ccoctl attaches none, but DeleteRole fails while any is). */
  attachedPolicies: string[];
}

export interface OidcProviderResource extends Base {
  kind: 'oidc-provider';
  arn: string;
  /** The issuer, from the ARN: `host/path`, without scheme. */
  url: string;
}

export interface BucketResource extends Base {
  kind: 's3-bucket';
  name: string;
  region: string;
  /** Keys of the objects in it (the discovery document and the JWKS, normally). */
  objects: string[];
}

export interface DistributionResource extends Base {
  kind: 'cloudfront-distribution';
  id: string;
  arn: string;
  domainName: string;
  enabled: boolean;
}

export interface OriginAccessIdentityResource extends Base {
  kind: 'cloudfront-origin-access-identity';
  id: string;
  comment: string;
}

/** What the ccoctl stand-in used in place of ccoctl's origin access identity; also what newer setups use. */
export interface OriginAccessControlResource extends Base {
  kind: 'cloudfront-origin-access-control';
  id: string;
  name: string;
}

export type StsResource =
  | RoleResource
  | OidcProviderResource
  | BucketResource
  | DistributionResource
  | OriginAccessIdentityResource
  | OriginAccessControlResource;

/** The safe order of deletion: nothing is deleted while something else still uses it. */
export const DELETE_ORDER: StsResource['kind'][] = [
  'iam-role',
  'oidc-provider',
  's3-bucket',
  'cloudfront-distribution',
  'cloudfront-origin-access-identity',
  'cloudfront-origin-access-control',
];

export function sortForDeletion<T extends StsResource>(resources: T[]): T[] {
  return [...resources].sort((a, b) => DELETE_ORDER.indexOf(a.kind) - DELETE_ORDER.indexOf(b.kind));
}

/** One line naming the resource: kind, name or id, ARN, and what is in it. */
export function describeResource(r: StsResource): string {
  const how = r.match === 'name' ? ' (untagged; matched by its name)' : '';
  switch (r.kind) {
    case 'iam-role': {
      const inline = r.inlinePolicies.length
        ? `, inline polic${r.inlinePolicies.length === 1 ? 'y' : 'ies'} ${r.inlinePolicies.join(', ')}`
        : '';
      const attached = r.attachedPolicies.length ? `, attached ${r.attachedPolicies.join(', ')}` : '';
      return `IAM role ${r.name} (${r.arn})${inline}${attached}${how}`;
    }
    case 'oidc-provider':
      return `IAM OIDC provider ${r.arn}${how}`;
    case 's3-bucket':
      return `S3 bucket ${r.name} in ${r.region} (${r.objects.length} object${r.objects.length === 1 ? '' : 's'}${r.objects.length ? `: ${r.objects.join(', ')}` : ''})${how}`;
    case 'cloudfront-distribution':
      return `CloudFront distribution ${r.id} (${r.arn}, ${r.domainName}, ${r.enabled ? 'enabled' : 'disabled'})${how}`;
    case 'cloudfront-origin-access-identity':
      return `CloudFront origin access identity ${r.id} ("${r.comment}")${how}`;
    case 'cloudfront-origin-access-control':
      return `CloudFront origin access control ${r.id} (${r.name})${how}`;
  }
}

/** The AWS CLI commands that delete the resource by hand. */
export function howToDelete(r: StsResource, target: Pick<AwsTarget, 'profile'>): string {
  const p = target.profile ? ` --profile ${target.profile}` : '';
  switch (r.kind) {
    case 'iam-role':
      return [
        ...r.attachedPolicies.map((a) => `aws iam detach-role-policy${p} --role-name ${r.name} --policy-arn ${a}`),
        ...r.inlinePolicies.map((n) => `aws iam delete-role-policy${p} --role-name ${r.name} --policy-name ${n}`),
        `aws iam delete-role${p} --role-name ${r.name}`,
      ].join(' && ');
    case 'oidc-provider':
      return `aws iam delete-open-id-connect-provider${p} --open-id-connect-provider-arn ${r.arn}`;
    case 's3-bucket':
      return `aws s3 rb${p} --region ${r.region} --force s3://${r.name}`;
    case 'cloudfront-distribution':
      return (
        (r.enabled
          ? `disable it (aws cloudfront update-distribution${p} --id ${r.id} with Enabled=false), wait until it is Deployed, then `
          : '') + `aws cloudfront delete-distribution${p} --id ${r.id} --if-match <ETag of get-distribution>`
      );
    case 'cloudfront-origin-access-identity':
      return `aws cloudfront delete-cloud-front-origin-access-identity${p} --id ${r.id} --if-match <ETag>`;
    case 'cloudfront-origin-access-control':
      return `aws cloudfront delete-origin-access-control${p} --id ${r.id} --if-match <ETag>`;
  }
}

/** Resources grouped by sts name, names sorted, each group in deletion order. */
export function groupByStsName(resources: StsResource[]): Map<string, StsResource[]> {
  const groups = new Map<string, StsResource[]>();
  for (const r of resources) groups.set(r.stsName, [...(groups.get(r.stsName) ?? []), r]);
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortForDeletion(v)]));
}
