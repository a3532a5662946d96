/*
 * The declaration of a target: everything the graph plugin needs to infer it for every cluster, and the facts the
 * shape specs check. Each executor folder holds its own, `target.ts` beside executor.ts, so that a target is read,
 * changed (its inputs, its dependencies) or added in one folder; the plugin lists them in
 * packages/nx-plugin/src/graph/targets.ts.
 *
 * Light on purpose: the plugin imports every declaration while Nx builds the project graph, on every nx command. A
 * declaration imports this module and `@ocp-sts/cluster-config/layout`, nothing else: no zod, yaml, execa or AWS
 * SDK, and not its executor's logic. The packages export them as `@ocp-sts/<package>/targets/<target>`.
 */
import type { TargetConfiguration } from '@nx/devkit';
import type { TargetOutput } from '@ocp-sts/cluster-config/layout';

/** One entry of a target's `inputs` (a fileset or named input, or an object form). */
export type InputDefinition = NonNullable<TargetConfiguration['inputs']>[number];

/** What a declaration's inputs and options are made from, for one cluster. */
export interface DeclarationContext {
  /** Workspace-relative folder of the cluster, e.g. `clusters/prod`. */
  projectRoot: string;
  /** Inputs that stand for the plugin's own code (see pluginInputs in create-nodes.ts). */
  pluginInputs: InputDefinition[];
  /** The other cluster.yaml files claiming this cluster's sts name (see stsNameSharing); usually none. */
  stsNameSharedWith: readonly string[];
  /**
   * The input that stands for the secret files whose paths render recorded in `recordFile` (workspace-relative): a
   * digest of each, printed by the plugin's script (see secretDigestsInput in the plugin's constants.ts).
   */
  secretDigests: (recordFile: string) => InputDefinition;
  /**
   * The input that stands for the installed release, against the release render chose (`releaseFile`,
   * workspace-relative): the checkout's copy of the state's record (see installedReleaseInput in the plugin's
   * constants.ts).
   */
  installedRelease: (releaseFile: string) => InputDefinition;
}

export interface TargetDeclaration {
  /** The target's name, its executor's and its folder's. */
  name: string;
  /** `@ocp-sts/<package>:<name>`, the package whose executors.json lists it. */
  executor: string;
  /** Targets of the same cluster that run first. */
  dependsOn?: readonly string[];
  cache: boolean;
  /** Its inputs, in the order Nx hashes them; a cached target needs some. */
  inputs?: (ctx: DeclarationContext) => InputDefinition[];
  /** Options the graph gives it for this cluster; undefined: none. */
  options?: (ctx: DeclarationContext) => Record<string, unknown> | undefined;
  /** Its folder in .work/, Nx's `outputs`: its entry in layout.ts's TARGET_OUTPUTS, where the other steps find it. */
  output?: TargetOutput;
  metadata: { description: string; technologies: readonly string[] };
  /** Runs openshift-install, oc or ccoctl: then it takes the logLevel option (tools/shape/log-level-option.spec.ts). */
  runsTools: boolean;
}

/** An input hashing the files of the dependencies' outputs that match `glob`; transitive: of theirs too. */
export function fromDependencies(glob: string, transitive = false): InputDefinition {
  return transitive ? { dependentTasksOutputFiles: glob, transitive } : { dependentTasksOutputFiles: glob };
}
