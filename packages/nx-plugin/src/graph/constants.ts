import { join, relative } from 'node:path';
import { CLUSTER_FILE, INSTALLED_RELEASE_SEEN_FILE, WORK_DIR } from '@ocp-sts/cluster-config/layout';

/*
 * Names shared by the inferred targets, declared once. Paths use Nx's {projectRoot} / {workspaceRoot} tokens.
 */

export const PLUGIN_NAME = '@ocp-sts/nx-plugin';

/** Every clusters/<name>/cluster.yaml is a project. */
export const CLUSTER_CONFIG_GLOB = `clusters/*/${CLUSTER_FILE}`;

export const CLUSTER_TAG = 'type:cluster';

/**
 * The packages whose code runs in the targets. Nx does not hash a local executor's source by itself, so when they
 * live in this workspace every cluster depends on them: a change to their source invalidates the cache and marks
 * every cluster affected.
 */
export const PLUGIN_PACKAGES = [
  '@ocp-sts/cluster-config',
  '@ocp-sts/toolchain',
  '@ocp-sts/aws',
  '@ocp-sts/state',
  '@ocp-sts/installer',
  '@ocp-sts/sts',
  '@ocp-sts/nx-plugin',
] as const;

/** The cluster's .work/, where the targets' outputs are. */
export const WORK = `{projectRoot}/${WORK_DIR}`;

/** Prints a digest of each secret file a step reads; see there. Production code of the plugin, installed with it. */
const SECRET_DIGESTS_SCRIPT = join(import.meta.dirname, 'secret-digests.js');

/** A word for `sh`: as is when plain, else single-quoted. */
const shellWord = (word: string) => (/^[\w./@+=:-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/**
 * A `runtime` input running one of the plugin's scripts with `node` (the Node that runs nx: the pinned one, first on
 * PATH under npm/npx), the script named relative to the workspace root, where Nx runs it with `sh`.
 */
function nodeScriptInput(workspaceRoot: string, script: string, args: string[]): { runtime: string } {
  return { runtime: ['node', relative(workspaceRoot, script), ...args].map(shellWord).join(' ') };
}

/**
 * The input that stands for the secret files a step reads, whose paths render recorded in `recordFile`
 * (workspace-relative). Listing the files themselves hashes nothing: they are git-ignored, and Nx never hashes
 * git-ignored files. Nx runs this command with `sh` in the workspace root and hashes what it prints, a sha256 of each
 * file or `missing`; it runs after render (the step reads render's output, so Nx hashes it only once render is done).
 */
export function secretDigestsInput(workspaceRoot: string, recordFile: string): { runtime: string } {
  return nodeScriptInput(workspaceRoot, SECRET_DIGESTS_SCRIPT, [recordFile]);
}

/** Prints what of the installed release ccoctl's output depends on; see there. Shipped with the plugin, like the above. */
const INSTALLED_RELEASE_SCRIPT = join(import.meta.dirname, 'installed-release.js');

/**
 * The input that stands for the installed release in the ccoctl target's hash: the checkout's copy of the state's
 * record, against render's release (`releaseFile`, workspace-relative). Like secretDigestsInput, a command, since the
 * copy is git-ignored; Nx runs it once render is done.
 */
export function installedReleaseInput(
  workspaceRoot: string,
  projectRoot: string,
  releaseFile: string,
): { runtime: string } {
  const seen = join(projectRoot, WORK_DIR, INSTALLED_RELEASE_SEEN_FILE);
  return nodeScriptInput(workspaceRoot, INSTALLED_RELEASE_SCRIPT, [seen, releaseFile]);
}
