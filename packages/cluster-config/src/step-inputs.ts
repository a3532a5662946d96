/*
 * What each later step reads from the cluster's configuration, written by render as small files. The steps hash
 * these instead of cluster.yaml, so that an edit re-runs exactly the steps it concerns: more compute replicas
 * re-render the install-config (manifests, inject, install) but leave the CredentialsRequests and the IAM roles
 * (extract, ccoctl) in the cache.
 */
import type { LoadedCluster } from './load.ts';
import type { Release } from './release.ts';

/** What `oc adm release extract --included` depends on: the release, and what the install-config enables. */
export interface ExtractInputs {
  ccoMode: string;
  releaseImage: string;
  platform: 'aws';
  featureSet: string;
  /** The cluster profile oc includes: single-node or high availability. */
  controlPlaneReplicas: number;
}

/** What `ccoctl aws create-all` depends on, besides the CredentialsRequests. */
export interface CcoctlInputs {
  ccoMode: string;
  stsName: string;
  region: string;
  awsProfile: string | null;
  createPrivateS3Bucket: boolean;
  permissionsBoundaryArn: string | null;
  /** ccoctl --enable-tech-preview. */
  techPreview: boolean;
}

export function extractInputs({ cluster }: LoadedCluster, release: Release): ExtractInputs {
  return {
    ccoMode: cluster.credentials.cco_mode,
    releaseImage: release.image,
    platform: cluster.platform.type,
    featureSet: cluster.openshift.feature_set,
    controlPlaneReplicas: cluster.openshift.control_plane_replicas,
  };
}

export function ccoctlInputs({ cluster, stsName }: LoadedCluster): CcoctlInputs {
  return {
    ccoMode: cluster.credentials.cco_mode,
    stsName,
    region: cluster.platform.region,
    awsProfile: cluster.credentials.aws_profile ?? null,
    createPrivateS3Bucket: cluster.credentials.create_private_s3_bucket,
    permissionsBoundaryArn: cluster.credentials.permissions_boundary_arn ?? null,
    techPreview: cluster.openshift.feature_set === 'TechPreviewNoUpgrade',
  };
}

export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
