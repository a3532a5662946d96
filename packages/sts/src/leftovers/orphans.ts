/*
 * Orphans: what ccoctl made for an sts name that no cluster in clusters/ uses any more (a cluster renamed, deleted,
 * or given a new sts_name without a destroy). Which sts names are in use is read from every clusters/<name>/cluster.yaml
 * (credentials.sts_name, default the cluster name); a cluster.yaml that does not load is skipped with a warning, but
 * its folder name and any sts_name still readable in it stay claimed, so that a typo never makes a live cluster's
 * roles look orphaned.
 *
 * An sts name no cluster claims is still not an orphan when what it holds carries the owner tag
 * (ownership/owner-tag.ts) of a cluster that is still in clusters/, or when the state of such a cluster records that
 * ccoctl made it for that cluster (its ccoctl record, which destroy removes): that cluster's credentials.sts_name was
 * edited after its install, and the running cluster still uses the old name's roles and issuer. It is listed as
 * renamed and never deleted.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CLUSTER_FILE, CLUSTERS_DIR, loadClusterConfig } from '@ocp-sts/cluster-config';
import { openStateStore, readRecord, STATE_RECORDS, type CcoctlStateRecord } from '@ocp-sts/state';
import type { AwsClients } from '@ocp-sts/aws';
import { findStsResources, type ScanOptions } from '../inventory/scan.ts';
import { groupByStsName, type StsResource } from '../inventory/resources.ts';

export interface ClusterClaim {
  cluster: string;
  stsName: string;
  /** platform.region, when the cluster.yaml loaded. */
  region?: string;
  /** false: the cluster.yaml did not load; the name was read as well as it could be. */
  loaded: boolean;
}

export interface Claims {
  claims: ClusterClaim[];
  warnings: string[];
  /** Clusters whose sts_name could not be read at all (only their folder name is claimed). */
  unresolved: string[];
}

function bestEffortStsName(file: string): string | undefined {
  try {
    const doc = parse(readFileSync(file, 'utf8')) as { credentials?: { sts_name?: unknown } } | null;
    const name = doc?.credentials?.sts_name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** The sts names the clusters in `<workspace>/clusters/` use. */
export function clusterClaims(workspaceRoot: string): Claims {
  const dir = join(workspaceRoot, CLUSTERS_DIR);
  const result: Claims = { claims: [], warnings: [], unresolved: [] };
  const folders = readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory() && existsSync(join(dir, d, CLUSTER_FILE)))
    .sort();
  for (const cluster of folders) {
    const projectRoot = `${CLUSTERS_DIR}/${cluster}`;
    try {
      const loaded = loadClusterConfig({ workspaceRoot, projectRoot });
      result.claims.push({ cluster, stsName: loaded.stsName, region: loaded.cluster.platform.region, loaded: true });
    } catch (error) {
      const first = (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 2).join(' ');
      const raw = bestEffortStsName(join(dir, cluster, CLUSTER_FILE));
      result.warnings.push(
        `skipping ${projectRoot}/${CLUSTER_FILE}, which does not load (${first.trim()}); its sts names ` +
          `${raw && raw !== cluster ? `${cluster} and ${raw} are` : `${cluster} is`} still treated as in use`,
      );
      result.claims.push({ cluster, stsName: cluster, loaded: false });
      if (raw && raw !== cluster) result.claims.push({ cluster, stsName: raw, loaded: false });
      if (raw === undefined) result.unresolved.push(cluster);
    }
  }
  return result;
}

/**
 * The sts names the clusters' states record ccoctl made for them, by sts name: the clusters. A state that cannot be
 * read (its bucket unreachable) is a warning; the owner tags still speak for that cluster.
 */
async function stsNamesInStates(
  workspaceRoot: string,
  claims: ClusterClaim[],
  warnings: string[],
): Promise<Map<string, string[]>> {
  const byName = new Map<string, string[]>();
  for (const claim of claims.filter((c) => c.loaded)) {
    const projectRoot = `${CLUSTERS_DIR}/${claim.cluster}`;
    try {
      const store = openStateStore({
        workspaceRoot,
        projectRoot,
        loaded: loadClusterConfig({ workspaceRoot, projectRoot }),
      });
      const record = await readRecord<CcoctlStateRecord>(store, STATE_RECORDS.ccoctl);
      if (record?.stsName) byName.set(record.stsName, [...(byName.get(record.stsName) ?? []), claim.cluster]);
    } catch (error) {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      warnings.push(
        `could not read the state of ${claim.cluster} (${why}); only owner tags say which sts names it still uses`,
      );
    }
  }
  return byName;
}

export interface OrphanGroup {
  stsName: string;
  resources: StsResource[];
}

/** An sts name no cluster.yaml names, whose resources are owner-tagged for a cluster that still exists. */
export interface RenamedGroup extends OrphanGroup {
  /** The clusters (in clusters/) its owner tags name; normally one. */
  clusters: string[];
}

export interface OrphanScan extends Claims {
  regions: string[];
  orphans: OrphanGroup[];
  /** Unclaimed sts names still in use by a cluster whose sts_name was edited: never deleted. */
  renamed: RenamedGroup[];
  /** sts names with resources that belong to a cluster (not orphans). */
  inUse: string[];
}

/** Every sts name in the account (IAM, CloudFront; buckets in `regions`) that no cluster claims, with its resources. */
export async function findOrphans(
  clients: AwsClients,
  workspaceRoot: string,
  regions: string[],
  options: ScanOptions = {},
): Promise<OrphanScan> {
  const claims = clusterClaims(workspaceRoot);
  const warnings = [...claims.warnings];
  const resources = await findStsResources(
    clients,
    { all: true, regions },
    {
      ...options,
      onWarning: (w) => {
        warnings.push(w);
        options.onWarning?.(w);
      },
    },
  );
  const claimed = new Set(claims.claims.map((c) => c.stsName));
  const clusters = new Set(claims.claims.map((c) => c.cluster));
  const groups = [...groupByStsName(resources)];
  const unclaimed = groups.filter(([name]) => !claimed.has(name));
  const recorded = unclaimed.length
    ? await stsNamesInStates(workspaceRoot, claims.claims, warnings)
    : new Map<string, string[]>();
  const owners = (stsName: string, list: StsResource[]) =>
    [
      ...new Set([
        ...list.flatMap((r) => (r.owner && clusters.has(r.owner) ? [r.owner] : [])),
        ...(recorded.get(stsName) ?? []),
      ]),
    ].sort();
  return {
    ...claims,
    warnings,
    regions,
    orphans: unclaimed
      .filter(([stsName, list]) => owners(stsName, list).length === 0)
      .map(([stsName, list]) => ({ stsName, resources: list })),
    renamed: unclaimed
      .filter(([stsName, list]) => owners(stsName, list).length > 0)
      .map(([stsName, list]) => ({ stsName, clusters: owners(stsName, list), resources: list })),
    inUse: groups.filter(([name]) => claimed.has(name)).map(([name]) => name),
  };
}
