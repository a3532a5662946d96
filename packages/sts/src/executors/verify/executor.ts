import type { ExecutorContext } from '@nx/devkit';
import { clusterStep, runStep, UserError } from '@ocp-sts/toolchain';
import { formatReport, OUTPUT_FORMATS, type OutputFormat } from '../../verify/report.ts';
import { verifyCluster, verifyInputFor } from '../../verify/verify.ts';

export interface VerifyOptions {
  /** text (default): findings grouped, one line each, and a summary; json: one JSON object on one line, for CI. */
  format?: OutputFormat;
  /** At most this many AWS calls at once for this cluster (default 6). */
  concurrency?: number;
}

/**
 * Read-only check that the trust chain ccoctl built is whole. Fails (success: false) on any error finding; an AWS
 * error the user can act on (credentials, access, throttling, network) fails it with one line instead.
 */
export default async function verifyExecutor(options: VerifyOptions, context: ExecutorContext) {
  return runStep(context, async (ctx) => {
    const format = options.format ?? 'text';
    if (!OUTPUT_FORMATS.includes(format)) {
      throw new UserError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${format}`);
    }
    const concurrency = options.concurrency;
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
      throw new UserError(`--concurrency must be an integer from 1 to 64, got ${String(concurrency)}`);
    }
    const step = clusterStep(ctx, 'verify');
    const report = await verifyCluster(verifyInputFor(step, concurrency));
    console.log(formatReport(report, format));
    if (report.status === 'failed') {
      throw new UserError(
        `${report.errors} error${report.errors === 1 ? '' : 's'} in the trust chain of ${report.cluster} (see above); ` +
          'installing now would fail with InvalidIdentityToken or AccessDenied',
      );
    }
  });
}
