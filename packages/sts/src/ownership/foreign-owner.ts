/*
 * One cluster per sts name, in AWS: what ccoctl made for an sts name (the bucket, the IAM OIDC provider, the roles,
 * found as the leftovers scan finds them) whose owner tag names another cluster belongs to that cluster, and a
 * second cluster given the same credentials.sts_name must not adopt it (ccoctl would reuse its bucket and provider,
 * overwrite its key set and roles, and destroy would delete them). A resource without the owner tag (made before
 * the tag existed, or by hand) is not refused: nothing says whose it is.
 */
import type { AwsClients } from '@ocp-sts/aws';
import { findStsResources, type ScanOptions } from '../inventory/scan.ts';
import type { StsResource } from '../inventory/resources.ts';
import { ownerTagText } from './owner-tag.ts';

/** The kinds that carry tags and that another cluster would adopt. */
const REFUSED_KINDS: StsResource['kind'][] = ['s3-bucket', 'oidc-provider', 'iam-role'];

export interface ForeignOwned {
  /** The other cluster. */
  owner: string;
  resources: StsResource[];
}

function idOf(r: StsResource): string {
  return 'name' in r ? r.name : 'arn' in r ? r.arn : r.id;
}

/** Resources of `stsName` whose owner tag names a cluster other than `cluster`, grouped by that cluster. */
export async function foreignOwnedResources(
  clients: AwsClients,
  query: { stsName: string; cluster: string },
  options: ScanOptions = {},
): Promise<ForeignOwned[]> {
  const resources = await findStsResources(clients, { stsName: query.stsName }, options);
  return foreignOwned(resources, query.cluster);
}

/** Pure part of foreignOwnedResources. */
export function foreignOwned(resources: StsResource[], cluster: string): ForeignOwned[] {
  const byOwner = new Map<string, StsResource[]>();
  for (const r of resources) {
    if (!REFUSED_KINDS.includes(r.kind) || r.owner === undefined || r.owner === cluster) continue;
    byOwner.set(r.owner, [...(byOwner.get(r.owner) ?? []), r]);
  }
  return [...byOwner]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([owner, list]) => ({
      owner,
      resources: list.sort(
        (a, b) => REFUSED_KINDS.indexOf(a.kind) - REFUSED_KINDS.indexOf(b.kind) || idOf(a).localeCompare(idOf(b)),
      ),
    }));
}

function shortName(r: StsResource): string {
  switch (r.kind) {
    case 's3-bucket':
      return `the S3 bucket ${r.name}`;
    case 'oidc-provider':
      return `the IAM OIDC provider ${r.arn}`;
    case 'iam-role':
      return `the IAM role ${r.name}`;
    default:
      return `${r.kind} ${r.stsName}`;
  }
}

/** What the resources are, naming at most `most` of the roles (a cluster has a dozen or more). */
function listed(resources: StsResource[], most = 3): string {
  const roles = resources.flatMap((r) => (r.kind === 'iam-role' ? [r.name] : []));
  const parts = resources.filter((r) => r.kind !== 'iam-role').map(shortName);
  if (roles.length === 1) parts.push(`the IAM role ${roles[0]!}`);
  if (roles.length > 1) {
    const more = roles.length > most ? `, and ${roles.length - most} more` : '';
    parts.push(`${roles.length} IAM roles (${roles.slice(0, most).join(', ')}${more})`);
  }
  return parts.join(', ');
}

/** One line per other cluster: the resources, the owner, and the two ways out. */
export function foreignOwnerProblem(found: ForeignOwned, query: { stsName: string; cluster: string }): string {
  return (
    `sts_name ${query.stsName} is already used by the cluster ${found.owner}: ${listed(found.resources)} ` +
    `${found.resources.length === 1 ? 'is' : 'are'} tagged ${ownerTagText(found.owner)}, and two clusters cannot ` +
    `share one OIDC issuer and its roles. Choose another credentials.sts_name for ${query.cluster}, or destroy the ` +
    `cluster ${found.owner} first (nx run ${found.owner}:destroy --yes)`
  );
}
