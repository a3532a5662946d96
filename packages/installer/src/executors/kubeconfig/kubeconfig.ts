import { openStateStore } from '@ocp-sts/state';
import { UserError, type ClusterStep } from '@ocp-sts/toolchain';
import { kubeconfigFromState } from '../../installer-dir.ts';

export interface KubeconfigOutcome {
  /** Absolute path of the kubeconfig written. */
  path: string;
  /** Where it came from, for the message: the state backend's location. */
  from: string;
}

/**
 * The cluster-admin kubeconfig of an installed cluster, from its state (locally .work/state/; s3: the bucket),
 * written to .work/kubeconfig, owner-only. Read-only for the cluster and AWS, so it takes no lock; never cached, as
 * a credential must not be replayed from Nx's cache.
 */
export async function writeKubeconfig(step: ClusterStep): Promise<KubeconfigOutcome> {
  const state = openStateStore(step);
  const path = await kubeconfigFromState(step, state);
  if (!path) {
    throw new UserError(
      `${step.loaded.cluster.name} has no kubeconfig in its state (${state.where}): it is not installed, or was ` +
        `installed from a checkout whose state backend is local. Install it: nx run ${step.projectName}:install`,
    );
  }
  return { path, from: state.where };
}
