#!/usr/bin/env node
/*
 * ocp-sts-deploy-plan: the deploy matrix of the push-to-main workflow: which affected clusters to install, which to
 * upgrade. Run from the workspace root (the workflows call it through npx):
 *
 *   npx --no-install ocp-sts-deploy-plan --base <sha> --head <sha> < projects.json
 *
 * stdin is `nx show projects --affected --withTarget install --json` (the names of the affected clusters). A cluster
 * whose cluster.yaml's `openshift.version` differs between the two commits (read with `git diff --name-only` and
 * `git cat-file`) gets `upgrade`; every other one `install`, which does nothing for a cluster already installed (its
 * state says so) and installs a new one. A cluster.yaml absent at base is new: `install`.
 *
 * Prints `{"include":[{cluster, env, region, target, pullSecretFile, sshPublicKeyFile}]}` on stdout: the
 * `strategy.matrix` of the deploy job. `env` (the cluster's `env`, e.g. prod) is the GitHub environment whose
 * protection rules approve the job; the secret files are workspace-relative, where cluster.yaml expects them.
 *
 * Only clusters whose state backend is s3 are planned: a runner's checkout is gone after the job, and with it a local
 * state (the installer's metadata, the signing key), so a cluster on `local` (like the sandbox example of the
 * plugin's own repository) is left out with a GitHub warning line on stderr instead of being installed into a state
 * nobody can continue.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { CLUSTER_FILE, CLUSTERS_DIR, loadClusterConfig } from '@ocp-sts/cluster-config';
import { changedFiles, fileAt, isMainModule, runCommandLine, UserError } from '@ocp-sts/toolchain';
import { parseProjectList } from './project-list.ts';

export type Target = 'install' | 'upgrade';

export interface DeployEntry {
  cluster: string;
  env: string;
  /** platform.region: where the job's AWS session is opened. */
  region: string;
  target: Target;
  pullSecretFile: string;
  sshPublicKeyFile: string;
}

/** A file's text at a commit, or undefined when the commit does not hold it. */
export type ReadAt = (sha: string, file: string) => string | undefined;

/** `openshift.version` of a cluster.yaml text, or undefined (no file, no key, not YAML). */
export function openshiftVersion(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const version = (parse(text) as { openshift?: { version?: unknown } } | null)?.openshift?.version;
    return typeof version === 'string' || typeof version === 'number' ? String(version) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * install or upgrade for one cluster: upgrade only when its cluster.yaml changed between base and head, existed at
 * base, and names another openshift.version there.
 */
export function targetFor(
  file: string,
  changed: ReadonlySet<string>,
  base: string,
  head: string,
  readAt: ReadAt,
): Target {
  if (!changed.has(file)) return 'install';
  const before = openshiftVersion(readAt(base, file));
  const after = openshiftVersion(readAt(head, file));
  return before !== undefined && after !== undefined && before !== after ? 'upgrade' : 'install';
}

export interface PlanOptions {
  workspaceRoot: string;
  projects: string[];
  base: string;
  head: string;
  /** Workspace-relative cluster.yaml files that differ between base and head. */
  changed: ReadonlySet<string>;
  readAt: ReadAt;
}

export interface Plan {
  include: DeployEntry[];
  /** Clusters left out, each with why. */
  skipped: { cluster: string; reason: string }[];
}

export function plan({ workspaceRoot, projects, base, head, changed, readAt }: PlanOptions): Plan {
  const include: DeployEntry[] = [];
  const skipped: Plan['skipped'] = [];
  for (const cluster of [...projects].sort()) {
    const projectRoot = join(CLUSTERS_DIR, cluster);
    const loaded = loadClusterConfig({ workspaceRoot, projectRoot });
    const backend = loaded.cluster.state.backend;
    if (backend !== 's3') {
      skipped.push({ cluster, reason: `state backend ${backend}: CI deploys only clusters whose state is in s3` });
      continue;
    }
    // The job's GitHub environment, whose protection rules approve it: a cluster without one would deploy unapproved.
    const env = loaded.cluster.env;
    if (!env)
      throw new UserError(`${projectRoot}/cluster.yaml has no env: the deploy job needs it as its GitHub environment`);
    include.push({
      cluster,
      env,
      region: loaded.cluster.platform.region,
      target: targetFor(join(projectRoot, CLUSTER_FILE), changed, base, head, readAt),
      pullSecretFile: relative(workspaceRoot, loaded.secretFiles.pullSecret),
      sshPublicKeyFile: relative(workspaceRoot, loaded.secretFiles.sshPublicKey),
    });
  }
  return { include, skipped };
}

/** GitHub runs at most this many jobs from one matrix, and fails the whole workflow beyond it. */
export const GITHUB_MATRIX_LIMIT = 256;

/** A plan GitHub can run: within the matrix limit, else one line saying what to do instead of a failed workflow. */
export function withinMatrixLimit(include: readonly DeployEntry[]): void {
  if (include.length <= GITHUB_MATRIX_LIMIT) return;
  throw new UserError(
    `${include.length} clusters to deploy, and a GitHub matrix runs at most ${GITHUB_MATRIX_LIMIT} jobs: nothing was ` +
      `deployed. Push the change in parts of at most ${GITHUB_MATRIX_LIMIT} affected clusters (for a change to ` +
      'clusters/defaults.yaml, move the new value into the cluster.yaml files batch by batch)',
  );
}

/**
 * git in `cwd`, the workspace root: the cluster.yaml files that differ, and a file's text at a commit, both
 * workspace-relative (the workspace may be a folder of the repository).
 */
export function gitReader(cwd: string): { changed: (base: string, head: string) => Set<string>; readAt: ReadAt } {
  return {
    changed: (base, head) => changedFiles(cwd, base, head, `${CLUSTERS_DIR}/*/${CLUSTER_FILE}`),
    readAt: (sha, file) => fileAt(cwd, sha, file),
  };
}

function main(): void {
  const { values } = parseArgs({ options: { base: { type: 'string' }, head: { type: 'string' } } });
  if (!values.base || !values.head)
    throw new UserError('usage: ocp-sts-deploy-plan --base <sha> --head <sha> < projects.json');
  const projects = parseProjectList(readFileSync(0, 'utf8'), 'stdin');
  const workspaceRoot = process.cwd();
  const reader = gitReader(workspaceRoot);
  const matrix = plan({
    workspaceRoot,
    projects,
    base: values.base,
    head: values.head,
    changed: reader.changed(values.base, values.head),
    readAt: reader.readAt,
  });
  withinMatrixLimit(matrix.include);
  for (const { cluster, reason } of matrix.skipped)
    process.stderr.write(`::warning::${cluster} not deployed: ${reason}\n`);
  process.stdout.write(`${JSON.stringify({ include: matrix.include })}\n`);
}

if (isMainModule(import.meta.filename)) await runCommandLine('ocp-sts-deploy-plan', main);
