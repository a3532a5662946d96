/*
 * The credentials-diff step: the AWS CredentialsRequests of the release this commit names (extract's output) against
 * those of the base release, as this cluster includes them. The base is the release a git ref names (`--base`, as
 * in a pull request: no AWS access, no cluster) or, without it, the installed one (the state's `installed` record).
 * The base release's requests are extracted with the same `--included` logic as extract, into the cluster's
 * .work/release-requests/ (RELEASE_REQUESTS_DIR) under a digest of what oc reads, so a second run reuses them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  extractInputs,
  INSTALL_CONFIG_FILE,
  renderInstallConfig,
  stableJson,
  type ExtractInputs,
} from '@ocp-sts/cluster-config';
import { openStateStore, STATE_RECORDS, type InstalledRecord, readInstalledRecord } from '@ocp-sts/state';
import {
  buildOutputDir,
  isUserError,
  readRelease,
  readSlice,
  readStepOutput,
  registryAuthFile,
  stsIsOff,
  UserError,
  type ClusterStep,
} from '@ocp-sts/toolchain';
import { isAwsRequest, readCredentialsRequests, type CredentialsRequest } from '../credentials-requests.ts';
import { extractReleaseAwsRequests, RELEASE_REQUESTS_DIR } from '../release-requests.ts';
import { releaseAtRef } from './base-release.ts';
import {
  canonical,
  diffCredentialsRequests,
  hasChanges,
  selectRequestsNeedingRoles,
  type CredentialsDiff,
} from './diff.ts';
import type { ComparedRelease, DiffOutcome } from './format.ts';

export interface CredentialsDiffOptions {
  /** A git ref (commit, branch, tag): compare with the release it names. Without it: the installed release. */
  base?: string;
  /** Registry credentials for oc; default $REGISTRY_AUTH_FILE, else the cluster's pull secret. */
  registryAuthFile?: string;
  /** Print oc's command and output while extracting the base (default true). */
  echo?: boolean;
}

/**
 * The git ref to compare with when --base is not given. `nx affected -t credentials-diff --base=<sha>` gives its
 * --base to Nx, never to the tasks: the pull-request workflow sets this to the same commit.
 */
export const DIFF_BASE_ENV = 'OCP_STS_DIFF_BASE';

const INPUTS_FILE = 'inputs.json';
const REQUESTS_SUBDIR = 'credrequests';

/** A base release and what `oc --included` reads for it. */
export interface BaseRelease {
  release: ComparedRelease;
  inputs: ExtractInputs;
  /** The install-config text that --included reads (no pull secret, no ssh key). */
  installConfig: string;
}

/** The folder name for a base: a digest of exactly what oc --included depends on (see ExtractInputs). */
export function baseRequestsKey(inputs: ExtractInputs): string {
  return createHash('sha256').update(canonical(inputs)).digest('hex').slice(0, 16);
}

/**
 * The AWS requests of a base release, extracted once into `.work/release-requests/<key>/credrequests/` (built all or
 * nothing; inputs.json written with it says what it holds) and read from there on every later run.
 */
export async function baseReleaseRequests(
  step: ClusterStep,
  base: BaseRelease,
  options: Pick<CredentialsDiffOptions, 'registryAuthFile' | 'echo'> = {},
): Promise<{ requests: CredentialsRequest[]; dir: string; reused: boolean }> {
  const dir = step.work(RELEASE_REQUESTS_DIR, baseRequestsKey(base.inputs));
  const inputsFile = join(dir, INPUTS_FILE);
  if (existsSync(inputsFile) && readFileSync(inputsFile, 'utf8') === stableJson(base.inputs)) {
    return { requests: readCredentialsRequests(join(dir, REQUESTS_SUBDIR)), dir, reused: true };
  }
  const authFile = options.registryAuthFile ?? registryAuthFile(step);
  const build = buildOutputDir(dir, async (partial) => {
    const installConfig = join(partial, INSTALL_CONFIG_FILE);
    writeFileSync(installConfig, base.installConfig);
    const to = join(partial, REQUESTS_SUBDIR);
    const extracted = await extractReleaseAwsRequests(step, {
      releaseImage: base.inputs.releaseImage,
      installConfig,
      authFile,
      to,
      ...(options.echo === undefined ? {} : { echo: options.echo }),
    });
    writeFileSync(join(partial, INPUTS_FILE), stableJson(base.inputs));
    return extracted;
  });
  // oc's message names the command, not which side of the diff it was extracting.
  const requests = await build.catch((error: unknown) => {
    if (!isUserError(error)) throw error;
    throw new UserError(
      `extracting the AWS requests of the base release (${base.release.source}: ${base.release.version ?? base.inputs.releaseImage}): ${error.message}`,
    );
  });
  return { requests, dir, reused: false };
}

type BaseOrNothing = { kind: 'base'; base: BaseRelease } | { kind: 'nothing'; reason: string };

function clusterState(step: ClusterStep) {
  return openStateStore({ workspaceRoot: step.workspaceRoot, projectRoot: step.projectRoot, loaded: step.loaded });
}

/**
 * The installed release as a base. The state records the release, not the install-config: --included reads this
 * commit's for both releases. Platform and topology do not change after an install; a feature set switched on in this
 * commit is the one the cluster will run the update with.
 */
