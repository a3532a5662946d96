import { join } from 'node:path';
import {
  INSTALL_CONFIG_FILE,
  loadClusterConfig,
  outputDir,
  renderInstallConfig,
  type LoadedCluster,
} from '@ocp-sts/cluster-config';
import { removeOutputDir, replaceOutputDir, type StepContext } from '@ocp-sts/toolchain';

export interface RenderResult {
  loaded: LoadedCluster;
  /** Workspace-relative path of the written install-config.yaml. */
  installConfigPath: string;
  installConfig: string;
}

/**
 * Validates the cluster's configuration and writes `.work/render/install-config.yaml`. On any problem the
 * previous output is removed too, so nothing downstream can pick up a config that no longer matches cluster.yaml.
 */
export function renderCluster({ workspaceRoot, projectRoot }: StepContext): RenderResult {
  const dir = outputDir(projectRoot, 'render');
  let loaded: LoadedCluster;
  try {
    loaded = loadClusterConfig({ workspaceRoot, projectRoot });
  } catch (error) {
    removeOutputDir(join(workspaceRoot, dir));
    throw error;
  }
  const installConfig = renderInstallConfig(loaded.cluster);
  replaceOutputDir(join(workspaceRoot, dir), { [INSTALL_CONFIG_FILE]: { content: installConfig } });
  return { loaded, installConfigPath: join(dir, INSTALL_CONFIG_FILE), installConfig };
}
