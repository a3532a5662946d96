/*
 * The release catalogue of the stand-ins: the OpenShift releases that `oc` can read and that `openshift-install`
 * can be "built for". Every release has a deterministic fake digest (sha256 of its version string), so a test can
 * compute it without the catalogue, and two pull specs: by tag and by digest, as quay.io serves the real ones.
 *
 * Each release serves one payload folder under tools/stand-ins/payload/: 4.16.z release-4.16, 4.17.z and 4.18.6
 * release-4.17 (a 4.18.z built before the `kms:ReEncrypt*` merge on release-4.18 carries the 4.17 requests, and 4.18
 * changed nothing else in them), 4.18.40 release-4.18 (a sandbox label for a 4.18.z built after that merge).
 *
 * The update graph of the sandbox (UPDATE_EDGES) is here too, so that the loopback update service
 * (tools/update-service) and the stand-in cluster's cluster-version operator (cluster/cvo.ts) agree on it.
 */
import { createHash } from 'node:crypto';

export const RELEASE_REPOSITORY = 'quay.io/openshift-release-dev/ocp-release';
export const COMPONENT_REPOSITORY = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev';
export const ARCHITECTURE = 'amd64';

/** The release an `openshift-install` stand-in reports when STANDIN_RELEASE_IMAGE is not set. */
export const DEFAULT_RELEASE_VERSION = '4.16.3';

export interface Release {
  version: string;
  /** `sha256:<hex>`, the manifest digest of the release image. */
  digest: string;
  /** `quay.io/openshift-release-dev/ocp-release:<version>-x86_64` */
  tagPullSpec: string;
  /** `quay.io/openshift-release-dev/ocp-release@sha256:<hex>` */
  digestPullSpec: string;
  /** RFC 3339 creation time of the release image. */
  created: string;
  /** The commit openshift-install of this release reports as `built from commit`. */
  installerCommit: string;
  /** The folder under tools/stand-ins/payload/ that holds its manifests. */
  payload: string;
  /** `stable-X.Y` of its own minor version (the channel the installer writes into the ClusterVersion). */
  channel: string;
}

/** Versions the stand-ins know, with the day each was (notionally) built and, unless release-4.16, its payload. */
const CATALOGUE: [version: string, created: string, payload?: string][] = [
  ['4.16.0', '2024-06-27T10:12:05Z'],
  ['4.16.1', '2024-07-02T09:40:11Z'],
  ['4.16.2', '2024-07-09T14:03:27Z'],
  ['4.16.3', '2024-07-16T11:25:48Z'],
  ['4.16.4', '2024-07-23T08:51:30Z'],
  ['4.16.5', '2024-07-30T16:17:02Z'],
  ['4.16.6', '2024-08-06T12:44:19Z'],
  ['4.16.7', '2024-08-13T10:09:56Z'],
  ['4.16.8', '2024-08-20T13:32:41Z'],
  ['4.16.9', '2024-08-27T09:58:14Z'],
  ['4.17.0', '2024-10-01T11:06:33Z', 'release-4.17'],
  ['4.17.1', '2024-10-09T15:21:07Z', 'release-4.17'],
  ['4.17.2', '2024-10-16T10:47:52Z', 'release-4.17'],
  ['4.17.9', '2024-12-18T10:02:44Z', 'release-4.17'],
  // Built before machine-api-operator's `kms:ReEncrypt*` reached release-4.18: the 4.17 requests.
  ['4.18.6', '2025-03-25T12:36:09Z', 'release-4.17'],
  // A sandbox label for a 4.18.z built after that merge (2026-03-20): the release-4.18 requests.
  ['4.18.40', '2026-04-07T09:14:51Z', 'release-4.18'],
  // The first ccoctl with `create-all --dry-run` (the ccoctl stand-in changes with its release).
  // Its requests were not written down; it serves the nearest payload held (4.19 has the 4.18 `kms:ReEncrypt*`).
  ['4.19.0', '2025-06-17T09:30:12Z', 'release-4.18'],
];

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The fake digest of a release: sha256 of its version string. */
export function releaseDigest(version: string): string {
  return `sha256:${sha256(version)}`;
}

