/*
 * Which OpenShift release a cluster installs. Pure: the update-service lookup that resolves a minor version lives
 * in the installer package; this module decides what is needed and reads and writes the lock.
 */
import { ClusterConfigError } from './load.ts';
import type { ParsedCluster } from './schema.ts';
import { RELEASE_IMAGE_ENV, RELEASE_LOCK_FILE } from './layout.ts';

export const RELEASE_REPOSITORY = 'quay.io/openshift-release-dev/ocp-release';

export interface ReleaseLock {
  /** The update channel the pin was taken from, e.g. `stable-4.20`. */
  channel: string;
  version: string;
  /** Pull spec by digest, as the update service gives it. */
  image: string;
}

export interface Release {
  image: string;
  /** X.Y.Z when known (from the version, a tag, or the lock). */
  version: string | null;
  /** Where the choice came from, for messages. */
  source: 'openshift.release_image' | typeof RELEASE_IMAGE_ENV | 'openshift.version' | typeof RELEASE_LOCK_FILE;
}

export type ReleaseChoice = { kind: 'release'; release: Release } | { kind: 'resolve'; channel: string; minor: string };

export function isMinorOnly(version: string): boolean {
  return /^\d+\.\d+$/.test(version);
}

export function releaseImageOf(version: string): string {
  return `${RELEASE_REPOSITORY}:${version}-x86_64`;
}

/** X.Y.Z from a tag like `:4.16.3-x86_64`, if the image names one. */
export function versionOfImage(image: string): string | null {
  return /:(\d+\.\d+\.\d+)(-[a-z0-9_]+)?$/.exec(image)?.[1] ?? null;
}

/**
 * The release for a cluster: `openshift.release_image`, else `$OPENSHIFT_RELEASE_IMAGE`, else `openshift.version`
 * X.Y.Z, else the lock's pin of X.Y (a lock for another channel does not count: the version was changed since).
 */
export function chooseRelease(
  cluster: ParsedCluster,
  env: string | undefined,
  lock: ReleaseLock | undefined,
): ReleaseChoice {
  const { release_image: image, version } = cluster.openshift;
  if (image)
    return { kind: 'release', release: { image, version: versionOfImage(image), source: 'openshift.release_image' } };
  if (env) return { kind: 'release', release: { image: env, version: versionOfImage(env), source: RELEASE_IMAGE_ENV } };
  if (!isMinorOnly(version)) {
    return { kind: 'release', release: { image: releaseImageOf(version), version, source: 'openshift.version' } };
  }
  const channel = `stable-${version}`;
  if (lock?.channel === channel) {
    return { kind: 'release', release: { image: lock.image, version: lock.version, source: RELEASE_LOCK_FILE } };
  }
  return { kind: 'resolve', channel, minor: version };
}

export function parseReleaseLock(text: string, file: string): ReleaseLock {
  const problem = (message: string) =>
    new ClusterConfigError([
      {
        file,
        line: 1,
        col: 1,
        key: '(file)',
        message: `${message}; delete it and run the cluster's pin-release target to pin anew`,
      },
    ]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw problem('is not valid JSON');
  }
  const lock = (value ?? {}) as Partial<ReleaseLock>;
  if (typeof lock.channel !== 'string' || typeof lock.version !== 'string' || typeof lock.image !== 'string') {
    throw problem('needs "channel", "version" and "image"');
  }
  return { channel: lock.channel, version: lock.version, image: lock.image };
}

export function serializeReleaseLock(lock: ReleaseLock): string {
  return `${JSON.stringify({ channel: lock.channel, version: lock.version, image: lock.image }, null, 2)}\n`;
}

interface GraphNode {
  version: string;
  payload: string;
}

/** Orders X.Y.Z versions numerically (4.18.40 after 4.18.6). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * How a cluster at `from` moves to `to`, as the cluster-version operator sees it: nothing, a patch (same X.Y), one
 * minor, more than one minor (or another major), or backwards.
 */
export type UpdateKind = 'none' | 'patch' | 'minor' | 'skip' | 'downgrade';

export function updateKind(from: string, to: string): UpdateKind {
  const order = compareVersions(to, from);
  if (order === 0) return 'none';
  if (order < 0) return 'downgrade';
  const [fromMajor, fromMinor] = from.split('.').map(Number);
  const [toMajor, toMinor] = to.split('.').map(Number);
  if (fromMajor !== toMajor) return 'skip';
  const minors = (toMinor ?? 0) - (fromMinor ?? 0);
  return minors === 0 ? 'patch' : minors === 1 ? 'minor' : 'skip';
}

/** The newest X.Y.Z release of `minor` in an update-service graph (Cincinnati `nodes`). */
export function newestPatch(nodes: readonly GraphNode[], minor: string): GraphNode | undefined {
  return nodes
    .filter((n) => new RegExp(`^${minor.replace('.', '\\.')}\\.\\d+$`).test(n.version))
    .sort((a, b) => compareVersions(b.version, a.version))[0];
}
