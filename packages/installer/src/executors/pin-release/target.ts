import type { TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

export const target = {
  name: 'pin-release',
  executor: '@ocp-sts/installer:pin-release',
  cache: false,
  metadata: {
    description: 'Move the release pin of an "X.Y" openshift.version to the newest X.Y.z (release.lock.json)',
    technologies: ['openshift'],
  },
  runsTools: false,
} as const satisfies TargetDeclaration;
