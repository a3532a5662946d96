/*
 * Names shared by the inferred targets, declared once. Paths use Nx's {projectRoot} / {workspaceRoot} tokens.
 */

export const PLUGIN_NAME = '@ocp-sts/nx-plugin';

/** Every clusters/<name>/cluster.yaml is a project. */
export const CLUSTER_CONFIG_GLOB = 'clusters/*/cluster.yaml';

export const CLUSTER_TAG = 'type:cluster';

/**
 * The packages whose code runs in the targets. Nx does not hash a local executor's source by itself, so when they
 * live in this workspace every cluster depends on them: a change to their source invalidates the cache and marks
 * every cluster affected.
 */
export const PLUGIN_PACKAGES = [
  '@ocp-sts/cluster-config',
  '@ocp-sts/toolchain',
  '@ocp-sts/installer',
  '@ocp-sts/sts',
  '@ocp-sts/nx-plugin',
] as const;

/** Libraries whose version changes what the targets write. */
export const LIBRARY_DEPENDENCIES = ['yaml', 'zod'] as const;

/** The cluster's own configuration: its cluster.yaml and the defaults merged under every cluster. */
export const CLUSTER_CONFIG_INPUTS = ['{projectRoot}/cluster.yaml', '{workspaceRoot}/clusters/defaults.yaml'];

export const WORK = '{projectRoot}/.work';

/** Seed-compatible switches that change what a step does, hashed where they matter. */
export const RELEASE_ENV = 'OPENSHIFT_RELEASE_IMAGE';
