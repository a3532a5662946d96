import type { TargetConfiguration } from '@nx/devkit';
import { target as credentialsDiff } from '@ocp-sts/sts/targets/credentials-diff';
import { target as ccoctl } from '@ocp-sts/sts/targets/ccoctl';
import { target as extract } from '@ocp-sts/sts/targets/extract';
import { target as inject } from '@ocp-sts/sts/targets/inject';
import { target as preflight } from '@ocp-sts/sts/targets/preflight';
import { target as verify } from '@ocp-sts/sts/targets/verify';
import { target as destroy } from '@ocp-sts/installer/targets/destroy';
import { target as install } from '@ocp-sts/installer/targets/install';
import { target as kubeconfig } from '@ocp-sts/installer/targets/kubeconfig';
import { target as manifests } from '@ocp-sts/installer/targets/manifests';
import { target as pinRelease } from '@ocp-sts/installer/targets/pin-release';
import { target as render } from '@ocp-sts/installer/targets/render';
import { target as upgrade } from '@ocp-sts/installer/targets/upgrade';
import { target as unlock } from '@ocp-sts/state/targets/unlock';
import type { DeclarationContext, InputDefinition, TargetDeclaration } from '@ocp-sts/toolchain/target-declaration';
import { installedReleaseInput, secretDigestsInput, WORK } from './constants.ts';

/**
 * The targets of a cluster, each declared in its executor's folder (`target.ts`), in the order of the project: the
 * steps of a manual-STS install as they run, then the tools around them. A new target is its folder and its entry
 * here (README: Adding a target).
 */
export const TARGETS = [
  preflight,
  render,
  manifests,
  extract,
  ccoctl,
  inject,
  verify,
  install,
  destroy,
  credentialsDiff,
  kubeconfig,
  upgrade,
  pinRelease,
  unlock,
] as const satisfies readonly TargetDeclaration[];

export type TargetName = (typeof TARGETS)[number]['name'];

export const TARGET_NAMES: readonly TargetName[] = TARGETS.map((declaration) => declaration.name);

export interface TargetContext {
  /** Workspace-relative folder of the cluster, e.g. `clusters/prod` (its name is the project's). */
  projectRoot: string;
  /** Absolute; only to name the plugin's scripts relative to it. */
  workspaceRoot: string;
  /** Inputs that stand for the plugin's own code (see pluginInputs in create-nodes.ts). */
  pluginInputs: InputDefinition[];
  /** The other cluster.yaml files claiming this cluster's sts name (see stsNameSharing); usually none. */
  stsNameSharedWith?: readonly string[];
}

/** The Nx target of a declaration for one cluster, with arrays of its own: no two projects share one. */
function inferTarget(declaration: TargetDeclaration, ctx: DeclarationContext): TargetConfiguration {
  const { executor, dependsOn, cache, inputs, options, output, metadata } = declaration;
  const given = options?.(ctx);
  return {
    executor,
    ...(dependsOn ? { dependsOn: [...dependsOn] } : {}),
    cache,
    ...(given ? { options: given } : {}),
    ...(inputs ? { inputs: inputs(ctx) } : {}),
    ...(output ? { outputs: [`${WORK}/${output.dir}`] } : {}),
    metadata: { description: metadata.description, technologies: [...metadata.technologies] },
  };
}

/** All targets of one cluster project. Pure: the same context gives the same targets. */
export function clusterTargets({
  projectRoot,
  workspaceRoot,
  pluginInputs,
  stsNameSharedWith = [],
}: TargetContext): Record<TargetName, TargetConfiguration> {
  const ctx: DeclarationContext = {
    projectRoot,
    pluginInputs,
    stsNameSharedWith,
    secretDigests: (recordFile) => secretDigestsInput(workspaceRoot, recordFile),
    installedRelease: (releaseFile) => installedReleaseInput(workspaceRoot, projectRoot, releaseFile),
  };
  return Object.fromEntries(TARGETS.map((declaration) => [declaration.name, inferTarget(declaration, ctx)])) as Record<
    TargetName,
    TargetConfiguration
  >;
}
