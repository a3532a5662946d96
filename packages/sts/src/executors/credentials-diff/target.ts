import type { TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';

/**
 * Uncached: its answer depends on what is outside the inputs Nx can hash: the state's installed record (a cluster
 * installed or upgraded since would be answered from a stale entry) or, with --base, what a ref names now (a branch
 * moves; Nx hashes the option's text, not the commit it points to). It depends on extract for the head release's
 * requests; the base release's are kept in .work/release-requests/<digest>/, so a re-run costs no extraction.
 */
export const target = {
  name: 'credentials-diff',
  executor: '@ocp-sts/sts:credentials-diff',
  dependsOn: ['extract'],
  cache: false,
  metadata: {
    description:
      'What changed in the AWS CredentialsRequests from the installed release (or --base=<git ref>) to this one',
    technologies: ['openshift', 'aws'],
  },
  runsTools: true,
} as const satisfies TargetDeclaration;
