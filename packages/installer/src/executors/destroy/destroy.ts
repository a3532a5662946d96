import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { RELEASE_FILE } from '@ocp-sts/cluster-config';
import {
  isUserError,
  readRelease,
  runTool,
  stsIsOff,
  toolDirs,
  UserError,
  type ClusterStep,
  type ToolOptions,
  toolContext,
} from '@ocp-sts/toolchain';
import { awsClients, type AwsClients } from '@ocp-sts/aws';
import { describeResource, findStsResources, howToDelete, type StsResource } from '@ocp-sts/sts';
import {
  forgetFolderInState,
  forgetInState,
  openStateStore,
  readRecord,
  restoreFromState,
  STATE_GROUPS,
  STATE_RECORDS,
  whoIsRunning,
  writeRecord,
  type CcoctlStateRecord,
  type InstallingRecord,
  type ObjectStore,
  readInstalledRecord,
  forgetInstalledRecord,
} from '@ocp-sts/state';
import { INSTALLER_METADATA, INSTALLER_STATE_FILES, kubeconfigPath } from '../../installer-dir.ts';

export interface DestroyOptions extends ToolOptions {
  /** Destroy without asking. Without it, an interactive terminal must confirm by typing the cluster name. */
  yes?: boolean;
  /**
   * The user's word that the cluster has no infrastructure (openshift-install never ran, or what it made is gone),
   * for when no installer metadata.json is left and the state cannot tell: then only what ccoctl made is deleted.
   */
  noInfrastructure?: boolean;
}

export interface DestroyOutcome {
  cluster: 'destroyed' | 'no-infrastructure';
  sts: 'deleted' | 'not-sts';
  /** Things that could not be checked after ccoctl aws delete (e.g. an API the endpoint lacks). */
  warnings: string[];
}

/** What the check after `ccoctl aws delete` may be handed instead of the cluster's own clients (tests). */
export interface DestroyDependencies {
  clients?: AwsClients;
}

/** ccoctl aws delete exits 0 even when it left something behind: the error lists each leftover and its removal. */
export function leftoversError(stsName: string, leftovers: StsResource[], profile: string | undefined): UserError {
  const n = leftovers.length;
  return new UserError(
    `ccoctl aws delete left ${n} resource${n === 1 ? '' : 's'} of ${stsName} behind (it exits 0 even then):\n` +
      leftovers.map((r) => `  - ${describeResource(r)}\n      delete: ${howToDelete(r, { profile })}`).join('\n') +
      '\nRun destroy again (ccoctl aws delete can be repeated), or delete them with the commands above.',
  );
}

/**
 * The user's yes: --yes, or the cluster name typed on an interactive terminal. The executor asks before it takes the
 * cluster's lock, so that a prompt left open holds no lock.
 */
export async function confirmDestroy(step: ClusterStep, options: DestroyOptions): Promise<void> {
  if (options.yes) return;
  const name = step.loaded.cluster.name;
  if (!process.stdin.isTTY) {
    throw new UserError(`destroy deletes the cluster ${name} and its IAM roles and OIDC bucket: confirm with --yes`);
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(
      `This destroys the cluster ${name} and deletes its IAM roles and OIDC bucket (${step.loaded.stsName}). Type the cluster name to confirm: `,
    );
    if (answer.trim() !== name) throw new UserError('not confirmed; nothing was destroyed');
  } finally {
    prompt.close();
  }
}

/**
 * Without the installer's metadata.json, `openshift-install destroy cluster` cannot run, and deleting only the roles
 * and the issuer would leave a running cluster's machines billed and its operators cut off. So destroy goes on only
 * when the state shows the cluster has no infrastructure: no install started since ccoctl made its identity under
 * this state, or an earlier destroy removed it. Else only the user's --noInfrastructure lets it on.
 */
