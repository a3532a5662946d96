import type { TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

export const target = {
  name: 'destroy',
  executor: '@ocp-sts/installer:destroy',
  dependsOn: ['preflight'],
  cache: false,
  metadata: {
    description: 'openshift-install destroy cluster, then ccoctl aws delete, then list what is left',
    technologies: ['openshift', 'aws'],
  },
  runsTools: true,
} as const satisfies TargetDeclaration;
