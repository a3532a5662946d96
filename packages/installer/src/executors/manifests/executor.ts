import type { ExecutorContext } from '@nx/devkit';
import { clusterStep, runStep, type ToolOptions } from '@ocp-sts/toolchain';
import { createManifests } from './manifests.ts';

export type ManifestsExecutorOptions = ToolOptions;

export default async function manifestsExecutor(options: ManifestsExecutorOptions, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const step = clusterStep(ctx, 'manifests', options);
    const { infraID, manifestCount } = await createManifests(step, options);
    console.log(`manifests: ${manifestCount} manifests in ${step.show(step.dir('manifests'))}, infraID ${infraID}`);
  });
}
