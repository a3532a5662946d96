import type { ExecutorContext } from '@nx/devkit';
import { clusterStep, runStep } from '@ocp-sts/toolchain';
import { describeHolder, unlockCluster } from '../../lock.ts';

export interface UnlockOptions {
  lockId: string;
}

export default async function unlockExecutor(options: UnlockOptions, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const step = clusterStep(ctx, 'unlock');
    const outcome = await unlockCluster(step, options.lockId);
    console.log(
      outcome.kind === 'removed'
        ? `unlock: removed the lock ${options.lockId} of ${step.loaded.cluster.name} (${describeHolder(outcome.record)})`
        : `unlock: ${step.loaded.cluster.name} holds no lock; nothing to remove`,
    );
  });
}
