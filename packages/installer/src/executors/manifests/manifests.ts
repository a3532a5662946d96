import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { INSTALL_CONFIG_FILE } from '@ocp-sts/cluster-config';
import {
  buildOutputDir,
  checkInstallerRelease,
  readRelease,
  readSecretFile,
  readStepOutput,
  restrictToOwner,
  runTool,
  toolDirs,
  UserError,
  type ClusterStep,
  type ToolOptions,
} from '@ocp-sts/toolchain';

/** What manifests records beside the installer's files (inject leaves it out of the installer dir). */
export const MANIFESTS_RECORD = 'ocp-sts-manifests.json';
export const INFRASTRUCTURE_MANIFEST = join('manifests', 'cluster-infrastructure-02-config.yml');

export interface ManifestsResult {
  infraID: string;
  manifestCount: number;
}

/** The pull secret, checked to be what the installer expects: JSON with registry `auths`. */
export function readPullSecret(step: ClusterStep): string {
  const path = step.loaded.secretFiles.pullSecret;
  const text = readSecretFile(
    step,
    path,
    'The pull secret',
    'Download it from https://console.redhat.com/openshift/install/pull-secret and save it there (mode 0600).',
  );
  let auths: unknown;
  try {
    auths = (JSON.parse(text) as { auths?: unknown }).auths;
  } catch {
    throw new UserError(`${step.show(path)} is not JSON; it must be the pull secret exactly as downloaded`);
  }
  if (typeof auths !== 'object' || auths === null) {
    throw new UserError(`${step.show(path)} has no "auths": it must be the pull secret exactly as downloaded`);
  }
  // One line, as the installer stores it; the text is never printed.
  return JSON.stringify(JSON.parse(text));
}

export function readSshKey(step: ClusterStep): string {
  const path = step.loaded.secretFiles.sshPublicKey;
  const key = readSecretFile(
    step,
    path,
    'The SSH public key for the nodes',
    `Create one with \`ssh-keygen -t ed25519 -N '' -f ${step.show(path).replace(/\.pub$/, '')}\`, or point secrets.ssh_public_key_file at yours.`,
  ).trim();
  if (!/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( .*)?$/.test(key)) {
    throw new UserError(`${step.show(path)} is not an SSH public key (expected "ssh-ed25519 AAAA..." or similar)`);
  }
  return key;
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
      step: step.target,
      logFile: step.logFile,
      workspaceRoot: step.workspaceRoot,
      redactor: step.redactor,
      binDirs,
    });
    if (existsSync(join(dir, INSTALL_CONFIG_FILE))) {
      throw new UserError('openshift-install did not consume install-config.yaml; is it really openshift-install?');
    }
    const installLog = join(dir, '.openshift_install.log');
    if (existsSync(installLog)) writeFileSync(installLog, step.redactor.text(readFileSync(installLog, 'utf8')));
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
