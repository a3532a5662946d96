import type { ExecutorContext } from '@nx/devkit';
import { RELEASE_IMAGE_ENV, summarizeInstallConfig } from '@ocp-sts/cluster-config';
import { runStep } from '@ocp-sts/toolchain';
import { renderCluster } from './render.ts';

export interface RenderExecutorOptions {
  /** Also print the rendered install-config (it holds no secret), e.g. to diff it in CI logs. */
  print?: boolean;
  /** Release image for this run, below openshift.release_image; default $OPENSHIFT_RELEASE_IMAGE. */
  releaseImage?: string;
  /** Set by the plugin: other cluster.yaml files claiming this cluster's sts name (see renderCluster). */
  stsNameSharedWith?: string[];
}

export default async function renderExecutor(options: RenderExecutorOptions, context: ExecutorContext) {
  return runStep(context, async (step) => {
    const env = options.releaseImage ? { ...process.env, [RELEASE_IMAGE_ENV]: options.releaseImage } : process.env;
    const { loaded, release, installConfigPath, installConfig } = await renderCluster(
      step,
      env,
      options.stsNameSharedWith,
    );
    for (const warning of loaded.warnings) process.stderr.write(`warning: ${warning}\n`);
    // The counts of the file written, not of cluster.yaml: spot compute renders 0 replicas.
    const written = summarizeInstallConfig(installConfig);
    console.log(
      `rendered ${installConfigPath} (${written.region}, cco_mode ${loaded.cluster.credentials.cco_mode}, ` +
        `${written.controlPlane} control plane + ${written.compute} compute)`,
    );
    console.log(`release ${release.version ?? '(version from the image)'}: ${release.image} (from ${release.source})`);
    if (options.print) console.log(installConfig);
  });
}
