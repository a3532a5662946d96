import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import {
  readRelease,
  runTool,
  stsIsOff,
  toolDirs,
  UserError,
  type ClusterStep,
  type ToolOptions,
} from '@ocp-sts/toolchain';
import { KUBECONFIG } from '../install/install.ts';

export interface DestroyOptions extends ToolOptions {
  /** Destroy without asking. Without it, an interactive terminal must confirm by typing the cluster name. */
  yes?: boolean;
}

export interface DestroyOutcome {
  cluster: 'destroyed' | 'no-infrastructure';
  sts: 'deleted' | 'not-sts';
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
 * which the installer does not do. ccoctl exits 0 even when it leaves resources behind; the check of what is
 * left comes with the verify work (issue #4).
 */
export async function destroyCluster(step: ClusterStep, options: DestroyOptions): Promise<DestroyOutcome> {
  await confirm(step, options);
  const installer = step.dir('install');
  const release = existsSync(join(step.dir('render'), 'release.json')) ? readRelease(step) : undefined;
  const binDirs = release ? await toolDirs(step, release, options) : [options.binDir].filter((d): d is string => !!d);
  const tool = {
    step: step.target,
    logFile: step.logFile,
    workspaceRoot: step.workspaceRoot,
    redactor: step.redactor,
    binDirs,
  };

  let cluster: DestroyOutcome['cluster'] = 'no-infrastructure';
  if (existsSync(join(installer, 'metadata.json'))) {
    await runTool({
      ...tool,
      tool: 'openshift-install',
      args: ['destroy', 'cluster', '--dir', installer, '--log-level', 'info'],
    });
    cluster = 'destroyed';
  } else {
    process.stderr.write(`no ${step.show(join(installer, 'metadata.json'))}: no cluster infrastructure to destroy\n`);
  }
  // The installer dir now holds only logs; a later install starts afresh.
  rmSync(installer, { recursive: true, force: true });
  rmSync(step.work(KUBECONFIG), { force: true });

  if (stsIsOff(step)) return { cluster, sts: 'not-sts' };
  const { stsName } = step.loaded;
  const { region } = step.loaded.cluster.platform;
  const profile = step.loaded.cluster.credentials.aws_profile;
  await runTool({
    ...tool,
    tool: 'ccoctl',
    args: ['aws', 'delete', `--name=${stsName}`, `--region=${region}`],
    env: profile ? { AWS_PROFILE: profile } : {},
  });
  // The roles and issuer are gone: the cached ccoctl output describes nothing real any more.
  rmSync(step.dir('ccoctl'), { recursive: true, force: true });
  rmSync(step.dir('inject'), { recursive: true, force: true });
  return { cluster, sts: 'deleted' };
}
