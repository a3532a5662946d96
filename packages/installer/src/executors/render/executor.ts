import type { ExecutorContext } from '@nx/devkit';
import { runStep } from '@ocp-sts/toolchain';
import { renderCluster } from './render.ts';

export interface RenderExecutorOptions {
  /** Also print the rendered install-config (it holds no secret), e.g. to diff it in CI logs. */
  print?: boolean;
}

export default async function renderExecutor(options: RenderExecutorOptions, context: ExecutorContext) {
  return runStep(context, (step) => {
    const { loaded, installConfigPath, installConfig } = renderCluster(step);
    for (const warning of loaded.warnings) process.stderr.write(`warning: ${warning}\n`);
    const { cluster } = loaded;
    console.log(
      `rendered ${installConfigPath} (${cluster.platform.region}, cco_mode ${cluster.credentials.cco_mode}, ` +
        `${cluster.openshift.control_plane_replicas} control plane + ${cluster.openshift.compute_replicas} compute)`,
    );
    if (options.print) console.log(installConfig);
  });
}
