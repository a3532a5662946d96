import type { TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

/** Uncached and without dependencies: it must run while the cluster is locked, and touch nothing else. */
export const target = {
  name: 'unlock',
  executor: '@ocp-sts/state:unlock',
  cache: false,
  metadata: {
    description: "Remove the cluster's stale lock (a run that is gone), given its id: --lockId=<id>",
    technologies: ['aws'],
  },
  runsTools: false,
} as const satisfies TargetDeclaration;
