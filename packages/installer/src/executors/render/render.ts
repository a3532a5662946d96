import { join } from 'node:path';
import {
  assertStsNameUnshared,
  ccoctlInputs,
  extractInputs,
  INSTALL_CONFIG_FILE,
  loadClusterConfig,
  manifestsSecretFiles,
  readClaimText,
  MANIFESTS_SECRET_FILES,
  outputDir,
  RELEASE_FILE,
  renderInstallConfig,
  stableJson,
  SLICES_DIR,
  type LoadedCluster,
  type Release,
} from '@ocp-sts/cluster-config';
import { removeOutputDir, replaceOutputDir, type ProjectContext } from '@ocp-sts/toolchain';
import { releaseOf } from '../../release/pin.ts';

export interface RenderResult {
  loaded: LoadedCluster;
  release: Release;
  /** Workspace-relative path of the written install-config.yaml. */
  installConfigPath: string;
  installConfig: string;
}

/**
 * Validates the cluster's configuration and writes `.work/render/`: install-config.yaml (no secrets), release.json,
 * and the inputs of the later steps (slices/*.json). On any problem the previous output is removed too, so nothing
 * downstream can pick up a config that no longer matches cluster.yaml.
 *
 * `stsNameSharedWith`: the other cluster.yaml files the project graph found claiming this cluster's sts name (the
 * option of that name, which the plugin sets); those that do fail the render, every file located.
 */
export async function renderCluster(
  step: ProjectContext,
  env = process.env,
  stsNameSharedWith: readonly string[] = [],
): Promise<RenderResult> {
  const dir = join(step.workspaceRoot, outputDir(step.projectRoot, 'render'));
  try {
    const loaded = loadClusterConfig(step);
    assertStsNameUnshared({
      projectRoot: step.projectRoot,
      stsName: loaded.stsName,
      others: stsNameSharedWith,
      read: (file) => readClaimText(join(step.workspaceRoot, file)),
    });
    const release = releaseOf(step, loaded, env);
    const installConfig = renderInstallConfig(loaded.cluster);
    await replaceOutputDir(dir, {
      [INSTALL_CONFIG_FILE]: { content: installConfig },
      [RELEASE_FILE]: { content: stableJson(release) },
      [join(SLICES_DIR, 'extract.json')]: { content: stableJson(extractInputs(loaded, release)) },
      [join(SLICES_DIR, 'ccoctl.json')]: { content: stableJson(ccoctlInputs(loaded)) },
      [MANIFESTS_SECRET_FILES]: { content: stableJson(manifestsSecretFiles(loaded, step.workspaceRoot)) },
    });
    const installConfigPath = join(outputDir(step.projectRoot, 'render'), INSTALL_CONFIG_FILE);
    return { loaded, release, installConfigPath, installConfig };
  } catch (error) {
    removeOutputDir(dir);
    throw error;
  }
}
