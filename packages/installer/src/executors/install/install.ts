import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  checkInstallerRelease,
  readRelease,
  restrictToOwner,
  runTool,
  seedSwitch,
  toolDirs,
  UserError,
  type ClusterStep,
  type ToolOptions,
  toolContext,
} from '@ocp-sts/toolchain';
import {
  INSTALLED_MARKER,
  INSTALLER_METADATA,
  KUBECONFIG,
  kubeconfigPath,
  MANIFESTS_RECORD,
  redactInstallerLog,
} from '../../installer-dir.ts';
import { InstallProgress } from './progress.ts';

export interface InstallOptions extends ToolOptions {
  /** Use a non-empty installer dir: resume with `wait-for install-complete`. Also ALLOW_INSTALLER_REUSE=1. */
  allowReuse?: boolean;
}

export type InstallOutcome =
  | { kind: 'already-installed'; kubeconfig: string }
  | { kind: 'installed'; kubeconfig: string; consoleUrl?: string; elapsed: string; resumed: boolean };

function infraIdOf(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(readFileSync(file, 'utf8')) as { infraID?: string };
  return json.infraID;
}

/**
 * An installed cluster is not changed by install: when the staged manifests were made anew since (cluster.yaml
 * edited), say that they are not applied.
 */
function warnIfStagedDiffers(step: ClusterStep, installer: string): void {
  const installed = infraIdOf(join(installer, INSTALLER_METADATA));
  const staged = infraIdOf(join(step.dir('manifests'), MANIFESTS_RECORD));
  if (installed && staged && installed !== staged) {
    process.stderr.write(
      `warning: the manifests were made anew (infraID ${staged}) since ${installed} was installed; ` +
        'install does not change an installed cluster: apply changes to it with oc, or destroy and install again\n',
    );
  }
}

/**
 * `openshift-install create cluster` on a copy of the staged dir in .work/installer/. The installer has no
 * empty-dir check and reuses its state, so a folder with an earlier attempt is refused unless reuse is asked for,
 * in which case the install is resumed with `wait-for install-complete` (or created again when no infrastructure
 * was recorded). A cluster already installed from this folder is left alone.
 */
export async function installCluster(step: ClusterStep, options: InstallOptions): Promise<InstallOutcome> {
  const dir = step.dir('install');
  const kubeconfig = kubeconfigPath(step);
  // A run killed outright (SIGKILL, a lost machine) never reached the redaction below: redact what it left before
  // anything reads the folder (a resume, or a later copy of it).
  redactInstallerLog(step, dir);
  if (existsSync(join(dir, INSTALLED_MARKER))) {
    warnIfStagedDiffers(step, dir);
    return { kind: 'already-installed', kubeconfig };
  }

  const staged = step.dir('inject');
  if (!existsSync(staged)) throw new UserError(`${step.show(staged)} is missing: run the inject target first`);
  const earlier = existsSync(dir) && readdirSync(dir).length > 0;
  if (earlier && !seedSwitch(options.allowReuse, 'ALLOW_INSTALLER_REUSE')) {
    throw new UserError(
      `${step.show(dir)} holds an earlier, unfinished install. Resume it with --allowReuse (or ALLOW_INSTALLER_REUSE=1), ` +
        `which runs \`openshift-install wait-for install-complete\`, or run the destroy target first.`,
    );
  }
  const release = readRelease(step);
  const binDirs = await toolDirs(step, release, options);
  await checkInstallerRelease(step, release, binDirs);

  const resumed = earlier && existsSync(join(dir, INSTALLER_METADATA));
  if (!earlier) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    cpSync(staged, dir, { recursive: true });
  }
  const args = resumed
    ? ['wait-for', 'install-complete', '--dir', dir, '--log-level', 'info']
    : ['create', 'cluster', '--dir', dir, '--log-level', 'info'];
  const progress = new InstallProgress();
  try {
    await runTool({
      tool: 'openshift-install',
      args,
      ...toolContext(step),
      binDirs,
      onLine: (line) => {
        const phase = progress.line(line);
        if (phase) process.stdout.write(`${phase}\n`);
      },
    });
  } finally {
    // The installer's own log holds the kubeadmin password line (the password itself stays in auth/). A failed
    // install keeps its folder for the resume, so its log is redacted too.
    redactInstallerLog(step, dir);
  }
  const auth = join(dir, 'auth', KUBECONFIG);
  if (!existsSync(auth)) throw new UserError(`openshift-install finished but wrote no ${step.show(auth)}`);
  copyFileSync(auth, kubeconfig);
  // copyFileSync keeps the source's mode; the kubeconfig is a cluster-admin credential.
  chmodSync(kubeconfig, 0o600);
  restrictToOwner(dir);
  writeFileSync(join(dir, INSTALLED_MARKER), `${new Date().toISOString()}\n`, { mode: 0o600 });
  return {
    kind: 'installed',
    kubeconfig,
    elapsed: progress.elapsed(),
    resumed,
    ...(progress.consoleUrl.value ? { consoleUrl: progress.consoleUrl.value } : {}),
  };
}
