import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterSecretsDir } from '@ocp-sts/cluster-config';
import {
  buildOutputDir,
  readRelease,
  readStepInputs,
  removeOutputDir,
  restrictToOwner,
  runTool,
  seedSwitch,
  stsIsOff,
  toolDirs,
  UserError,
  type ClusterStep,
  type ToolOptions,
  toolContext,
} from '@ocp-sts/toolchain';
import { SIGNER_PRIVATE, SIGNER_PUBLIC, writeCcoctlRecord, type CcoctlRecord } from '../../ccoctl-output/layout.ts';
import { readCredentialsRequests, roleNameCollisions, roleNameFor } from '../../credentials-requests.ts';
import { runPreflightChecks } from '../../preflight/preflight.ts';
import { createAllHasDryRun, dryRunWithSubcommands } from './dry-run-subcommands.ts';
import { issuerThumbprintFailure } from './issuer-thumbprint.ts';

export interface CcoctlOptions extends ToolOptions {
  /**
   * ccoctl --dry-run: AWS CLI inputs instead of resources. Also CCO_DRY_RUN=1. With a ccoctl before 4.19 (no
   * `create-all --dry-run`), its subcommands (dry-run-subcommands.ts).
   */
  dryRun?: boolean;
  /** ccoctl --create-private-s3-bucket. Also CCO_CREATE_PRIVATE_S3_BUCKET=1, or credentials.create_private_s3_bucket. */
  createPrivateS3Bucket?: boolean;
}

/** Where the cluster's service-account signing key pair is kept between runs (git-ignored, owner-only). */
export function signingKeyDir(step: ClusterStep): string {
  return join(step.workspaceRoot, clusterSecretsDir(step.loaded.cluster.name));
}

/**
 * `ccoctl aws create-all` into a fresh .work/ccoctl/. The signing key pair is made once per cluster and kept in
 * secrets/<name>/; every later run hands it back to ccoctl (which reuses a private key already in its output dir),
 * because a new key would make a running cluster's tokens unverifiable.
 */
export async function createStsResources(step: ClusterStep, options: CcoctlOptions): Promise<CcoctlRecord | undefined> {
  const outDir = step.dir('ccoctl');
  if (stsIsOff(step)) {
    removeOutputDir(outDir);
    return undefined;
  }
  const inputs = readStepInputs(step, 'ccoctl');
  const requests = readCredentialsRequests(step.dir('extract'));
  if (requests.length === 0) throw new UserError(`${step.show(step.dir('extract'))} holds no CredentialsRequest`);
  const collisions = roleNameCollisions(inputs.stsName, requests);
  if (collisions.length) {
    throw new UserError(
      `ccoctl cuts role names to 64 characters, and then:\n  ${collisions.join('\n  ')}\n` +
        'Use a shorter credentials.sts_name.',
    );
  }
  const dryRun = seedSwitch(options.dryRun, 'CCO_DRY_RUN');
  const privateBucket =
    seedSwitch(options.createPrivateS3Bucket, 'CCO_CREATE_PRIVATE_S3_BUCKET') || inputs.createPrivateS3Bucket;
  // The preflight checks, before anything is created; here rather than as a dependency of the target, so that a
  // cached ccoctl costs no AWS call. A dry run creates nothing and needs no AWS identity.
  if (!dryRun) await runPreflightChecks(step, options);
  const binDirs = await toolDirs(step, readRelease(step), options);
  const keyDir = signingKeyDir(step);
  const keptKey = existsSync(join(keyDir, SIGNER_PRIVATE));

  return buildOutputDir(outDir, async (dir) => {
    if (keptKey) {
      for (const file of [SIGNER_PRIVATE, SIGNER_PUBLIC]) copyFileSync(join(keyDir, file), join(dir, file));
    }
    const args = [
      'aws',
      'create-all',
      `--name=${inputs.stsName}`,
      `--region=${inputs.region}`,
      `--credentials-requests-dir=${step.dir('extract')}`,
      `--output-dir=${dir}`,
      ...(privateBucket ? ['--create-private-s3-bucket'] : []),
      ...(inputs.permissionsBoundaryArn ? [`--permissions-boundary-arn=${inputs.permissionsBoundaryArn}`] : []),
      ...(inputs.techPreview ? ['--enable-tech-preview'] : []),
      ...(dryRun ? ['--dry-run'] : []),
    ];
    const env: Record<string, string> = inputs.awsProfile ? { AWS_PROFILE: inputs.awsProfile } : {};
    if (dryRun && !(await createAllHasDryRun(step, binDirs))) {
      await dryRunWithSubcommands(step, {
        ...inputs,
        accountId: step.loaded.cluster.platform.account_id,
        credentialsRequestsDir: step.dir('extract'),
        outputDir: dir,
        privateBucket,
        binDirs,
        env,
      });
    } else {
      await runTool({ tool: 'ccoctl', args, ...toolContext(step), binDirs, env }).catch((error: unknown) => {
        throw (
          issuerThumbprintFailure(error, { stsName: inputs.stsName, privateBucket, project: step.projectName }) ?? error
        );
      });
    }
    if (keptKey) {
      if (!readFileSync(join(dir, SIGNER_PRIVATE)).equals(readFileSync(join(keyDir, SIGNER_PRIVATE)))) {
        throw new UserError(`ccoctl replaced the signing key kept in ${step.show(keyDir)}; refusing to use a new one`);
      }
    } else if (existsSync(join(dir, SIGNER_PRIVATE))) {
      mkdirSync(keyDir, { recursive: true, mode: 0o700 });
      for (const file of [SIGNER_PRIVATE, SIGNER_PUBLIC]) {
        copyFileSync(join(dir, file), join(keyDir, file));
        chmodSync(join(keyDir, file), 0o600);
      }
      process.stderr.write(
        `kept the new service-account signing key pair in ${step.show(keyDir)}/ (owner-only, git-ignored): ` +
          'every later ccoctl run reuses it; losing it means new tokens for a running cluster\n',
      );
    }
    const record: CcoctlRecord = {
      stsName: inputs.stsName,
      region: inputs.region,
      dryRun,
      privateBucket,
      roles: requests.map((r) => ({ request: `${r.namespace}/${r.name}`, role: roleNameFor(inputs.stsName, r) })),
    };
    writeCcoctlRecord(dir, record);
    restrictToOwner(dir);
    return record;
  });
}
