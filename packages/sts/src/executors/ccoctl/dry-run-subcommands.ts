/*
 * A ccoctl dry run on every release. `ccoctl aws create-all --dry-run` exists from 4.19 on; an older ccoctl answers
 * `Error: unknown flag: --dry-run`. Its step-by-step subcommands do have `--dry-run` (or need none), and in this order
 * they write the same files as create-all's dry run:
 *
 *   ccoctl aws create-key-pair --output-dir D                       (reuses the kept key pair copied into D)
 *   ccoctl aws create-identity-provider --public-key-file D/serviceaccount-signer.public --dry-run ...
 *   ccoctl aws create-iam-roles --identity-provider-arn A --dry-run ...
 *
 * A is the ARN IAM gives the provider of the issuer that create-identity-provider wrote into the Authentication
 * manifest, in the cluster's account and the region's partition. Before 4.19, `create-iam-roles --dry-run` still
 * reads that provider from IAM (for the issuer of the trust policies), so this path needs AWS credentials and an
 * existing provider: it works on a cluster whose ccoctl has run for real once (an upgrade, a re-check), not on a new
 * one. Then the error says so, and how to get a dry run anyway.
 */
import { partitionOf } from '@ocp-sts/cluster-config';
import { runTool, ToolFailedError, toolContext, UserError, type ClusterStep } from '@ocp-sts/toolchain';
import { join } from 'node:path';
import { parseIssuer, providerArnFor } from '../../issuer/index.ts';
import { SIGNER_PUBLIC } from '../../ccoctl-output/layout.ts';
import { issuerWrittenIn } from '../../ccoctl-output/read.ts';

/** Whether this ccoctl has `create-all --dry-run`: its `create-all --help` lists the flag. */
export async function createAllHasDryRun(step: ClusterStep, binDirs: string[]): Promise<boolean> {
  const { stdout } = await runTool({
    tool: 'ccoctl',
    args: ['aws', 'create-all', '--help'],
    ...toolContext(step),
    binDirs,
    echo: false,
  });
  return /^\s*--dry-run\b/m.test(stdout);
}

export interface SubcommandDryRun {
  stsName: string;
  region: string;
  accountId: string;
  credentialsRequestsDir: string;
  outputDir: string;
  privateBucket: boolean;
  permissionsBoundaryArn: string | null;
  techPreview: boolean;
  binDirs: string[];
  env: Record<string, string>;
}

/** The dry run of a ccoctl without `create-all --dry-run`: its three subcommands, into `outputDir`. */
export async function dryRunWithSubcommands(step: ClusterStep, run: SubcommandDryRun): Promise<void> {
  const ccoctl = (args: string[]) =>
    runTool({ tool: 'ccoctl', args: ['aws', ...args], ...toolContext(step), binDirs: run.binDirs, env: run.env });
  const common = [`--name=${run.stsName}`, `--region=${run.region}`, `--output-dir=${run.outputDir}`];

  await ccoctl(['create-key-pair', `--output-dir=${run.outputDir}`]);
  await ccoctl([
    'create-identity-provider',
    ...common,
    `--public-key-file=${join(run.outputDir, SIGNER_PUBLIC)}`,
    ...(run.privateBucket ? ['--create-private-s3-bucket'] : []),
    '--dry-run',
  ]);

  const written = issuerWrittenIn(run.outputDir);
  const issuer = written === undefined ? undefined : parseIssuer(written);
  if (!issuer) {
    // A private bucket's issuer is a CloudFront domain that only a real run creates: the dry run writes a placeholder.
    throw new UserError(
      `ccoctl's dry run gave no issuer to build the identity provider's ARN from (${written ?? 'no Authentication manifest'}` +
        `${run.privateBucket ? ': a private bucket is served by a CloudFront domain that only a real run creates' : ''}). ` +
        'This ccoctl has no `create-all --dry-run` (4.19 and later have it): use such a ccoctl (binDir or OCP_STS_BIN_DIR), or run without dry run.',
    );
  }
  const providerArn = providerArnFor(partitionOf(run.region), run.accountId, issuer);
  try {
    await ccoctl([
      'create-iam-roles',
      ...common,
      `--credentials-requests-dir=${run.credentialsRequestsDir}`,
      `--identity-provider-arn=${providerArn}`,
      ...(run.permissionsBoundaryArn ? [`--permissions-boundary-arn=${run.permissionsBoundaryArn}`] : []),
      ...(run.techPreview ? ['--enable-tech-preview'] : []),
      '--dry-run',
    ]);
  } catch (error) {
    if (!(error instanceof ToolFailedError) || !error.message.includes('failed to get IAM Identity Provider'))
      throw error;
    const [, ...details] = error.message.split('\n');
    throw new UserError(
      `\`ccoctl aws create-iam-roles --dry-run\` exited ${error.exitCode ?? '?'}: this ccoctl has no create-all --dry-run ` +
        `(4.19 and later have it), and its create-iam-roles reads the identity provider ${providerArn} from IAM even ` +
        'in a dry run, which does not exist before ccoctl has run for real. Use a ccoctl of 4.19 or later for the dry run ' +
        '(binDir or OCP_STS_BIN_DIR), or run ccoctl without dry run (unset CCO_DRY_RUN).\n' +
        details.join('\n'),
    );
  }
}
