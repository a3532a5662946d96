/*
 * What verify reports: findings (something wrong, with the resource, what was expected, what was found and the fix)
 * and a count of the checks made, so that "0 errors" means something.
 */

export type Severity = 'error' | 'warning';

/** The check families, in the order the text output groups them. */
export const CHECK_FAMILIES = [
  'outputs',
  'identity',
  'oidc-provider',
  'oidc-documents',
  'roles',
  'trust-policy',
  'role-policy',
  'permissions-boundary',
] as const;
export type CheckFamily = (typeof CHECK_FAMILIES)[number];

export const FAMILY_TITLES: Record<CheckFamily, string> = {
  outputs: "ccoctl's output and the CredentialsRequests",
  identity: 'AWS identity',
  'oidc-provider': 'IAM OIDC provider',
  'oidc-documents': 'OIDC discovery document and JWKS',
  roles: 'IAM roles',
  'trust-policy': 'role trust policies',
  'role-policy': 'role inline policies',
  'permissions-boundary': 'permissions boundaries',
};

export interface Finding {
  severity: Severity;
  check: CheckFamily;
  /** An ARN, `s3://bucket/key`, or a workspace-relative file. */
  resource: string;
  expected: string;
  found: string;
  /** What to do about it, e.g. `re-run ccoctl: nx run prod:ccoctl --skip-nx-cache`. */
  fix: string;
}

/** Collects findings and counts checks; shared by the check modules of one cluster. */
export class Findings {
  readonly items: Finding[] = [];
  private counts = new Map<CheckFamily, number>();

  /** Counts one check of a family (passed or not). */
  checked(family: CheckFamily, n = 1): void {
    this.counts.set(family, (this.counts.get(family) ?? 0) + n);
  }

  add(finding: Finding): void {
    this.items.push(finding);
  }

  error(check: CheckFamily, resource: string, expected: string, found: string, fix: string): void {
    this.add({ severity: 'error', check, resource, expected, found, fix });
  }

  warning(check: CheckFamily, resource: string, expected: string, found: string, fix: string): void {
    this.add({ severity: 'warning', check, resource, expected, found, fix });
  }

  get checks(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  get errors(): number {
    return this.items.filter((f) => f.severity === 'error').length;
  }

  get warnings(): number {
    return this.items.filter((f) => f.severity === 'warning').length;
  }

  /** Findings by family, errors first, then by resource: output that does not depend on the timing of calls. */
  sorted(): Finding[] {
    const rank = (f: Finding) => CHECK_FAMILIES.indexOf(f.check);
    const severity = (f: Finding) => (f.severity === 'error' ? 0 : 1);
    return this.items
      .map((f, i) => ({ f, i }))
      .sort(
        (a, b) =>
          rank(a.f) - rank(b.f) ||
          severity(a.f) - severity(b.f) ||
          a.f.resource.localeCompare(b.f.resource) ||
          a.i - b.i,
      )
      .map(({ f }) => f);
  }
}

/** The fixes that recur; `project` is the Nx project (the cluster). */
export const fixes = {
  rerunCcoctl: (project: string) => `re-run ccoctl: nx run ${project}:ccoctl --skip-nx-cache`,
  /** ccoctl reuses an existing role as it is: trust policy, boundary and tags are not updated on a re-run. */
  recreateRole: (project: string, role: string) =>
    `ccoctl does not update an existing role's trust policy: delete the role (aws iam delete-role-policy ` +
    `--role-name ${role} --policy-name ${role} && aws iam delete-role --role-name ${role}), then re-run ccoctl: ` +
    `nx run ${project}:ccoctl --skip-nx-cache`,
};

/** `a, b and c` (or `none`). */
export function listText(items: readonly string[], none = 'none'): string {
  if (items.length === 0) return none;
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}
