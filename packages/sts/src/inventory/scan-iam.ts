/*
 * The IAM part of the scan: roles (with their inline and attached policies) and OIDC providers. Both are global, and
 * their tags are read with ListRoleTags / ListOpenIDConnectProviderTags (the Resource Groups Tagging API never
 * returns them). For one sts name, roles are the ones named `<sts_name>-*` (ccoctl names every role so; the sts name
 * is at most 58 characters, so the cut to 64 keeps the prefix) that are not tagged for another sts name (`prod` must
 * not claim the roles of `prod-east`); the provider is the one tagged for it or whose issuer is its bucket.
 */
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
import { oidcBucketName } from '@ocp-sts/aws';
import type { OidcProviderResource, RoleResource } from './resources.ts';
import { find, ownerField, type Scan } from './scan-context.ts';

async function allRoles(scan: Scan): Promise<Role[]> {
  const { iam } = scan.aws.clients;
  const roles: Role[] = [];
  let marker: string | undefined;
  do {
    const page = await find(scan, 'iam:ListRoles', () =>
      iam.send(new ListRolesCommand({ ...(marker && { Marker: marker }) })),
    );
    roles.push(...(page?.Roles ?? []));
    marker = page?.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return roles;
}

async function roleTags(scan: Scan, roleName: string): Promise<Tag[] | undefined> {
  const { iam } = scan.aws.clients;
  const tags: Tag[] = [];
  let marker: string | undefined;
  do {
    const page = await find(scan, 'iam:ListRoleTags', () =>
      iam.send(new ListRoleTagsCommand({ RoleName: roleName, ...(marker && { Marker: marker }) })),
    );
    if (!page) return undefined; // deleted since it was listed
    tags.push(...(page.Tags ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return tags;
}

async function rolePolicies(scan: Scan, roleName: string): Promise<{ inline: string[]; attached: string[] }> {
  const { iam } = scan.aws.clients;
  const inline: string[] = [];
  const attached: string[] = [];
  let marker: string | undefined;
  do {
    const page = await find(scan, 'iam:ListRolePolicies', () =>
      iam.send(new ListRolePoliciesCommand({ RoleName: roleName, ...(marker && { Marker: marker }) })),
    );
    inline.push(...(page?.PolicyNames ?? []));
    marker = page?.IsTruncated ? page.Marker : undefined;
  } while (marker);
  do {
    const page = await find(scan, 'iam:ListAttachedRolePolicies', () =>
      iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(marker && { Marker: marker }) })),
    );
    attached.push(...(page?.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])));
    marker = page?.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return { inline, attached };
}

export async function findRoles(scan: Scan): Promise<RoleResource[]> {
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
        ...ownerField(tags),
        name,
        arn: role.Arn ?? name,
        inlinePolicies: policies.inline.sort(),
        attachedPolicies: policies.attached.sort(),
      }));
    }),
  );
  return found.flat();
}

async function providerTags(scan: Scan, arn: string): Promise<Tag[] | undefined> {
  const { iam } = scan.aws.clients;
  const tags: Tag[] = [];
  let marker: string | undefined;
  do {
    const page = await find(scan, 'iam:ListOpenIDConnectProviderTags', () =>
      iam.send(
        new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn, ...(marker && { Marker: marker }) }),
      ),
    );
    if (!page) return undefined; // deleted since it was listed
    tags.push(...(page.Tags ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return tags;
}

export async function findProviders(scan: Scan): Promise<OidcProviderResource[]> {
  const list = await find(scan, 'iam:ListOpenIDConnectProviders', () =>
    scan.aws.clients.iam.send(new ListOpenIDConnectProvidersCommand({})),
  );
  const found = await Promise.all(
    (list?.OpenIDConnectProviderList ?? []).map(async ({ Arn: arn }): Promise<OidcProviderResource[]> => {
      if (!arn) return [];
      const tags = await providerTags(scan, arn);
      if (!tags) return [];
      const url = arn.replace(/^arn:[^:]+:iam::\d*:oidc-provider\//, '');
      const named = !('all' in scan.query) && url.startsWith(`${oidcBucketName(scan.query.stsName)}.`);
      return scan
        .owners(tags, named)
        .map(({ stsName, match }) => ({ kind: 'oidc-provider', stsName, match, ...ownerField(tags), arn, url }));
    }),
  );
  return found.flat();
}
