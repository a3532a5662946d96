import type { TargetConfiguration } from '@nx/devkit';
import { CLUSTER_CONFIG_INPUTS, LIBRARY_DEPENDENCIES, RELEASE_ENV, WORK } from './constants.ts';

/** One entry of a target's `inputs` (a fileset or named input, or an object form). */
export type InputDefinition = NonNullable<TargetConfiguration['inputs']>[number];

/** The steps of a manual-STS install, in the order they run. */
export const STEPS = ['render', 'manifests', 'extract', 'ccoctl', 'inject', 'verify', 'install', 'destroy'] as const;
export type Step = (typeof STEPS)[number];

export interface TargetContext {
  /** Project (and folder) name of the cluster. */
  clusterName: string;
  /** Inputs that stand for the plugin's own code (see pluginInputs in create-nodes.ts). */
  pluginInputs: InputDefinition[];
}

type Target = TargetConfiguration;

const outputsOf = (dir: string) => [`${WORK}/${dir}`];
const fromDependencies = (glob: string): InputDefinition => ({ dependentTasksOutputFiles: glob });

function render({ pluginInputs }: TargetContext): Target {
  return {
    executor: '@ocp-sts/installer:render',
    cache: true,
    inputs: [...CLUSTER_CONFIG_INPUTS, ...pluginInputs, { externalDependencies: [...LIBRARY_DEPENDENCIES] }],
    outputs: outputsOf('render'),
    metadata: {
      description: 'Validate cluster.yaml and write install-config.yaml without pull secret or ssh key',
      technologies: ['openshift'],
    },
  };
}

function manifests({ clusterName, pluginInputs }: TargetContext): Target {
  return {
    executor: '@ocp-sts/installer:manifests',
    dependsOn: ['render'],
    cache: true,
    // The pull secret and ssh key are hashed (never printed): a new key must give new manifests.
    inputs: [
      fromDependencies('**/install-config.yaml'),
      `{workspaceRoot}/secrets/${clusterName}/pull-secret.json`,
      `{workspaceRoot}/secrets/${clusterName}/ssh.pub`,
      ...pluginInputs,
    ],
    outputs: outputsOf('manifests'),
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
    inputs: [fromDependencies('**/install-config.yaml'), { env: RELEASE_ENV }, ...pluginInputs],
    outputs: outputsOf('credrequests'),
    metadata: {
      description: 'oc adm release extract --credentials-requests --included: the AWS CredentialsRequests',
      technologies: ['openshift', 'aws'],
    },
  };
}

function ccoctl({ pluginInputs }: TargetContext): Target {
  return {
    executor: '@ocp-sts/sts:ccoctl',
    dependsOn: ['extract'],
    cache: true,
    inputs: [
      ...CLUSTER_CONFIG_INPUTS,
      fromDependencies('**/*.yaml'),
      { env: 'CCO_DRY_RUN' },
      { env: 'CCO_CREATE_PRIVATE_S3_BUCKET' },
      ...pluginInputs,
    ],
    outputs: outputsOf('ccoctl'),
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
    outputs: outputsOf('staged'),
    metadata: {
      description: "Stage the installer dir: manifests plus ccoctl's manifests/ and tls/ (refuses dry-run output)",
      technologies: ['openshift'],
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
    dependsOn: ['inject', 'verify'],
    cache: false,
    outputs: outputsOf('installer'),
    metadata: {
      description: 'openshift-install create cluster on a copy of the staged dir; kubeconfig to .work/kubeconfig',
      technologies: ['openshift', 'aws'],
    },
  };
}

function destroy(): Target {
  return {
    executor: '@ocp-sts/installer:destroy',
    cache: false,
    metadata: {
      description: 'openshift-install destroy cluster, then ccoctl aws delete, then list what is left',
      technologies: ['openshift', 'aws'],
    },
  };
}

const BUILDERS: Record<Step, (ctx: TargetContext) => Target> = {
  render,
  manifests,
  extract,
  ccoctl,
  inject,
  verify,
  install,
  destroy,
};

/** All targets of one cluster project. Pure: the same context gives the same targets. */
export function clusterTargets(ctx: TargetContext): Record<Step, Target> {
  return Object.fromEntries(STEPS.map((step) => [step, BUILDERS[step](ctx)])) as Record<Step, Target>;
}
