import {
  CLUSTER_FILE,
  CLUSTERS_DIR,
  DEFAULTS_FILE,
  RELEASE_IMAGE_ENV,
  RELEASE_LOCK_FILE,
  TARGET_OUTPUTS,
} from '@ocp-sts/cluster-config/layout';
import type { TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

/**
 * Another cluster claiming this one's sts name: render reads its cluster.yaml to report both, so it hashes it, and
 * gets the list as an option. Both exist only during a collision: the key of a cluster that shares its sts name with
 * no other does not depend on the other clusters' files (see sts-name-sharing.ts in the plugin).
 */
export const target = {
  name: 'render',
  executor: '@ocp-sts/installer:render',
  cache: true,
  options: ({ stsNameSharedWith }) =>
    stsNameSharedWith.length ? { stsNameSharedWith: [...stsNameSharedWith] } : undefined,
  inputs: ({ pluginInputs, stsNameSharedWith }) => [
    // The cluster's own configuration: its cluster.yaml and the defaults merged under every cluster.
    `{projectRoot}/${CLUSTER_FILE}`,
    `{workspaceRoot}/${CLUSTERS_DIR}/${DEFAULTS_FILE}`,
    // The pin of an "X.Y" openshift.version, and the variable naming a release image for the run: render decides it.
    `{projectRoot}/${RELEASE_LOCK_FILE}`,
    { env: RELEASE_IMAGE_ENV },
    ...pluginInputs,
    // The libraries whose version changes what render writes.
    { externalDependencies: ['yaml', 'zod'] },
    ...stsNameSharedWith.map((file) => `{workspaceRoot}/${file}`),
  ],
  output: TARGET_OUTPUTS.render,
  metadata: {
    description: 'Validate cluster.yaml, pin the release, write install-config.yaml without pull secret or ssh key',
    technologies: ['openshift'],
  },
  runsTools: false,
} as const satisfies TargetDeclaration;
