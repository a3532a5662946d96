import type { ExecutorContext } from '@nx/devkit';
import { clusterStep, runStep, UserError, type ToolOptions } from '@ocp-sts/toolchain';
import { formatPreflightReport, preflightReport } from '../../preflight/preflight.ts';

export default async function preflightExecutor(options: ToolOptions, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const step = clusterStep(ctx, 'preflight', options);
    const report = await preflightReport(step, options);
    console.log(formatPreflightReport(report));
    const n = report.problems.length;
    if (n) {
      throw new UserError(
        `${n} problem${n === 1 ? '' : 's'} (listed above): fix ${n === 1 ? 'it' : 'them'} and run again; nothing was created`,
      );
    }
  });
}
