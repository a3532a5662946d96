import { join } from 'node:path';
import { MANIFESTS_SECRET_FILES, outputDir, RELEASE_FILE, TARGET_OUTPUTS } from '@ocp-sts/cluster-config/layout';
import { fromDependencies, type TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

export const target = {
  name: 'manifests',
  executor: '@ocp-sts/installer:manifests',
  dependsOn: ['render'],
  cache: true,
  // A digest of the pull secret and ssh key, wherever cluster.yaml puts them: a new key must give new manifests.
  inputs: ({ projectRoot, pluginInputs, secretDigests }) => [
    fromDependencies('**/install-config.yaml'),
    fromDependencies(`**/${RELEASE_FILE}`),
    secretDigests(join(outputDir(projectRoot, 'render'), MANIFESTS_SECRET_FILES)),
    ...pluginInputs,
  ],
  output: TARGET_OUTPUTS.manifests,
  metadata: {
    description: 'openshift-install create manifests on the rendered config plus pull secret and ssh key',
    technologies: ['openshift'],
  },
  runsTools: true,
} as const satisfies TargetDeclaration;
