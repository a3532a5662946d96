import type { ExecutorContext } from '@nx/devkit';
import { clusterStep, runStep, stsIsOff } from '@ocp-sts/toolchain';
import { stageInstallerDir } from './inject.ts';

export default async function injectExecutor(_options: Record<string, never>, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const step = clusterStep(ctx, 'inject');
    const { injected } = await stageInstallerDir(step);
    const where = step.show(step.dir('inject'));
    console.log(
      stsIsOff(step)
        ? `inject: staged ${where} from the manifests (cco_mode ${step.loaded.cluster.credentials.cco_mode}: nothing to inject)`
        : `inject: staged ${where}: the manifests, ${injected} ccoctl manifests and tls/ (the signing key)`,
    );
  });
}
