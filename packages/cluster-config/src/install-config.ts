import { parse, stringify } from 'yaml';
import type { CcoMode, ParsedCluster } from './schema.ts';
import { capabilitiesOfInstallConfig } from './capabilities.ts';
import { defaultMachinePlatformOf } from './machines.ts';
import { userTagsOfInstallConfig } from './tags.ts';

/** install-config.yaml `credentialsMode` for each CCO mode; mint is the installer's default and is left out. */
const CREDENTIALS_MODE: Record<CcoMode, string | undefined> = {
  mint: undefined,
  passthrough: 'Passthrough',
  manual: 'Manual',
  'manual-sts': 'Manual',
};

/**
 * The install-config of a cluster, without `pullSecret` and `sshKey`: the manifests step adds those in its own
 * output folder, so that render runs (and CI diffs) without any secret. Same cluster, same bytes.
 */
export function renderInstallConfig(cluster: ParsedCluster): string {
  const { platform, openshift } = cluster;
  const pool = (name: string, type: string, replicas: number) => ({
    architecture: 'amd64',
    hyperthreading: 'Enabled',
    name,
    platform: { aws: { type, ...(platform.zones?.length ? { zones: [...platform.zones] } : {}) } },
    replicas,
  });
  // Spot workers are added as machine sets after the install (as the seed does): the installer's pool gets none.
  const computeReplicas = openshift.compute_market === 'spot' ? 0 : openshift.compute_replicas;
  const credentialsMode = CREDENTIALS_MODE[cluster.credentials.cco_mode];
  const installConfig = {
    apiVersion: 'v1',
    baseDomain: cluster.dns.base_domain,
    ...(credentialsMode ? { credentialsMode } : {}),
    ...(openshift.feature_set === 'Default' ? {} : { featureSet: openshift.feature_set }),
    ...capabilitiesOfInstallConfig(openshift.capabilities),
    ...(openshift.fips ? { fips: true } : {}),
    metadata: { name: cluster.name },
    controlPlane: pool('master', openshift.instance_type_control_plane, openshift.control_plane_replicas),
    compute: [pool('worker', openshift.instance_type_compute, computeReplicas)],
    platform: {
      aws: {
        region: platform.region,
        ...userTagsOfInstallConfig(cluster.tags),
        ...defaultMachinePlatformOf(cluster.machines),
      },
    },
    publish: 'External',
  };
  const header =
    `# Rendered from clusters/${cluster.name}/cluster.yaml by the render target; do not edit.\n` +
    `# pullSecret and sshKey are added by the manifests target.\n`;
  return header + stringify(installConfig, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The machines an install-config asks for, and where. */
export interface InstallConfigSummary {
  region: string;
  controlPlane: number;
  compute: number;
}

/**
 * Read back from an install-config's text, so that what render prints is what it wrote (spot compute is 0 in the
 * file whatever compute_replicas says).
 */
export function summarizeInstallConfig(text: string): InstallConfigSummary {
  const config = parse(text) as {
    controlPlane?: { replicas?: number };
    compute?: { replicas?: number }[];
    platform?: { aws?: { region?: string } };
  };
  return {
    region: config.platform?.aws?.region ?? '(no region)',
    controlPlane: config.controlPlane?.replicas ?? 0,
    compute: (config.compute ?? []).reduce((sum, pool) => sum + (pool.replicas ?? 0), 0),
  };
}
