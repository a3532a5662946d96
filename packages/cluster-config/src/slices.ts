/*
 * What each later step reads from the cluster's configuration, its slice, written by render as small files in
 * `.work/render/slices/`. A cached step takes what it depends on from its slice, never from cluster.yaml, and hashes
 * the slice: an edit re-runs exactly the steps it concerns. More compute replicas re-render the install-config
 * (manifests, inject, install) but leave the CredentialsRequests and the IAM roles (extract, ccoctl) in the cache.
 */
import { isAbsolute, relative } from 'node:path';
import type { LoadedCluster } from './load.ts';
import { capabilitiesSlice } from './capabilities.ts';
import { sortedTags, type UserTags } from './tags.ts';
import type { Release } from './release.ts';

/** What `oc adm release extract --included` depends on: the release, and what the install-config enables. */
export interface ExtractInputs {
  ccoMode: string;
  releaseImage: string;
  platform: 'aws';
  featureSet: string;
  /** The cluster profile oc includes: single-node or high availability. */
  controlPlaneReplicas: number;
  /** The capabilities oc includes (capabilities.ts); null: the release's default, every one. */
  capabilities: { baseline: string; additional: string[] } | null;
}

/**
 * What the ccoctl step depends on, besides the CredentialsRequests and the installed release (a runtime input): what
 * `ccoctl aws create-all` is given, the account it must create in (preflight refuses another caller), and where the
 * state it keeps the key pair and its records in is (a new backend must get them), and the tags it puts on them.
 */
export interface CcoctlInputs {
  ccoMode: string;
  stsName: string;
  accountId: string;
  region: string;
  awsProfile: string | null;
  createPrivateS3Bucket: boolean;
  permissionsBoundaryArn: string | null;
  /** ccoctl --enable-tech-preview. */
  techPreview: boolean;
  state: LoadedCluster['cluster']['state'];
  /** cluster.yaml's tags, sorted: the step puts them on everything ccoctl made. */
  tags: UserTags;
}

export function extractInputs({ cluster }: LoadedCluster, release: Release): ExtractInputs {
  return {
    ccoMode: cluster.credentials.cco_mode,
    releaseImage: release.image,
    platform: cluster.platform.type,
    featureSet: cluster.openshift.feature_set,
    controlPlaneReplicas: cluster.openshift.control_plane_replicas,
    capabilities: capabilitiesSlice(cluster.openshift.capabilities),
  };
}

export function ccoctlInputs({ cluster, stsName }: LoadedCluster): CcoctlInputs {
  return {
    ccoMode: cluster.credentials.cco_mode,
    stsName,
    accountId: cluster.platform.account_id,
    region: cluster.platform.region,
    awsProfile: cluster.credentials.aws_profile ?? null,
    createPrivateS3Bucket: cluster.credentials.create_private_s3_bucket,
    permissionsBoundaryArn: cluster.credentials.permissions_boundary_arn ?? null,
    techPreview: cluster.openshift.feature_set === 'TechPreviewNoUpgrade',
    state: cluster.state,
    tags: sortedTags(cluster.tags),
  };
}

/**
 * Where the secret files that `manifests` reads are: paths only, never their content. Nx does not hash git-ignored
 * files, so the manifests target hashes a digest of each file named here (its `runtime` input); render writes the
 * paths because only the loaded configuration knows them (cluster.yaml or defaults.yaml may override the default).
 * Workspace-relative when the file is inside the workspace, so that every clone records the same paths.
 */
export interface ManifestsSecretFiles {
  pullSecret: string;
  sshPublicKey: string;
}

export function manifestsSecretFiles({ secretFiles }: LoadedCluster, workspaceRoot: string): ManifestsSecretFiles {
  const shown = (file: string) => {
    const rel = relative(workspaceRoot, file);
    return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
  };
  return { pullSecret: shown(secretFiles.pullSecret), sshPublicKey: shown(secretFiles.sshPublicKey) };
}

export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
