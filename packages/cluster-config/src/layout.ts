import { join } from 'node:path';

/*
 * Names of files and folders, shared by the model, the executors and the graph plugin. Light on purpose (no zod,
 * no yaml): the plugin imports it while Nx builds the project graph.
 */

/** Where the clusters are (clusters/<name>/cluster.yaml) and defaults.yaml, relative to the workspace root. */
export const CLUSTERS_DIR = 'clusters';
export const CLUSTER_FILE = 'cluster.yaml';
/**
 * A cluster.yaml or defaults.yaml larger than this is refused before it is read. A real cluster.yaml is a few KB
 * (the seed's fullest, comments included, is under 4 KB): 1 MiB is hundreds of times that, so no real file comes
 * near it, while it caps what a hostile one in a pull request can cost: validation is linear, and
 * `npm run bench:render` times a file of unknown keys just under the limit (aim: under 2 s).
 */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
/** clusters/defaults.yaml, merged under every cluster. */
export const DEFAULTS_FILE = 'defaults.yaml';
/** Beside cluster.yaml; committed, so that renders and cache keys stay the same until the pin is moved. */
export const RELEASE_LOCK_FILE = 'release.lock.json';
/** A compatibility variable: a release image for the run, below openshift.release_image. */
export const RELEASE_IMAGE_ENV = 'OPENSHIFT_RELEASE_IMAGE';
/** render's record of the release. */
export const RELEASE_FILE = 'release.json';
/** Folder inside render's output holding each later step's slice of the configuration (slices.ts). */
export const SLICES_DIR = 'slices';
/**
 * Inside render's output: the paths of the secret files that manifests reads (never their content), from which the
 * manifests target hashes a digest of each.
 */
export const MANIFESTS_SECRET_FILES = join(SLICES_DIR, 'manifests.json');

/** The cluster's generated files, relative to its folder (git-ignored). */
export const WORK_DIR = '.work';

/** A target's output: its folder in .work/, and whether what it writes there holds a secret. */
export interface TargetOutput {
  dir: string;
  holdsSecrets: boolean;
}

/**
 * Where each target that has an output writes, in .work/. Every target owns one folder, so that no two targets write
 * the same path and Nx can restore each from its cache on its own. A target's declaration (`target.ts` in its
 * executor folder) names its entry here rather than holding it: the other steps read its folder (inject reads
 * manifests' and ccoctl's) and toolchain makes the secret ones owner-only before every step (work-dir.ts), and
 * neither may import the packages the declarations live in; this module is below them all.
 */
export const TARGET_OUTPUTS = {
  render: { dir: 'render', holdsSecrets: false },
  // The pull secret.
  manifests: { dir: 'manifests', holdsSecrets: true },
  extract: { dir: 'credrequests', holdsSecrets: false },
  // The signing key.
  ccoctl: { dir: 'ccoctl', holdsSecrets: true },
  // Both.
  inject: { dir: 'staged', holdsSecrets: true },
  // The pull secret, the admin kubeconfig and the kubeadmin password.
  install: { dir: 'installer', holdsSecrets: true },
} as const satisfies Record<string, TargetOutput>;

export type TargetWithOutput = keyof typeof TARGET_OUTPUTS;

/** Workspace-relative output folder of a target, e.g. `clusters/prod/.work/render`. */
export function outputDir(projectRoot: string, target: TargetWithOutput): string {
  return join(projectRoot, WORK_DIR, TARGET_OUTPUTS[target].dir);
}

export const INSTALL_CONFIG_FILE = 'install-config.yaml';

/**
 * Where a cluster's pull secret and ssh public key are when cluster.yaml's `secrets` names no other file:
 * `secrets/<cluster>/`, workspace-relative and git-ignored.
 */
export function defaultSecretFiles(clusterName: string): { pullSecret: string; sshPublicKey: string } {
  const dir = clusterSecretsDir(clusterName);
  return { pullSecret: join(dir, 'pull-secret.json'), sshPublicKey: join(dir, 'ssh.pub') };
}

/** `secrets/<cluster>/`, workspace-relative and git-ignored: the user's secret files, and the kept signing key pair. */
export function clusterSecretsDir(clusterName: string): string {
  return join('secrets', clusterName);
}

/**
 * In the cluster's .work/: the installed release as this checkout last read or wrote it in the cluster's state (a
 * copy; the state's `installed.json` is the record). Written by every step that reads or writes that record, and
 * hashed by the ccoctl target (a runtime input), whose roles stay the installed release's until `upgrade`.
 */
export const INSTALLED_RELEASE_SEEN_FILE = 'installed-release.json';
