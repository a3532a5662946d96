import type { ExecutorContext } from '@nx/devkit';
import { clusterStep, runStep, UserError, type LogLevelOption } from '@ocp-sts/toolchain';
import { credentialsDiff, DIFF_BASE_ENV } from '../../credentials-diff/credentials-diff.ts';
import { DIFF_FORMATS, formatOutcome, type DiffFormat } from '../../credentials-diff/format.ts';

export interface CredentialsDiffExecutorOptions extends LogLevelOption {
  /**
   * A git ref: compare with the release it names for this cluster. Default: $OCP_STS_DIFF_BASE, else the installed
   * release. Nx parses an all-digit value (an abbreviated commit such as 1234567) as a number.
   */
  base?: string | number;
  /** table (default) or json: one JSON object on one line, for CI. */
  format?: DiffFormat;
  /** Registry credentials for oc; default $REGISTRY_AUTH_FILE, else the cluster's pull secret. */
  registryAuthFile?: string;
}

/** Read-only: prints what changed in the cluster's AWS CredentialsRequests; succeeds whatever it finds. */
export default async function credentialsDiffExecutor(
  options: CredentialsDiffExecutorOptions,
  context: ExecutorContext,
) {
  return runStep(context, async (ctx) => {
    const format = options.format ?? 'table';
    if (!DIFF_FORMATS.includes(format)) {
      throw new UserError(`--format must be one of ${DIFF_FORMATS.join(', ')}, got ${format}`);
    }
    const step = clusterStep(ctx, 'credentials-diff', options);
    // `nx affected --base` is Nx's own flag and never reaches a task: CI names the diff's base in the environment.
    const base = options.base ?? (process.env[DIFF_BASE_ENV] || undefined);
    const outcome = await credentialsDiff(step, {
      ...(base === undefined ? {} : { base: String(base) }),
      ...(options.registryAuthFile === undefined ? {} : { registryAuthFile: options.registryAuthFile }),
      // stdout holds the one JSON object: oc's own output would break it.
      echo: format !== 'json',
    });
    console.log(formatOutcome(outcome, format));
  });
}
