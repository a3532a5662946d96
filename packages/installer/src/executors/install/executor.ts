import type { ExecutorContext } from '@nx/devkit';
import { withClusterLock } from '@ocp-sts/state';
import { clusterStep, runStep } from '@ocp-sts/toolchain';
import { installCluster, type InstallOptions } from './install.ts';

export default async function installExecutor(options: InstallOptions, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const step = clusterStep(ctx, 'install', options);
    const outcome = await withClusterLock(step, () => installCluster(step, options));
    const kubeconfig = step.show(outcome.kubeconfig);
    if (outcome.kind === 'already-installed') {
      console.log(
        `install: ${step.loaded.cluster.name} is already installed from ${step.show(step.dir('install'))}; nothing to do`,
      );
      console.log(`  kubeconfig: ${kubeconfig}`);
      return;
    }
    console.log(
      `install: ${step.loaded.cluster.name} is installed${outcome.resumed ? ' (resumed)' : ''} in ${outcome.elapsed}`,
    );
    if (outcome.consoleUrl) console.log(`  console:    ${outcome.consoleUrl}`);
    console.log(`  kubeconfig: ${kubeconfig} (export KUBECONFIG=${kubeconfig})`);
    console.log(`  kubeadmin password: in ${step.show(step.dir('install'))}/auth/kubeadmin-password (not printed)`);
  });
}
