import { join } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { MANIFESTS_SECRET_FILES, outputDir, TARGET_OUTPUT_DIRS } from '@ocp-sts/cluster-config/layout';
import {
  CLUSTER_CONFIG_INPUTS,
  installedReleaseInput,
  LIBRARY_DEPENDENCIES,
  RELEASE_ENV,
  RELEASE_FILE,
  RELEASE_LOCK,
  secretDigestsInput,
  WORK,
} from './constants.ts';

/** One entry of a target's `inputs` (a fileset or named input, or an object form). */
export type InputDefinition = NonNullable<TargetConfiguration['inputs']>[number];

/** The targets of a cluster: the steps of a manual-STS install in the order they run, then the tools around them. */
export const STEPS = [
  'preflight',
  'render',
  'manifests',
  'extract',
  'ccoctl',
  'inject',
  'verify',
  'install',
  'destroy',
  'credentials-diff',
  'kubeconfig',
  'upgrade',
  'pin-release',
  'unlock',
] as const;
export type Step = (typeof STEPS)[number];

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

type Target = TargetConfiguration;

const outputsOf = (dir: string) => [`${WORK}/${dir}`];
const fromDependencies = (glob: string, transitive = false): InputDefinition =>
  transitive ? { dependentTasksOutputFiles: glob, transitive } : { dependentTasksOutputFiles: glob };

function render({ pluginInputs, stsNameSharedWith = [] }: TargetContext): Target {
  // Another cluster claiming this one's sts name: render reads its cluster.yaml to report both, so it hashes it, and
  // gets the list as an option. Both exist only during a collision: the key of a cluster that shares its sts name
  // with no other does not depend on the other clusters' files (see sts-name-sharing.ts).
  const shared = [...stsNameSharedWith];
  return {
    executor: '@ocp-sts/installer:render',
    cache: true,
    ...(shared.length ? { options: { stsNameSharedWith: shared } } : {}),
    inputs: [
      ...CLUSTER_CONFIG_INPUTS,
      RELEASE_LOCK,
      { env: RELEASE_ENV },
      ...pluginInputs,
      { externalDependencies: [...LIBRARY_DEPENDENCIES] },
      ...shared.map((file) => `{workspaceRoot}/${file}`),
    ],
    outputs: outputsOf(TARGET_OUTPUT_DIRS.render),
    metadata: {
      description: 'Validate cluster.yaml, pin the release, write install-config.yaml without pull secret or ssh key',
      technologies: ['openshift'],
    },
  };
}

function manifests({ projectRoot, workspaceRoot, pluginInputs }: TargetContext): Target {
  const secretFiles = join(outputDir(projectRoot, 'render'), MANIFESTS_SECRET_FILES);
  return {
    executor: '@ocp-sts/installer:manifests',
    dependsOn: ['render'],
    cache: true,
    // A digest of the pull secret and ssh key, wherever cluster.yaml puts them: a new key must give new manifests.
    inputs: [
      fromDependencies('**/install-config.yaml'),
      fromDependencies(`**/${RELEASE_FILE}`),
      secretDigestsInput(workspaceRoot, secretFiles),
      ...pluginInputs,
    ],
    outputs: outputsOf(TARGET_OUTPUT_DIRS.manifests),
    metadata: {
      description: 'openshift-install create manifests on the rendered config plus pull secret and ssh key',
      technologies: ['openshift'],
    },
  };
}

function extract({ pluginInputs }: TargetContext): Target {
  return {
    executor: '@ocp-sts/sts:extract',
    dependsOn: ['render'],
    cache: true,
    // Only what oc --included reads (release, platform, feature set, topology): more compute replicas do not re-run it.
    inputs: [fromDependencies('**/steps/extract.json'), ...pluginInputs],
    outputs: outputsOf(TARGET_OUTPUT_DIRS.extract),
    metadata: {
      description: 'oc adm release extract --credentials-requests --included: the AWS CredentialsRequests',
      technologies: ['openshift', 'aws'],
    },
  };
}

function ccoctl({ projectRoot, workspaceRoot, pluginInputs }: TargetContext): Target {
  const release = join(outputDir(projectRoot, 'render'), RELEASE_FILE);
  return {
    executor: '@ocp-sts/sts:ccoctl',
    dependsOn: ['extract'],
    cache: true,
    // The installed release: an installed cluster keeps its roles until upgrade (installed-release.js).
    inputs: [
      fromDependencies('**/*.yaml'),
      fromDependencies('**/steps/ccoctl.json', true),
      fromDependencies(`**/${RELEASE_FILE}`, true),
      installedReleaseInput(workspaceRoot, projectRoot, release),
      { env: 'CCO_DRY_RUN' },
      { env: 'CCO_CREATE_PRIVATE_S3_BUCKET' },
      ...pluginInputs,
    ],
    outputs: outputsOf(TARGET_OUTPUT_DIRS.ccoctl),
    metadata: {
      description: 'ccoctl aws create-all: the OIDC issuer and one IAM role per CredentialsRequest',
      technologies: ['openshift', 'aws'],
    },
  };
}

