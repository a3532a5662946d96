import { join } from 'node:path';
import { outputDir, RELEASE_FILE, TARGET_OUTPUTS } from '@ocp-sts/cluster-config/layout';
import { fromDependencies, type TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

export const target = {
  name: 'ccoctl',
  executor: '@ocp-sts/sts:ccoctl',
  dependsOn: ['extract'],
  cache: true,
  // The installed release: an installed cluster keeps its roles until upgrade (installed-release.js in the plugin).
  inputs: ({ projectRoot, pluginInputs, installedRelease }) => [
    fromDependencies('**/*.yaml'),
    fromDependencies('**/slices/ccoctl.json', true),
    fromDependencies(`**/${RELEASE_FILE}`, true),
    installedRelease(join(outputDir(projectRoot, 'render'), RELEASE_FILE)),
    { env: 'CCO_DRY_RUN' },
    { env: 'CCO_CREATE_PRIVATE_S3_BUCKET' },
    ...pluginInputs,
  ],
  output: TARGET_OUTPUTS.ccoctl,
  metadata: {
    description: 'ccoctl aws create-all: the OIDC issuer and one IAM role per CredentialsRequest',
    technologies: ['openshift', 'aws'],
  },
  runsTools: true,
} as const satisfies TargetDeclaration;
