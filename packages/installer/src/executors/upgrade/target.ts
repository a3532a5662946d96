import type { TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

/**
 * Uncached: it changes the cluster. The target release's requests come from extract. It runs preflight's checks
 * itself, but for the installer's release: the preflight target would refuse the installed release's openshift-install.
 */
export const target = {
  name: 'upgrade',
  executor: '@ocp-sts/installer:upgrade',
  dependsOn: ['extract'],
  cache: false,
  metadata: {
    description:
      'Upgrade the installed cluster to the release this commit names: IAM roles and Secrets first, then oc adm upgrade',
    technologies: ['openshift', 'aws'],
  },
  runsTools: true,
} as const satisfies TargetDeclaration;
