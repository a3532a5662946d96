/*
 * The ccoctl step: the requests of the release the cluster runs (requests.ts), the preflight checks, the signing
 * key's guard (signing-key/), `ccoctl aws create-all` into a fresh .work/ccoctl/ (create-all.ts), then the owner
 * tags (ownership/tag-owner.ts) and the records, beside ccoctl's output and in the state (state-record.ts).
 */
import {
  buildOutputDir,
  readRelease,
  readSlice,
  removeOutputDir,
  restrictToOwner,
  compatibilityVariable,
  stsIsOff,
  toolDirs,
  type ClusterStep,
  type ToolOptions,
} from '@ocp-sts/toolchain';
import { keepFolderInState, openStateStore, STATE_GROUPS } from '@ocp-sts/state';
import { writeCcoctlRecord, type CcoctlRecord } from '../../ccoctl-output/layout.ts';
import { roleNameFor } from '../../credentials-requests.ts';
import { issuerThumbprintFailure } from '../../issuer/index.ts';
import { tagCcoctlOwner } from '../../ownership/tag-owner.ts';
import { runPreflightChecks } from '../../preflight/preflight.ts';
import {
  guardSigningKey,
  handKeyToCcoctl,
  keepKeyAfterCcoctl,
  keepNewKey,
  signingKeyFromState,
} from '../../signing-key/index.ts';
import { runCreateAll, type CreateAll } from './create-all.ts';
import { refuseRoleNameCollisions, requestsForCcoctl } from './requests.ts';
import { keepIdentityInState } from './state-record.ts';

export interface CcoctlOptions extends ToolOptions {
  /**
   * ccoctl --dry-run: AWS CLI inputs instead of resources. Also CCO_DRY_RUN=1. With a ccoctl before 4.19 (no
   * `create-all --dry-run`), its subcommands (dry-run-subcommands.ts).
   */
  dryRun?: boolean;
  /** ccoctl --create-private-s3-bucket. Also CCO_CREATE_PRIVATE_S3_BUCKET=1, or credentials.create_private_s3_bucket. */
  createPrivateS3Bucket?: boolean;
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
  const inputs = readSlice(step, 'ccoctl');
  const { dir: requestsDir, requests, clusterInstalled } = await requestsForCcoctl(step);
  refuseRoleNameCollisions(inputs.stsName, requests);
  const dryRun = compatibilityVariable(options.dryRun, 'CCO_DRY_RUN');
  const privateBucket =
    compatibilityVariable(options.createPrivateS3Bucket, 'CCO_CREATE_PRIVATE_S3_BUCKET') ||
    inputs.createPrivateS3Bucket;
  // The preflight checks, before anything is created; here rather than as a dependency of the target, so that a
  // cached ccoctl costs no AWS call. A dry run creates nothing and needs no AWS identity. An installed cluster's
  // installer never runs again (upgrade moves its release): which openshift-install is on PATH is not ccoctl's business.
  if (!dryRun) await runPreflightChecks(step, { ...options, ...(clusterInstalled && { installerRelease: false }) });
  const binDirs = await toolDirs(step, readRelease(step), options);
  const state = openStateStore(step);
  const key = await signingKeyFromState(step, state);
  // Never a second key for an issuer that already publishes one (signing-key/guard.ts).
  if (!dryRun) await guardSigningKey(step, key);
  const run: Omit<CreateAll, 'outputDir'> = {
    stsName: inputs.stsName,
    region: inputs.region,
    accountId: inputs.accountId,
    credentialsRequestsDir: requestsDir,
    privateBucket,
    permissionsBoundaryArn: inputs.permissionsBoundaryArn,
    techPreview: inputs.techPreview,
    dryRun,
    binDirs,
    env: inputs.awsProfile ? { AWS_PROFILE: inputs.awsProfile } : {},
  };

  const made = await buildOutputDir(outDir, async (dir) => {
    handKeyToCcoctl(key, dir);
    await runCreateAll(step, { ...run, outputDir: dir }).catch(async (error: unknown) => {
      // ccoctl may have published its new key before it failed: keep it, here and in the state, so that the re-run
      // (on any machine) reuses it: a new key for that issuer would be refused (signing-key/guard.ts).
      // Its record too, roles unknown until a run completes: the key was made under this state, which is what
      // destroy asks of it, and the re-run (which reuses the key) keeps saying so.
      if (!key.keyAvailable && !dryRun) {
        keepNewKey(step, key, dir);
        const begun = { stsName: inputs.stsName, region: inputs.region, dryRun, privateBucket, roles: [] };
        await keepIdentityInState(state, { key, outputDir: dir, record: begun }).catch(() => undefined);
      }
      throw (
        issuerThumbprintFailure(error, { stsName: inputs.stsName, privateBucket, project: step.projectName }) ?? error
      );
    });
    keepKeyAfterCcoctl(step, key, dir);
    const record: CcoctlRecord = {
      stsName: inputs.stsName,
      region: inputs.region,
      dryRun,
      privateBucket,
      roles: requests.map((r) => ({ request: `${r.namespace}/${r.name}`, role: roleNameFor(inputs.stsName, r) })),
    };
    // After the key is kept: a failure here must not lose a key ccoctl has just published.
    await tagCcoctlOwner(step, record, inputs.tags);
    writeCcoctlRecord(dir, record);
    restrictToOwner(dir);
    // Before success is reported: a run that dies here has made AWS resources its state does not know yet, and the
    // next run, which reuses the local key, keeps them then.
    if (!dryRun) await keepIdentityInState(state, { key, outputDir: dir, record });
    return record;
  });
  // What verify checks AWS against, for a verify that does not run ccoctl (the fleet's, with a read-only role).
  if (!dryRun) await keepFolderInState(state, STATE_GROUPS.ccoctlOutput, outDir);
  return made;
}
