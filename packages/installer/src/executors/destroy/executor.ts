import type { ExecutorContext } from '@nx/devkit';
import { withClusterLock } from '@ocp-sts/state';
import { clusterStep, runStep } from '@ocp-sts/toolchain';
import { confirmDestroy, destroyCluster, type DestroyOptions } from './destroy.ts';

export default async function destroyExecutor(options: DestroyOptions, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const step = clusterStep(ctx, 'destroy', options);
    await confirmDestroy(step, options);
    const outcome = await withClusterLock(step, () => destroyCluster(step, options));
    const name = step.loaded.cluster.name;
    console.log(
      outcome.cluster === 'destroyed'
        ? `destroy: the cluster ${name} is destroyed`
        : `destroy: ${name} had no installed infrastructure`,
    );
    for (const warning of outcome.warnings) process.stderr.write(`warning: ${warning}\n`);
    if (outcome.sts === 'deleted') {
      console.log(
        `destroy: ccoctl deleted what is tagged for ${step.loaded.stsName}, and nothing tagged for it or named ` +
          `${step.loaded.stsName}-* is left (IAM roles, OIDC provider, S3 bucket, CloudFront)`,
      );
    }
  });
}
