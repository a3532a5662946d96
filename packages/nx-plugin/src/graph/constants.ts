import {
  CLUSTER_FILE,
  DEFAULTS_FILE,
  RELEASE_FILE,
  RELEASE_IMAGE_ENV,
  RELEASE_LOCK_FILE,
  WORK_DIR,
} from '@ocp-sts/cluster-config/layout';

/*
 * Names shared by the inferred targets, declared once. Paths use Nx's {projectRoot} / {workspaceRoot} tokens.
 */

export const PLUGIN_NAME = '@ocp-sts/nx-plugin';

/** Every clusters/<name>/cluster.yaml is a project. */
export const CLUSTER_CONFIG_GLOB = `clusters/*/${CLUSTER_FILE}`;

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
export const CLUSTER_CONFIG_INPUTS = [`{projectRoot}/${CLUSTER_FILE}`, `{workspaceRoot}/clusters/${DEFAULTS_FILE}`];

export const WORK = `{projectRoot}/${WORK_DIR}`;

/** The seed's switch for the release image, hashed by render, which decides the release. */
export const RELEASE_ENV = RELEASE_IMAGE_ENV;

/** The pin of an "X.Y" openshift.version, beside cluster.yaml. */
export const RELEASE_LOCK = `{projectRoot}/${RELEASE_LOCK_FILE}`;

/** render's record of the release, which every step that runs a release tool hashes. */
export { RELEASE_FILE };
