import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { INSTALL_CONFIG_FILE } from '@ocp-sts/cluster-config';
import {
  buildOutputDir,
  checkInstallerRelease,
  readPullSecret,
  readRelease,
  readSshKey,
  readStepOutput,
  restrictToOwner,
  runTool,
  toolDirs,
  UserError,
  type ClusterStep,
  type ToolOptions,
  toolContext,
} from '@ocp-sts/toolchain';

/** What manifests records beside the installer's files (inject leaves it out of the installer dir). */
export const MANIFESTS_RECORD = 'ocp-sts-manifests.json';
export const INFRASTRUCTURE_MANIFEST = join('manifests', 'cluster-infrastructure-02-config.yml');

export interface ManifestsResult {
  infraID: string;
  manifestCount: number;
}

/**
 * Rewrites the installer's own `.openshift_install.log` in an installer dir through the step's redactor: it can hold
 * the pull secret and the kubeadmin password line.
 */
export function redactInstallerLog(step: ClusterStep, installerDir: string): void {
  const log = join(installerDir, '.openshift_install.log');
  if (existsSync(log)) writeFileSync(log, step.redactor.text(readFileSync(log, 'utf8')));
}

/** The infrastructure id the installer chose, from manifests/cluster-infrastructure-02-config.yml. */
export function readInfraId(installerDir: string): string {
  const file = join(installerDir, INFRASTRUCTURE_MANIFEST);
  if (!existsSync(file)) throw new UserError(`openshift-install wrote no ${INFRASTRUCTURE_MANIFEST}`);
  const doc = parse(readFileSync(file, 'utf8')) as { status?: { infrastructureName?: unknown } } | null;
  const infraID = doc?.status?.infrastructureName;
  if (typeof infraID !== 'string' || !infraID) {
    throw new UserError(`${INFRASTRUCTURE_MANIFEST} has no status.infrastructureName`);
  }
  return infraID;
}

/**
 * `openshift-install create manifests` in a fresh folder holding the rendered install-config plus the pull secret
 * and ssh key. The installer consumes (deletes) install-config.yaml. Everything in the output is owner-only: the
 * state file and the pull-secret manifest hold the pull secret.
 */
export async function createManifests(step: ClusterStep, options: ToolOptions): Promise<ManifestsResult> {
  const release = readRelease(step);
  const installConfig = parse(readStepOutput(step, 'render', INSTALL_CONFIG_FILE)) as Record<string, unknown>;
  const withSecrets = { ...installConfig, pullSecret: readPullSecret(step), sshKey: readSshKey(step) };
  const binDirs = await toolDirs(step, release, options);
  await checkInstallerRelease(step, release, binDirs);

  return buildOutputDir(step.dir('manifests'), async (dir) => {
    writeFileSync(join(dir, INSTALL_CONFIG_FILE), stringify(withSecrets, { lineWidth: 0 }), { mode: 0o600 });
    await runTool({
      tool: 'openshift-install',
      args: ['create', 'manifests', '--dir', dir, '--log-level', 'info'],
      ...toolContext(step),
      binDirs,
    });
    if (existsSync(join(dir, INSTALL_CONFIG_FILE))) {
      throw new UserError('openshift-install did not consume install-config.yaml; is it really openshift-install?');
    }
    redactInstallerLog(step, dir);
    const infraID = readInfraId(dir);
    const manifestCount = ['manifests', 'openshift'].reduce(
      (n, sub) => n + (existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).length : 0),
      0,
    );
    writeFileSync(join(dir, MANIFESTS_RECORD), `${JSON.stringify({ infraID, release: release.image }, null, 2)}\n`);
    restrictToOwner(dir);
    return { infraID, manifestCount };
  });
}
