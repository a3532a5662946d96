import type { ExecutorContext } from '@nx/devkit';
import {
  clusterStep,
  openStepLog,
  readRelease,
  runStep,
  UserError,
  type ClusterStep,
  type LogLevelOption,
} from '@ocp-sts/toolchain';
import { installedReleaseRequests } from '../../credentials-diff/credentials-diff.ts';
import { ccoctlOutputToVerify, type CcoctlOutputToVerify } from '../../verify/outputs-from-state.ts';
import { formatReport, OUTPUT_FORMATS, type OutputFormat } from '../../verify/report.ts';
import { verifyCluster, verifyInputFor } from '../../verify/verify.ts';

export interface VerifyOptions extends LogLevelOption {
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
    const step = clusterStep(ctx, 'verify', options);
    const log = openStepLog(step);
    const ccoctlOutput = await ccoctlOutputToVerify(step);
    try {
      await verifyStep(step, log, ccoctlOutput, { format, concurrency });
    } finally {
      ccoctlOutput.release();
    }
  });
}

async function verifyStep(
  step: ClusterStep,
  log: (line: string) => void,
  ccoctlOutput: CcoctlOutputToVerify,
  { format, concurrency }: { format: OutputFormat; concurrency: number | undefined },
): Promise<void> {
  if (ccoctlOutput.fromState) {
    process.stderr.write(`${ccoctlOutput.fromState}\n`);
    log(ccoctlOutput.fromState);
  }
  const input = verifyInputFor(step, concurrency);
  input.paths = { ...input.paths, ccoctlDir: ccoctlOutput.dir };
  // An installed cluster runs its installed release until it is upgraded: its roles must match that release's
  // requests, not those of a release this commit names but the cluster does not run yet.
  const installed = await installedReleaseRequests(step, { echo: false });
  if (installed) {
    input.paths = { ...input.paths, credentialsRequestsDir: installed.dir };
    const named = readRelease(step);
    const against =
      `verify: against the requests of ${installed.version ?? installed.releaseImage}, the installed release ` +
      `(this commit names ${named.version ?? named.image}: nx run ${step.projectName}:upgrade moves it)`;
    process.stderr.write(`${against}\n`);
    log(against);
  }
  const report = await verifyCluster(input);
  console.log(formatReport(report, format));
  // The text form whatever --format: the log is read by people. Names, ARNs and findings; no secret is read here.
  for (const line of formatReport(report, 'text').split('\n')) log(line);
  if (report.status === 'failed') {
    throw new UserError(
      `${report.errors} error${report.errors === 1 ? '' : 's'} in the trust chain of ${report.cluster} (see above); ` +
        'installing now would fail with InvalidIdentityToken or AccessDenied',
    );
  }
}
