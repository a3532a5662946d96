/*
 * cluster.yaml's tags on what ccoctl made (the ccoctl step puts them there beside the owner tag): each missing or
 * changed one is a warning, not an error, since no token exchange depends on it, but a cost or compliance policy
 * flags exactly these resources. Read from the answers verify has anyway (GetRole, GetOpenIDConnectProvider): no call
 * of its own.
 */
import type { TagLike } from '@ocp-sts/aws';
import { fixes, type Findings } from './findings.ts';
import type { ClusterFacts } from './outputs.ts';

export function checkUserTags(
  facts: ClusterFacts,
  check: 'roles' | 'oidc-provider',
  resource: string,
  tags: readonly TagLike[] | undefined,
  findings: Findings,
): void {
  const wanted = Object.entries(facts.userTags ?? {});
  if (!wanted.length) return;
  findings.checked(check);
  const has = new Map((tags ?? []).map((t) => [t.Key, t.Value]));
  const drifted = wanted.filter(([key, value]) => has.get(key) !== value);
  if (!drifted.length) return;
  findings.warning(
    check,
    resource,
    `user tags ${wanted.map(([key, value]) => `${key}=${value}`).join(', ')} (cluster.yaml's tags)`,
    drifted.map(([key]) => (has.has(key) ? `${key}=${has.get(key) ?? ''}` : `no ${key}`)).join(', '),
    fixes.rerunCcoctl(facts.project),
  );
}
