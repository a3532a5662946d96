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
import {
  keepFolderInState,
  keepInState,
  openStateStore,
  readRecord,
  restoreFromState,
  STATE_GROUPS,
  STATE_RECORDS,
  stateCopyOf,
  whoIsRunning,
  writeRecord,
  type CcoctlStateRecord,
  type ObjectStore,
} from '@ocp-sts/state';
import { SIGNER_PRIVATE, SIGNER_PUBLIC, writeCcoctlRecord, type CcoctlRecord } from '../../ccoctl-output/layout.ts';
import { issuerWrittenIn } from '../../ccoctl-output/read.ts';
import { readCredentialsRequests, roleNameCollisions, roleNameFor } from '../../credentials-requests.ts';
import { issuerThumbprintFailure } from '../../issuer/index.ts';
import { guardSigningKey } from '../../ownership/signing-key-guard.ts';
import { tagCcoctlOwner } from '../../ownership/tag-owner.ts';
import { installedReleaseRequests } from '../../credentials-diff/credentials-diff.ts';
import { runPreflightChecks } from '../../preflight/preflight.ts';
import { createAllHasDryRun, dryRunWithSubcommands } from './dry-run-subcommands.ts';

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

const SIGNING_KEY_FILES = [SIGNER_PRIVATE, SIGNER_PUBLIC] as const;

/**
 * Whether the cluster's signing key pair is in secrets/<name>/, after getting it back from the state backend when it
 * is not (another checkout, CI, a lost laptop). A local key that differs from the backend's is refused: the
 * backend's is the one the running cluster's issuer publishes.
 */
async function signingKeyFromState(step: ClusterStep, state: ObjectStore, keyDir: string): Promise<boolean> {
  const restored = await restoreFromState(state, STATE_GROUPS.signingKey, keyDir, SIGNING_KEY_FILES);
  if (restored.length) {
    process.stderr.write(
      `ccoctl: the signing key pair of ${step.loaded.cluster.name} came from the state backend (${state.where}) into ${step.show(keyDir)}/ (owner-only)\n`,
    );
  }
  const local = join(keyDir, SIGNER_PRIVATE);
  if (!existsSync(local)) return false;
  const kept = await stateCopyOf(state, STATE_GROUPS.signingKey, SIGNER_PRIVATE);
  if (kept && !kept.equals(readFileSync(local))) {
    throw new UserError(
      `the signing key in ${step.show(keyDir)}/ is not the one the state backend keeps for ${step.loaded.cluster.name} ` +
        `(${state.where}${STATE_GROUPS.signingKey}/): the backend's is the cluster's. Move the local pair away ` +
        `(mv ${step.show(keyDir)} ${step.show(keyDir)}.old) and run again to use it; nothing was changed`,
    );
  }
  return true;
}

