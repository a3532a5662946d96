import { existsSync, readdirSync, writeFileSync } from 'node:fs';
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
import { MANIFESTS_RECORD, readInfraId, redactInstallerLog } from '../../installer-dir.ts';

export interface ManifestsResult {
  infraID: string;
  manifestCount: number;
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
