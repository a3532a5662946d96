import type { ExecutorContext } from '@nx/devkit';
import { withClusterLock } from '@ocp-sts/state';
import { formatReport } from '@ocp-sts/sts';
import { clusterStep, runStep, UserError } from '@ocp-sts/toolchain';
import { upgradeCluster, type UpgradeOptions } from './upgrade.ts';

export default async function upgradeExecutor(options: UpgradeOptions, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const step = clusterStep(ctx, 'upgrade', options);
    const outcome = await withClusterLock(step, () => upgradeCluster(step, options));
    const name = step.loaded.cluster.name;
    if (outcome.kind === 'at-target') {
      console.log(`upgrade: ${name} already runs ${outcome.version}, the release this commit names; nothing to do`);
      return;
    }
    for (const { request, role } of outcome.removed) {
      const kept = !outcome.pruned.some((p) => p.includes(role));
      console.log(
        `upgrade: ${request} is gone from ${outcome.to}: its role ${role} ${kept ? 'stays (delete it with --prune)' : 'was deleted'}`,
      );
    }
    if (!outcome.verify) {
      console.log(`upgrade: ${name} is at ${outcome.to}; check its roles: nx run ${step.projectName}:verify`);
      return;
    }
    console.log(formatReport(outcome.verify, 'text'));
    if (outcome.verify.status === 'failed') {
      throw new UserError(
        `${name} is at ${outcome.to}, but verify found ${outcome.verify.errors} error(s) in its roles against the ` +
          `requests of ${outcome.to} (see above)`,
      );
    }
    console.log(`upgrade: ${name} is at ${outcome.to}, its roles match the requests of ${outcome.to}`);
  });
}