function inject({ pluginInputs }: TargetContext): Target {
  return {
    executor: '@ocp-sts/sts:inject',
    dependsOn: ['manifests', 'ccoctl'],
    cache: true,
    inputs: [fromDependencies('**/*'), ...pluginInputs],
    outputs: outputsOf(TARGET_OUTPUT_DIRS.inject),
    metadata: {
      description: "Stage the installer dir: manifests plus ccoctl's manifests/ and tls/ (refuses dry-run output)",
      technologies: ['openshift'],
    },
  };
}

function preflight(): Target {
  return {
    executor: '@ocp-sts/sts:preflight',
    cache: false,
    metadata: {
      description: 'Check the AWS account, region, pull secret, ssh key, OIDC bucket name and tools, all at once',
      technologies: ['aws', 'openshift'],
    },
  };
}

function verify(): Target {
  return {
    executor: '@ocp-sts/sts:verify',
    dependsOn: ['ccoctl'],
    cache: false,
    metadata: {
      description: 'Read-only AWS check that the OIDC provider, JWKS and every role still match (before install)',
      technologies: ['aws'],
    },
  };
}

function install(): Target {
  return {
    executor: '@ocp-sts/installer:install',
    dependsOn: ['preflight', 'inject', 'verify'],
    cache: false,
    outputs: outputsOf(TARGET_OUTPUT_DIRS.install),
    metadata: {
      description: 'openshift-install create cluster on a copy of the staged dir; kubeconfig to .work/kubeconfig',
      technologies: ['openshift', 'aws'],
    },
  };
}

function pinRelease(): Target {
  return {
    executor: '@ocp-sts/installer:pin-release',
    cache: false,
    metadata: {
      description: 'Move the release pin of an "X.Y" openshift.version to the newest X.Y.z (release.lock.json)',
      technologies: ['openshift'],
    },
  };
}

function destroy(): Target {
  return {
    executor: '@ocp-sts/installer:destroy',
    dependsOn: ['preflight'],
    cache: false,
    metadata: {
      description: 'openshift-install destroy cluster, then ccoctl aws delete, then list what is left',
      technologies: ['openshift', 'aws'],
    },
  };
}

/**
 * Uncached: its answer depends on what is outside the inputs Nx can hash: the state's installed record (a cluster
 * installed or upgraded since would be answered from a stale entry) or, with --base, what a ref names now (a branch
 * moves; Nx hashes the option's text, not the commit it points to). It depends on extract for the head release's
 * requests; the base release's are kept in .work/credentials-diff/<digest>/, so a re-run costs no extraction.
 */
function credentialsDiff(): Target {
  return {
    executor: '@ocp-sts/sts:credentials-diff',
    dependsOn: ['extract'],
    cache: false,
    metadata: {
      description:
        'What changed in the AWS CredentialsRequests from the installed release (or --base=<git ref>) to this one',
      technologies: ['openshift', 'aws'],
    },
  };
}

/**
 * Uncached: it changes the cluster. The target release's requests come from extract. It runs preflight's checks
 * itself, but for the installer's release: the preflight target would refuse the installed release's openshift-install.
 */
function upgrade(): Target {
  return {
    executor: '@ocp-sts/installer:upgrade',
    dependsOn: ['extract'],
    cache: false,
    metadata: {
      description:
        'Upgrade the installed cluster to the release this commit names: IAM roles and Secrets first, then oc adm upgrade',
      technologies: ['openshift', 'aws'],
    },
  };
}

/** Uncached (a credential is never replayed from Nx's cache) and without dependencies: it only reads the state. */
function kubeconfig(): Target {
  return {
    executor: '@ocp-sts/installer:kubeconfig',
    cache: false,
    metadata: {
      description: "Write the installed cluster's admin kubeconfig from its state backend to .work/kubeconfig (0600)",
      technologies: ['openshift'],
    },
  };
}

/** Uncached and without dependencies: it must run while the cluster is locked, and touch nothing else. */
function unlock(): Target {
  return {
    executor: '@ocp-sts/state:unlock',
    cache: false,
    metadata: {
      description: "Remove the cluster's stale lock (a run that is gone), given its id: --lockId=<id>",
      technologies: ['aws'],
    },
  };
}

const BUILDERS: Record<Step, (ctx: TargetContext) => Target> = {
  preflight,
  render,
  manifests,
  extract,
  ccoctl,
  inject,
  verify,
  install,
  destroy,
  'credentials-diff': credentialsDiff,
  kubeconfig,
  upgrade,
  'pin-release': pinRelease,
  unlock,
};

/** All targets of one cluster project. Pure: the same context gives the same targets. */
export function clusterTargets(ctx: TargetContext): Record<Step, Target> {
  return Object.fromEntries(STEPS.map((step) => [step, BUILDERS[step](ctx)])) as Record<Step, Target>;
}
