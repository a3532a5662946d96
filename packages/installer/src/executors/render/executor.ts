import type { ExecutorContext } from '@nx/devkit';
import { RELEASE_IMAGE_ENV, summarizeInstallConfig } from '@ocp-sts/cluster-config';
import { openStepLog, Redactor, runStep, stepLogFile } from '@ocp-sts/toolchain';
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
    // render holds no secret (install-config without pull secret or ssh key); the redactor still takes the usual shapes.
    const log = openStepLog({ logFile: stepLogFile(step, 'render'), redactor: new Redactor(), target: 'render' });
    const say = (line: string) => {
      console.log(line);
      log(line);
    };
    const env = options.releaseImage ? { ...process.env, [RELEASE_IMAGE_ENV]: options.releaseImage } : process.env;
    const rendered = await renderCluster(step, env, options.stsNameSharedWith).catch((error: unknown) => {
      for (const line of (error instanceof Error ? error.message : String(error)).split('\n')) log(`failed: ${line}`);
      throw error;
    });
    const { loaded, release, installConfigPath, installConfig } = rendered;
    for (const warning of loaded.warnings) {
      process.stderr.write(`warning: ${warning}\n`);
      log(`warning: ${warning}`);
    }
    // The counts of the file written, not of cluster.yaml: spot compute renders 0 replicas.
    const written = summarizeInstallConfig(installConfig);
    say(
      `rendered ${installConfigPath} (${written.region}, cco_mode ${loaded.cluster.credentials.cco_mode}, ` +
        `${written.controlPlane} control plane + ${written.compute} compute)`,
    );
    say(`release ${release.version ?? '(version from the image)'}: ${release.image} (from ${release.source})`);
    log(`sts_name ${loaded.stsName}; wrote the release and the step inputs of extract and ccoctl next to it`);
    if (options.print) console.log(installConfig);
  });
}
