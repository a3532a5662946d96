import type { TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

export const target = {
  name: 'preflight',
  executor: '@ocp-sts/sts:preflight',
  cache: false,
  metadata: {
    description: 'Check the AWS account, region, pull secret, ssh key, OIDC bucket name and tools, all at once',
    technologies: ['aws', 'openshift'],
  },
  runsTools: true,
} as const satisfies TargetDeclaration;
