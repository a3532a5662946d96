import type { TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

export const target = {
  name: 'verify',
  executor: '@ocp-sts/sts:verify',
  dependsOn: ['ccoctl'],
  cache: false,
  metadata: {
    description: 'Read-only AWS check that the OIDC provider, JWKS and every role still match (before install)',
    technologies: ['aws'],
  },
  runsTools: true,
} as const satisfies TargetDeclaration;
