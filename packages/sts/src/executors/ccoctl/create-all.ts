/*
 * How the ccoctl step runs ccoctl: `ccoctl aws create-all` into the output folder, or, for a dry run with a ccoctl
 * that has no `create-all --dry-run` (before 4.19), its subcommands (dry-run-subcommands.ts).
 */
import { runTool, toolContext, type ClusterStep } from '@ocp-sts/toolchain';
import { createAllHasDryRun, dryRunWithSubcommands, type SubcommandDryRun } from './dry-run-subcommands.ts';

export interface CreateAll extends SubcommandDryRun {
  /** --dry-run: AWS CLI inputs instead of resources. */
  dryRun: boolean;
}

export async function runCreateAll(step: ClusterStep, run: CreateAll): Promise<void> {
  if (run.dryRun && !(await createAllHasDryRun(step, run.binDirs))) {
    await dryRunWithSubcommands(step, run);
    return;
  }
  const args = [
    'aws',
    'create-all',
    `--name=${run.stsName}`,
    `--region=${run.region}`,
    `--credentials-requests-dir=${run.credentialsRequestsDir}`,
    `--output-dir=${run.outputDir}`,
    ...(run.privateBucket ? ['--create-private-s3-bucket'] : []),
    ...(run.permissionsBoundaryArn ? [`--permissions-boundary-arn=${run.permissionsBoundaryArn}`] : []),
    ...(run.techPreview ? ['--enable-tech-preview'] : []),
    ...(run.dryRun ? ['--dry-run'] : []),
  ];
  await runTool({ tool: 'ccoctl', args, ...toolContext(step), binDirs: run.binDirs, env: run.env });
}
