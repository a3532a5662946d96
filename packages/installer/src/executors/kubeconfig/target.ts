import type { TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

/** Uncached (a credential is never replayed from Nx's cache) and without dependencies: it only reads the state. */
export const target = {
  name: 'kubeconfig',
  executor: '@ocp-sts/installer:kubeconfig',
  cache: false,
  metadata: {
    description: "Write the installed cluster's admin kubeconfig from its state backend to .work/kubeconfig (0600)",
    technologies: ['openshift'],
  },
  runsTools: false,
} as const satisfies TargetDeclaration;