async function refuseUnlessNoInfrastructure(
  step: ClusterStep,
  state: ObjectStore,
  options: DestroyOptions,
): Promise<void> {
  const name = step.loaded.cluster.name;
  const started =
    (await readInstalledRecord(step, state)) ?? (await readRecord<InstallingRecord>(state, STATE_RECORDS.installing));
  const metadata = step.show(join(step.dir('install'), INSTALLER_METADATA));
  const override =
    'If you know that its infrastructure does not exist (openshift-install never ran, or everything it made was ' +
    'deleted), run destroy with --noInfrastructure to delete only what ccoctl made.';
  if (options.noInfrastructure) {
    process.stderr.write(`destroy: no ${metadata}; --noInfrastructure: deleting only what ccoctl made for ${name}\n`);
    return;
  }
  if (started) {
    throw new UserError(
      `${name} was being installed by ${started.by} at ${started.at} (state: ${state.where}), but its installer ` +
        `metadata.json is neither in ${metadata} nor in the state: without it openshift-install cannot destroy the ` +
        'cluster, and deleting only its roles and issuer would leave its machines running, cut off from AWS. ' +
        `Nothing was destroyed. Copy metadata.json from the checkout that installed it into ${step.show(step.dir('install'))}/. ${override}`,
    );
  }
  const destroyed = await readRecord<{ at: string; by: string }>(state, STATE_RECORDS.destroyed);
  const identity = await readRecord<CcoctlStateRecord>(state, STATE_RECORDS.ccoctl);
  if (destroyed || identity?.signingKey === 'created') {
    const why = destroyed
      ? `its infrastructure was destroyed by ${destroyed.by} at ${destroyed.at}`
      : 'no install started since ccoctl made its identity';
    process.stderr.write(`destroy: no ${metadata}: ${why} (state: ${state.where}); no infrastructure to destroy\n`);
    return;
  }
  throw new UserError(
    `no ${metadata} for ${name}, and its state (${state.where}) cannot tell whether the cluster has infrastructure ` +
      '(it holds no record of an install or of the identity being made here): nothing was destroyed. Run destroy ' +
      'where the cluster was installed, or from a checkout sharing its state backend (state.backend s3). ' +
      override,
  );
}

/**
 * `openshift-install destroy cluster` (when an install recorded its infrastructure), then `ccoctl aws delete`,
 * which the installer does not do. ccoctl exits 0 even when it leaves resources behind, so destroy then lists what is
 * still tagged for the sts name or named after it (roles and their policies, the OIDC provider, the bucket and its
 * objects, CloudFront distributions and origin access identities) and fails, naming each, if anything is.
 */
export async function destroyCluster(
  step: ClusterStep,
  options: DestroyOptions,
  dependencies: DestroyDependencies = {},
): Promise<DestroyOutcome> {
  const installer = step.dir('install');
  const state = openStateStore(step);
  // Another checkout, CI, a lost laptop: the installer's record of the infrastructure comes from the state.
  await restoreFromState(state, STATE_GROUPS.installer, installer, INSTALLER_STATE_FILES);
  const hasMetadata = existsSync(join(installer, INSTALLER_METADATA));
  if (!hasMetadata) await refuseUnlessNoInfrastructure(step, state, options);
  const release = existsSync(join(step.dir('render'), RELEASE_FILE)) ? readRelease(step) : undefined;
  const tool = { ...toolContext(step), binDirs: await toolDirs(step, release, options) };

  let cluster: DestroyOutcome['cluster'] = 'no-infrastructure';
  if (hasMetadata) {
    await runTool({
      ...tool,
      tool: 'openshift-install',
      args: ['destroy', 'cluster', '--dir', installer, '--log-level', 'info'],
    });
    cluster = 'destroyed';
    // What a re-run needs to know once the infrastructure is gone: that it is, not how it was.
    await forgetInState(state, STATE_GROUPS.installer, INSTALLER_STATE_FILES);
    await writeRecord(state, STATE_RECORDS.destroyed, { at: new Date().toISOString(), by: whoIsRunning() });
    await forgetInstalledRecord(step, state);
    await state.delete(STATE_RECORDS.installing);
  }
  // The installer dir now holds only logs; a later install starts afresh.
  rmSync(installer, { recursive: true, force: true });
  rmSync(kubeconfigPath(step), { force: true });

  if (stsIsOff(step)) return { cluster, sts: 'not-sts', warnings: [] };
  const { stsName } = step.loaded;
  const { region } = step.loaded.cluster.platform;
  const profile = step.loaded.cluster.credentials.aws_profile;
  await runTool({
    ...tool,
    tool: 'ccoctl',
    args: ['aws', 'delete', `--name=${stsName}`, `--region=${region}`],
    env: profile ? { AWS_PROFILE: profile } : {},
  });
  // The roles and issuer are (being) gone: the cached ccoctl output describes nothing real any more.
  rmSync(step.dir('ccoctl'), { recursive: true, force: true });
  rmSync(step.dir('inject'), { recursive: true, force: true });

  const warnings: string[] = [];
  const clients = dependencies.clients ?? awsClients({ profile, region });
  let leftovers: StsResource[];
  try {
    leftovers = await findStsResources(clients, { stsName }, { onWarning: (w) => warnings.push(w) });
  } catch (error) {
    if (!isUserError(error)) throw error;
    throw new UserError(
      `ccoctl aws delete ran, but what it left of ${stsName} could not be checked: ${error.message}. ` +
        'Fix that and run destroy again (ccoctl aws delete can be repeated).',
    );
  }
  if (leftovers.length) throw leftoversError(stsName, leftovers, profile);
  await forgetFolderInState(state, STATE_GROUPS.ccoctlOutput);
  await state.delete(STATE_RECORDS.ccoctl);
  return { cluster, sts: 'deleted', warnings };
}
