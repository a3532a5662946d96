/*
 * The release a git ref names for a cluster: its cluster.yaml, clusters/defaults.yaml and release.lock.json as that
 * commit has them, read with `git cat-file` (the checkout is not touched), loaded and resolved as render does
 * (chooseRelease), without the update service: a ref whose minor-only version has no pin names no single release.
 */
import { join } from 'node:path';
import {
  chooseRelease,
  CLUSTER_FILE,
  isMinorOnly,
  parseClusterConfig,
  parseReleaseLock,
  RELEASE_LOCK_FILE,
  type LoadedCluster,
  type Release,
} from '@ocp-sts/cluster-config';
import { fileAt, gitSaid, isUserError, runGit, UserError, type ProjectContext } from '@ocp-sts/toolchain';

export type ReleaseAtRef =
  | { kind: 'new-cluster'; ref: string; commit: string; clusterFile: string }
  | { kind: 'release'; ref: string; commit: string; loaded: LoadedCluster; release: Release };

/** The commit `ref` names; one line when it names none (or this is no git checkout). */
export function resolveCommit(workspaceRoot: string, ref: string): string {
  // A ref is never an option: `--base=--output=x` must not reach git as one.
  if (!ref || ref.startsWith('-')) throw new UserError(`--base must name a git commit, branch or tag, got "${ref}"`);
  const result = runGit(workspaceRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (result.status === 0) return result.stdout.trim();
  const inside = runGit(workspaceRoot, ['rev-parse', '--is-inside-work-tree']);
  if (inside.status !== 0) {
    throw new UserError(`--base=${ref}: ${workspaceRoot} is not a git checkout (${gitSaid(inside)})`);
  }
  throw new UserError(
    `--base=${ref}: no such commit, branch or tag in this repository (in CI, fetch it first, e.g. git fetch origin main, and give --base=origin/main)`,
  );
}

/**
 * The release that `ref` names for the cluster at `projectRoot`, or `new-cluster` when its cluster.yaml does not
 * exist at that ref. `$OPENSHIFT_RELEASE_IMAGE` is not applied: it is a switch of this run, and the base is what the
 * ref says (with it, both sides would be the same release).
 */
export function releaseAtRef(step: ProjectContext, ref: string): ReleaseAtRef {
  const commit = resolveCommit(step.workspaceRoot, ref);
  const read = (file: string) => fileAt(step.workspaceRoot, commit, file);
  const clusterFile = join(step.projectRoot, CLUSTER_FILE);
  if (read(clusterFile) === undefined) return { kind: 'new-cluster', ref, commit, clusterFile };
  const at = (message: string) => new UserError(`--base=${ref}: ${message}`);
  let loaded: LoadedCluster;
  try {
    loaded = parseClusterConfig({ workspaceRoot: step.workspaceRoot, projectRoot: step.projectRoot, read });
  } catch (error) {
    if (isUserError(error)) throw at(`the cluster's configuration at that ref does not load: ${error.message}`);
    throw error;
  }
  const lockFile = join(step.projectRoot, RELEASE_LOCK_FILE);
  const lockText = read(lockFile);
  let lock;
  try {
    lock = lockText === undefined ? undefined : parseReleaseLock(lockText, lockFile);
  } catch (error) {
    if (isUserError(error)) throw at(`${lockFile} at that ref: ${error.message}`);
    throw error;
  }
  const choice = chooseRelease(loaded.cluster, undefined, lock);
  if (choice.kind === 'resolve') {
    const { version } = loaded.cluster.openshift;
    throw at(
      `openshift.version "${version}" at that ref is ${isMinorOnly(version) ? 'a minor version' : 'a version'} without a pin for ${choice.channel} in ${lockFile}, so it names no single release; give a ref where render had pinned it`,
    );
  }
  return { kind: 'release', ref, commit, loaded, release: choice.release };
}
