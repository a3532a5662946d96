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
  compatibilityVariable,
  toolDirs,
  UserError,
  type ClusterStep,
  type ToolOptions,
  toolContext,
} from '@ocp-sts/toolchain';
import {
  openStateStore,
  readRecord,
  restoreFromState,
  STATE_GROUPS,
  STATE_RECORDS,
  whoIsRunning,
  writeRecord,
  type InstalledRecord,
  type InstallingRecord,
  type ObjectStore,
  readInstalledRecord,
  writeInstalledRecord,
} from '@ocp-sts/state';
import {
  AUTH_KUBECONFIG,
  INSTALLED_MARKER,
  INSTALLER_METADATA,
  INSTALLER_STATE_FILES,
  kubeconfigPath,
  MANIFESTS_RECORD,
  redactInstallerLog,
} from '../../installer-dir.ts';
import { InstallerStateKeeper } from './keep-installer-state.ts';
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

/** The kubeconfig is a cluster-admin credential: owner-only, whatever the source's mode. */
function copyOwnerOnly(from: string, to: string): void {
  copyFileSync(from, to);
  chmodSync(to, 0o600);
}

/**
 * When this checkout has no finished install, the state backend may know of one made elsewhere: an installed cluster
 * (its files come back, and install has nothing to do) or an unfinished install (its files come back, and it is
 * resumed like one of this checkout).
 */
async function installerDirFromState(step: ClusterStep, state: ObjectStore, dir: string): Promise<void> {
  const installed = await readInstalledRecord(step, state);
  const installing = installed ?? (await readRecord<InstallingRecord>(state, STATE_RECORDS.installing));
  if (!installing) return;
  const restored = await restoreFromState(state, STATE_GROUPS.installer, dir, INSTALLER_STATE_FILES);
  const name = step.loaded.cluster.name;
  if (!existsSync(join(dir, INSTALLER_METADATA))) {
    throw new UserError(
      `the state (${state.where}) says ${name} was ${installed ? 'installed' : 'being installed'} by ${installing.by} at ${installing.at}, ` +
        `but holds no installer metadata.json, nor does ${step.show(dir)}: the cluster may exist without a way to destroy it. ` +
        'Find the checkout that installed it; if the cluster is gone, destroy --yes tells how to clear its state',
    );
  }
  if (restored.length) {
    process.stderr.write(
      `install: ${name} was ${installed ? 'installed' : 'started'} by ${installing.by} at ${installing.at}: ` +
        `its installer files came from the state backend (${state.where})\n`,
    );
  }
  if (installed) writeFileSync(join(dir, INSTALLED_MARKER), `${installed.at}\n`, { mode: 0o600 });
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
  const state = openStateStore(step);
  // A run killed outright (SIGKILL, a lost machine) never reached the redaction below: redact what it left before
  // anything reads the folder (a resume, or a later copy of it).
  redactInstallerLog(step, dir);
  if (!existsSync(join(dir, INSTALLED_MARKER))) await installerDirFromState(step, state, dir);
  if (existsSync(join(dir, INSTALLED_MARKER))) {
    warnIfStagedDiffers(step, dir);
    if (!existsSync(kubeconfig) && existsSync(join(dir, AUTH_KUBECONFIG)))
      copyOwnerOnly(join(dir, AUTH_KUBECONFIG), kubeconfig);
    return { kind: 'already-installed', kubeconfig };
  }

  const staged = step.dir('inject');
  if (!existsSync(staged)) throw new UserError(`${step.show(staged)} is missing: run the inject target first`);
  const earlier = existsSync(dir) && readdirSync(dir).length > 0;
  if (earlier && !compatibilityVariable(options.allowReuse, 'ALLOW_INSTALLER_REUSE')) {
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
  const started: InstallingRecord = {
    version: release.version,
    releaseImage: release.image,
    at: new Date().toISOString(),
    by: whoIsRunning(),
  };
  // From here on the cluster may have infrastructure: destroy, on any machine, then refuses to run without metadata.json.
  if (!resumed) await writeRecord(state, STATE_RECORDS.installing, started);
  const progress = new InstallProgress();
  const keeper = new InstallerStateKeeper(state, dir);
  let finished = false;
  try {
    await runTool({
      tool: 'openshift-install',
      args,
      ...toolContext(step),
      binDirs,
      onLine: (line) => {
        keeper.poke();
        const phase = progress.line(line);
        if (phase) process.stdout.write(`${phase}\n`);
      },
    });
    finished = true;
  } finally {
    // The installer's own log holds the kubeadmin password line (the password itself stays in auth/). A failed
    // install keeps its folder for the resume, so its log is redacted too.
    redactInstallerLog(step, dir);
    await keeper.keepAll().catch((error: unknown) => {
      if (finished) throw error;
      // The install's own failure is the news; this one is said beside it.
      const why = error instanceof Error ? error.message : String(error);
      process.stderr.write(`warning: the installer's files are not in the state backend (${state.where}): ${why}\n`);
    });
  }
  const auth = join(dir, AUTH_KUBECONFIG);
  if (!existsSync(auth)) throw new UserError(`openshift-install finished but wrote no ${step.show(auth)}`);
  copyOwnerOnly(auth, kubeconfig);
  restrictToOwner(dir);
  const infraID = infraIdOf(join(dir, INSTALLER_METADATA));
  if (!infraID)
    throw new UserError(
      `openshift-install finished but wrote no infraID in ${step.show(join(dir, INSTALLER_METADATA))}`,
    );
  const installed: InstalledRecord = { ...started, infraID, at: new Date().toISOString() };
  await writeInstalledRecord(step, state, installed);
  writeFileSync(join(dir, INSTALLED_MARKER), `${installed.at}\n`, { mode: 0o600 });
  return {
    kind: 'installed',
    kubeconfig,
    elapsed: progress.elapsed(),
    resumed,
    ...(progress.consoleUrl.value ? { consoleUrl: progress.consoleUrl.value } : {}),
  };
}
