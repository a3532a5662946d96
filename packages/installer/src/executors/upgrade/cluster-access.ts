/*
 * How the upgrade reaches the cluster: the cluster-admin kubeconfig from the state (install kept it there), and `oc`
 * with it.
 */
import type { ObjectStore } from '@ocp-sts/state';
import { runTool, toolContext, UserError, type ClusterStep, type ToolResult } from '@ocp-sts/toolchain';
import { kubeconfigFromState } from '../../installer-dir.ts';

/** `oc` on the cluster; `echo` false keeps its command and output off the terminal (default true). */
export type ClusterOc = (args: string[], echo?: boolean) => Promise<ToolResult>;

/** The cluster-admin kubeconfig from the state, in .work/ (0600); without it the cluster cannot be reached. */
export async function clusterKubeconfig(step: ClusterStep, state: ObjectStore): Promise<string> {
  const path = await kubeconfigFromState(step, state);
  if (!path) {
    throw new UserError(
      `${step.loaded.cluster.name} has no kubeconfig in its state (${state.where}): the cluster cannot be reached to upgrade it`,
    );
  }
  return path;
}

export function clusterOc(step: ClusterStep, kubeconfig: string, binDirs: string[]): ClusterOc {
  return (args, echo = true) =>
    runTool({ tool: 'oc', args: ['--kubeconfig', kubeconfig, ...args], ...toolContext(step), binDirs, echo });
}