function installedBase(step: ClusterStep, installed: InstalledRecord, head: ExtractInputs): BaseRelease {
  return {
    release: { version: installed.version, releaseImage: installed.releaseImage, source: 'installed' },
    inputs: { ...head, releaseImage: installed.releaseImage },
    installConfig: readStepOutput(step, 'render', INSTALL_CONFIG_FILE),
  };
}

async function baseFromState(step: ClusterStep, head: ExtractInputs): Promise<BaseOrNothing> {
  const store = clusterState(step);
  const installed = await readInstalledRecord(step, store);
  if (!installed?.releaseImage) {
    return {
      kind: 'nothing',
      reason:
        `${step.projectName} is not installed (no ${STATE_RECORDS.installed} in ${store.where}); ` +
        'give --base=<git ref> to compare with the release a commit names',
    };
  }
  return { kind: 'base', base: installedBase(step, installed, head) };
}

function baseFromRef(step: ClusterStep, ref: string): BaseOrNothing {
  const at = releaseAtRef(step, ref);
  if (at.kind === 'new-cluster') {
    return { kind: 'nothing', reason: `${at.clusterFile} does not exist at ${ref}: the cluster is new there` };
  }
  const { cco_mode: ccoMode } = at.loaded.cluster.credentials;
  if (ccoMode !== 'manual-sts') {
    return {
      kind: 'nothing',
      reason: `cco_mode at ${ref} is ${ccoMode}, not manual-sts: it had no IAM roles to compare`,
    };
  }
  return {
    kind: 'base',
    base: {
      release: { version: at.release.version, releaseImage: at.release.image, source: `git ${ref}` },
      inputs: extractInputs(at.loaded, at.release),
      installConfig: renderInstallConfig(at.loaded.cluster),
    },
  };
}

/**
 * The AWS requests of the installed release (the state's installed record), when this commit names another one: what
 * the cluster's roles must match until it is upgraded (verify checks them). Undefined when not installed, not
 * manual-sts, or when the installed release is this commit's (then extract's output is the answer).
 */
export async function installedReleaseRequests(
  step: ClusterStep,
  options: Pick<CredentialsDiffOptions, 'registryAuthFile' | 'echo'> = {},
): Promise<{ dir: string; version: string | null; releaseImage: string } | undefined> {
  if (stsIsOff(step)) return undefined;
  // Read once; not installed: nothing to read from render either (verify also runs on a ccoctl output alone).
  const installed = await readInstalledRecord(step, clusterState(step));
  if (!installed?.releaseImage) return undefined;
  const head = readSlice(step, 'extract');
  const headRelease = readRelease(step);
  const base = installedBase(step, installed, head);
  const to: ComparedRelease = { version: headRelease.version, releaseImage: headRelease.image, source: 'this commit' };
  if (sameRelease(base, head, to)) return undefined;
  const { dir } = await baseReleaseRequests(step, base, options);
  return { dir: join(dir, REQUESTS_SUBDIR), version: base.release.version, releaseImage: base.release.releaseImage };
}

/** Same release, and the same selection of its requests: nothing can differ. */
function sameRelease(base: BaseRelease, head: ExtractInputs, to: ComparedRelease): boolean {
  const sameImage =
    base.inputs.releaseImage === head.releaseImage ||
    (base.release.version !== null && base.release.version === to.version);
  return sameImage && canonical({ ...base.inputs, releaseImage: '' }) === canonical({ ...head, releaseImage: '' });
}

/** The answer of credentials-diff; never changes anything but its own folder of base requests. */
export async function credentialsDiff(step: ClusterStep, options: CredentialsDiffOptions = {}): Promise<DiffOutcome> {
  const cluster = step.projectName;
  if (stsIsOff(step)) {
    return {
      status: 'nothing-to-compare',
      cluster,
      reason: `cco_mode is ${step.loaded.cluster.credentials.cco_mode}, not manual-sts: the cluster has no IAM roles from CredentialsRequests`,
      from: null,
      to: null,
    };
  }
  const head = readSlice(step, 'extract');
  const headRelease = readRelease(step);
  const to: ComparedRelease = { version: headRelease.version, releaseImage: headRelease.image, source: 'this commit' };
  const found = options.base === undefined ? await baseFromState(step, head) : baseFromRef(step, options.base);
  if (found.kind === 'nothing') return { status: 'nothing-to-compare', cluster, reason: found.reason, from: null, to };
  const { base } = found;
  if (sameRelease(base, head, to)) {
    const label = to.version ?? to.releaseImage;
    return {
      status: 'nothing-to-compare',
      cluster,
      reason: `${base.release.source} and ${to.source} name the same release, ${label}`,
      from: base.release,
      to,
    };
  }
  const { requests: before } = await baseReleaseRequests(step, base, options);
  const after = readCredentialsRequests(step.dir('extract')).filter(isAwsRequest);
  const diff: CredentialsDiff = diffCredentialsRequests(before.filter(isAwsRequest), after);
  return { status: hasChanges(diff) ? 'changed' : 'unchanged', cluster, from: base.release, to, diff };
}

/**
 * The requests of this commit's release (extract's output) whose IAM role must be created or updated for a diff:
 * what an upgrade hands to `ccoctl aws create-iam-roles` (copy their files with copyRequestDocuments). Empty when
 * there is nothing to compare or nothing changed.
 */
export function headRequestsNeedingRoles(step: ClusterStep, outcome: DiffOutcome): CredentialsRequest[] {
  if (outcome.status !== 'changed') return [];
  return selectRequestsNeedingRoles(outcome.diff, readCredentialsRequests(step.dir('extract')).filter(isAwsRequest));
}
