import type { ExecutorContext } from '@nx/devkit';
import { loadClusterConfig, RELEASE_LOCK_FILE } from '@ocp-sts/cluster-config';
import { runStep } from '@ocp-sts/toolchain';
import { movePin } from '../../release/pin.ts';

export default async function pinReleaseExecutor(_options: Record<string, never>, context: ExecutorContext) {
  return runStep(context, async (step) => {
    const { from, to } = await movePin(step, loadClusterConfig(step));
    const file = `${step.projectRoot}/${RELEASE_LOCK_FILE}`;
    if (from?.image === to.image) {
      console.log(`pin-release: ${to.version} is still the newest release of ${to.channel}; ${file} is unchanged`);
      return;
    }
    console.log(`pin-release: ${from ? `${from.version} -> ` : ''}${to.version} (${to.image}) in ${file}; commit it`);
  });
}