/** The signing key pair and what ccoctl made, in the state backend: any machine can go on from there. */
async function keepIdentityInState(
  state: ObjectStore,
  made: { keyDir: string; outputDir: string; record: CcoctlRecord; keyCreated: boolean },
): Promise<void> {
  await keepInState(state, STATE_GROUPS.signingKey, made.keyDir, SIGNING_KEY_FILES);
  const earlier = await readRecord<CcoctlStateRecord>(state, STATE_RECORDS.ccoctl);
  const sameIdentity = earlier?.stsName === made.record.stsName && earlier.region === made.record.region;
  const record: CcoctlStateRecord = {
    stsName: made.record.stsName,
    region: made.record.region,
    issuer: issuerWrittenIn(made.outputDir) ?? null,
    privateBucket: made.record.privateBucket,
    roles: made.record.roles,
    signingKey: made.keyCreated || (sameIdentity && earlier.signingKey === 'created') ? 'created' : 'reused',
    at: new Date().toISOString(),
    by: whoIsRunning(),
  };
  await writeRecord(state, STATE_RECORDS.ccoctl, record);
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
  // An installed cluster runs its installed release until `upgrade` moves it: ccoctl keeps that release's roles (a
  // role changed now would change under the running operators), and the update's roles are upgrade's to make.
  const installed = await installedReleaseRequests(step, { echo: false });
  const requestsDir = installed?.dir ?? step.dir('extract');
  if (installed) {
    process.stderr.write(
      `ccoctl: ${step.loaded.cluster.name} runs ${installed.version ?? installed.releaseImage}: its roles stay those of that ` +
        `release until nx run ${step.projectName}:upgrade\n`,
    );
  }
  const requests = readCredentialsRequests(requestsDir);
  if (requests.length === 0) throw new UserError(`${step.show(requestsDir)} holds no CredentialsRequest`);
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
  if (!dryRun) await runPreflightChecks(step, { ...options, ...(installed && { installerRelease: false }) });
  const binDirs = await toolDirs(step, readRelease(step), options);
  const keyDir = signingKeyDir(step);
  const state = openStateStore(step);
  const keptKey = await signingKeyFromState(step, state, keyDir);
  // Never a second key for an issuer that already publishes one (ownership/signing-key-guard.ts).
  const publicKeyPem = keptKey ? readFileSync(join(keyDir, SIGNER_PUBLIC), 'utf8') : undefined;
  if (!dryRun) await guardSigningKey(step, { keyAvailable: keptKey, publicKeyPem });

  /** Keeps the key pair ccoctl made in `dir` (a first run) in secrets/<name>/. */
  const keepNewKey = (dir: string) => {
    if (![SIGNER_PRIVATE, SIGNER_PUBLIC].every((file) => existsSync(join(dir, file)))) return;
    mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    for (const file of [SIGNER_PRIVATE, SIGNER_PUBLIC]) {
      copyFileSync(join(dir, file), join(keyDir, file));
      chmodSync(join(keyDir, file), 0o600);
    }
    process.stderr.write(
      `kept the new service-account signing key pair in ${step.show(keyDir)}/ (owner-only, git-ignored): ` +
        'every later ccoctl run reuses it; losing it means new tokens for a running cluster\n',
    );
  };

  const made = await buildOutputDir(outDir, async (dir) => {
    if (keptKey) {
      for (const file of [SIGNER_PRIVATE, SIGNER_PUBLIC]) copyFileSync(join(keyDir, file), join(dir, file));
    }
    const args = [
      'aws',
      'create-all',
      `--name=${inputs.stsName}`,
      `--region=${inputs.region}`,
      `--credentials-requests-dir=${requestsDir}`,
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
        credentialsRequestsDir: requestsDir,
        outputDir: dir,
        privateBucket,
        binDirs,
        env,
      });
    } else {
      await runTool({ tool: 'ccoctl', args, ...toolContext(step), binDirs, env }).catch(async (error: unknown) => {
        // ccoctl may have published its new key before it failed: keep it, here and in the state, so that the re-run
        // (on any machine) reuses it: a new key for that issuer would be refused (ownership/signing-key-guard.ts).
        // Its record too, roles unknown until a run completes: the key was made under this state, which is what
        // destroy asks of it, and the re-run (which reuses the key) keeps saying so.
        if (!keptKey && !dryRun) {
          keepNewKey(dir);
          const begun = { stsName: inputs.stsName, region: inputs.region, dryRun, privateBucket, roles: [] };
          await keepIdentityInState(state, { keyDir, outputDir: dir, record: begun, keyCreated: true }).catch(
            () => undefined,
          );
        }
        throw (
          issuerThumbprintFailure(error, { stsName: inputs.stsName, privateBucket, project: step.projectName }) ?? error
        );
      });
    }
    if (keptKey) {
      if (!readFileSync(join(dir, SIGNER_PRIVATE)).equals(readFileSync(join(keyDir, SIGNER_PRIVATE)))) {
        throw new UserError(`ccoctl replaced the signing key kept in ${step.show(keyDir)}; refusing to use a new one`);
      }
    } else keepNewKey(dir);
    const record: CcoctlRecord = {
      stsName: inputs.stsName,
      region: inputs.region,
      dryRun,
      privateBucket,
      roles: requests.map((r) => ({ request: `${r.namespace}/${r.name}`, role: roleNameFor(inputs.stsName, r) })),
    };
    // After the key is kept: a failure here must not lose a key ccoctl has just published.
    await tagCcoctlOwner(step, record);
    writeCcoctlRecord(dir, record);
    restrictToOwner(dir);
    // Before success is reported: a run that dies here has made AWS resources its state does not know yet, and the
    // next run, which reuses the local key, keeps them then.
    if (!dryRun) await keepIdentityInState(state, { keyDir, outputDir: dir, record, keyCreated: !keptKey });
    return record;
  });
  // What verify checks AWS against, for a verify that does not run ccoctl (the fleet's, with a read-only role).
  if (!dryRun) await keepFolderInState(state, STATE_GROUPS.ccoctlOutput, outDir);
  return made;
}
