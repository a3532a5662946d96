import { dirname, isAbsolute, join, relative, sep, basename } from 'node:path';
import { createNodesFromFiles, type CreateNodes, type CreateNodesContext, type CreateNodesResult } from '@nx/devkit';
import { CLUSTER_CONFIG_GLOB, CLUSTER_TAG, PLUGIN_PACKAGES } from './constants.ts';
import type { InputDefinition } from '@ocp-sts/toolchain/target-declaration';
import { stsNameSharing } from './sts-name-sharing.ts';
import { clusterTargets } from './targets.ts';

/** Options of the plugin entry in nx.json. None yet; kept as an object so that adding one is not a breaking change. */
export type ClusterPluginOptions = Record<string, never>;

/** Folder holding this workspace's plugin packages (…/packages), when the plugin runs from source. */
const PACKAGES_DIR = join(import.meta.dirname, '..', '..', '..');

/**
 * Whether the plugin's packages are projects of the workspace being graphed (this repository, or a copy of it),
 * rather than installed from the registry.
 */
export function pluginIsLocal(workspaceRoot: string, packagesDir = PACKAGES_DIR): boolean {
  const rel = relative(workspaceRoot, packagesDir);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('node_modules');
}

/**
 * What stands for the plugin's code in every cached target's hash. Local: the source of the plugin packages, through
 * the implicit dependencies (`^production`, or `^default` where nx.json names no production input). Installed:
 * their versions.
 */
export function pluginInputs(
  local: boolean,
  context: Pick<CreateNodesContext, 'nxJsonConfiguration'>,
): InputDefinition[] {
  if (!local) return [{ externalDependencies: [...PLUGIN_PACKAGES] }];
  return [context.nxJsonConfiguration.namedInputs?.['production'] ? '^production' : '^default'];
}

/**
 * One project per clusters/<name>/cluster.yaml, named after the folder. The file is not validated here: a broken
 * cluster.yaml must never break the graph for the other clusters; its problems surface when its targets run. Only
 * its sts name is read, by stsNameSharing, for `stsNameSharedWith`.
 */
export function createClusterProject(
  configFile: string,
  _options: ClusterPluginOptions | undefined,
  context: CreateNodesContext,
  stsNameSharedWith: readonly string[] = [],
): CreateNodesResult {
  const root = dirname(configFile);
  const name = basename(root);
  const local = pluginIsLocal(context.workspaceRoot);
  return {
    projects: {
      [root]: {
        name,
        root,
        projectType: 'application',
        tags: [CLUSTER_TAG],
        implicitDependencies: local ? [...PLUGIN_PACKAGES] : [],
        targets: clusterTargets({
          projectRoot: root,
          workspaceRoot: context.workspaceRoot,
          pluginInputs: pluginInputs(local, context),
          stsNameSharedWith,
        }),
        metadata: { description: `OpenShift cluster ${name} on AWS (${configFile})` },
      },
    },
  };
}

export const createNodes: CreateNodes<ClusterPluginOptions> = [
  CLUSTER_CONFIG_GLOB,
  async (configFiles, options, context) => {
    // Every cluster.yaml at once: which clusters claim the same sts name (render of each reports it).
    const sharing = await stsNameSharing(configFiles, context.workspaceRoot);
    return createNodesFromFiles(
      (file, opts, ctx) => createClusterProject(file, opts, ctx, sharing.get(file)),
      configFiles,
      options ?? {},
      context,
    );
  },
];

/** The same, under the name Nx 19-21 looked for. */
export const createNodesV2 = createNodes;
