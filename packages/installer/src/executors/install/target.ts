import { TARGET_OUTPUTS } from '@ocp-sts/cluster-config/layout';
import type { TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

export const target = {
  name: 'install',
  executor: '@ocp-sts/installer:install',
  dependsOn: ['preflight', 'inject', 'verify'],
  cache: false,
  output: TARGET_OUTPUTS.install,
  metadata: {
    description: 'openshift-install create cluster on a copy of the staged dir; kubeconfig to .work/kubeconfig',
    technologies: ['openshift', 'aws'],
  },
  runsTools: true,
} as const satisfies TargetDeclaration;
