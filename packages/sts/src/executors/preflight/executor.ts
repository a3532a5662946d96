import type { ExecutorContext } from '@nx/devkit';
import { clusterStep, openStepLog, runStep, UserError, type ToolOptions } from '@ocp-sts/toolchain';
import { formatPreflightReport, preflightReport } from '../../preflight/preflight.ts';

export default async function preflightExecutor(options: ToolOptions, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const step = clusterStep(ctx, 'preflight', options);
    const log = openStepLog(step);
    const report = await preflightReport(step, options);
    const text = formatPreflightReport(report);
    console.log(text);
    // The checks and their answers (account, paths, problems); the secrets they read are checked, never shown.
    for (const line of text.split('\n')) log(line);
    const n = report.problems.length;
    if (n) {
      throw new UserError(
        `${n} problem${n === 1 ? '' : 's'} (listed above): fix ${n === 1 ? 'it' : 'them'} and run again; nothing was created`,
      );
    }
  });
}
