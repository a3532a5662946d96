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
import {
  awsClients,
  describeResource,
  findStsResources,
  howToDelete,
  type AwsClients,
  type StsResource,
} from '@ocp-sts/sts';
import { INSTALLER_METADATA, kubeconfigPath } from '../../installer-dir.ts';

export interface DestroyOptions extends ToolOptions {
  /** Destroy without asking. Without it, an interactive terminal must confirm by typing the cluster name. */
  yes?: boolean;
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

async function confirm(step: ClusterStep, options: DestroyOptions): Promise<void> {
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
  await confirm(step, options);
  const installer = step.dir('install');
  const release = existsSync(join(step.dir('render'), RELEASE_FILE)) ? readRelease(step) : undefined;
  const tool = { ...toolContext(step), binDirs: await toolDirs(step, release, options) };

  let cluster: DestroyOutcome['cluster'] = 'no-infrastructure';
  if (existsSync(join(installer, INSTALLER_METADATA))) {
    await runTool({
      ...tool,
      tool: 'openshift-install',
      args: ['destroy', 'cluster', '--dir', installer, '--log-level', 'info'],
    });
    cluster = 'destroyed';
  } else {
    process.stderr.write(
      `no ${step.show(join(installer, INSTALLER_METADATA))}: no cluster infrastructure to destroy\n`,
    );
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
  return { cluster, sts: 'deleted', warnings };
}
