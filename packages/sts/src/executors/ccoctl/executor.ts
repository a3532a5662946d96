import type { ExecutorContext } from '@nx/devkit';
import { withClusterLock } from '@ocp-sts/state';
import { clusterStep, runStep, stsIsOff } from '@ocp-sts/toolchain';
import { createStsResources, type CcoctlOptions } from './ccoctl.ts';

export default async function ccoctlExecutor(options: CcoctlOptions, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const step = clusterStep(ctx, 'ccoctl', options);
    // Not STS: ccoctl has nothing to make, and a cluster whose install holds the lock must not fail this step.
    const record = stsIsOff(step)
      ? await createStsResources(step, options)
      : await withClusterLock(step, () => createStsResources(step, options));
    if (!record) {
      console.log(`ccoctl: nothing to do: cco_mode is ${step.loaded.cluster.credentials.cco_mode}, not manual-sts`);
      return;
    }
    const what = record.dryRun ? 'dry run: AWS CLI inputs (no resources) for' : 'OIDC issuer and';
    console.log(`ccoctl: ${what} ${record.roles.length} roles named ${record.stsName}-* in ${record.region}`);
    if (record.dryRun) console.log('ccoctl: the Secret manifests of a dry run are placeholders; inject refuses them');
  });
}
