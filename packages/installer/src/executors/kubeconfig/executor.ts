import type { ExecutorContext } from '@nx/devkit';
import { clusterStep, runStep } from '@ocp-sts/toolchain';
import { writeKubeconfig } from './kubeconfig.ts';

export default async function kubeconfigExecutor(_options: Record<string, never>, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const step = clusterStep(ctx, 'kubeconfig');
    const { path, from } = await writeKubeconfig(step);
    console.log(`kubeconfig: ${step.show(path)} (owner-only) from the state of ${step.loaded.cluster.name} (${from})`);
    console.log(`  export KUBECONFIG=${step.show(path)}`);
  });
}