function release(version: string, created: string, payload = 'release-4.16'): Release {
  const digest = releaseDigest(version);
  const [major, minor] = version.split('.');
  return {
    version,
    digest,
    tagPullSpec: `${RELEASE_REPOSITORY}:${version}-x86_64`,
    digestPullSpec: `${RELEASE_REPOSITORY}@${digest}`,
    created,
    installerCommit: createHash('sha1').update(`openshift-install ${version}`).digest('hex'),
    payload,
    channel: `stable-${major ?? '4'}.${minor ?? '16'}`,
  };
}

export const RELEASES: readonly Release[] = CATALOGUE.map(([version, created, payload]) =>
  release(version, created, payload),
);

export function releaseByVersion(version: string): Release | undefined {
  return RELEASES.find((r) => r.version === version);
}

export function defaultRelease(): Release {
  return releaseByVersion(DEFAULT_RELEASE_VERSION)!;
}

/**
 * The release an image reference names, or undefined (the registry answers `manifest unknown`). A reference by
 * digest may name any repository (a mirror holds the same digests); one by tag must be in the release repository
 * with the `-x86_64` suffix, as on quay.io.
 */
export function resolveRelease(image: string): Release | undefined {
  const at = image.lastIndexOf('@');
  if (at > 0) {
    const digest = image.slice(at + 1);
    return RELEASES.find((r) => r.digest === digest);
  }
  const colon = image.lastIndexOf(':');
  if (colon <= image.lastIndexOf('/')) return undefined;
  const repository = image.slice(0, colon);
  const tag = image.slice(colon + 1);
  if (repository !== RELEASE_REPOSITORY) return undefined;
  return RELEASES.find((r) => `${r.version}-x86_64` === tag);
}

/** The component images of a release (a few of the real ones), each with its own fake digest. */
export function releaseComponents(release: Release): { name: string; image: string; digest: string }[] {
  const names = [
    'cli',
    'cloud-credential-operator',
    'cluster-version-operator',
    'installer',
    'machine-api-operator',
    'machine-config-operator',
  ];
  return names.map((name) => {
    const digest = `sha256:${sha256(`${release.version}/${name}`)}`;
    return { name, digest, image: `${COMPONENT_REPOSITORY}@${digest}` };
  });
}

// --- the update graph -----------------------------------------------------------------------------------------

/** The sandbox's update edges (from, to), as the update service serves them and the stand-in cluster offers them. */
export const UPDATE_EDGES: readonly (readonly [from: string, to: string])[] = [
  ['4.16.3', '4.17.9'],
  ['4.17.9', '4.18.6'],
  ['4.17.9', '4.18.40'],
  ['4.18.6', '4.18.40'],
];

/** `X.Y` of a version. */
export function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/**
 * The channels a release is in, as the real update service places them: `stable-X.Y` of its own minor, and the
 * `stable-X.Y` of every newer minor it has an edge into (a 4.16.z with an edge to a 4.17.z is in stable-4.17).
 */
export function channelsOf(release: Release): string[] {
  const channels = new Set([release.channel]);
  for (const [from, to] of UPDATE_EDGES) {
    if (from === release.version && minorOf(to) !== minorOf(from)) channels.add(`stable-${minorOf(to)}`);
  }
  return [...channels].sort();
}

export interface ChannelGraph {
  releases: Release[];
  edges: [from: string, to: string][];
}

/** Every channel of the catalogue with its releases (catalogue order) and the edges between two of them. */
export function updateGraph(): Record<string, ChannelGraph> {
  const graph: Record<string, ChannelGraph> = {};
  for (const release of RELEASES) {
    for (const channel of channelsOf(release)) (graph[channel] ??= { releases: [], edges: [] }).releases.push(release);
  }
  for (const channel of Object.values(graph)) {
    const versions = new Set(channel.releases.map((r) => r.version));
    channel.edges = UPDATE_EDGES.filter(([from, to]) => versions.has(from) && versions.has(to)).map(
      ([from, to]): [string, string] => [from, to],
    );
  }
  return graph;
}
