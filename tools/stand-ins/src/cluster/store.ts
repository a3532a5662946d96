/*
 * Where a stand-in cluster lives: in "the cloud", i.e. the AWS emulator, as one S3 object per cluster keyed by its
 * region and infraID. The installer's kubeconfig names that key (kubeconfig.ts), so any checkout holding the
 * kubeconfig reaches the same cluster, and two workspaces with the same cluster name never meet (the infraID has a
 * random suffix). A folder on this machine would do neither: a second clone restores only the kubeconfig.
 *
 * The cluster's own store is not the caller's AWS account: `oc` authenticates to a cluster with the kubeconfig, not
 * with AWS credentials, so the store uses fixed credentials of its own and needs only AWS_ENDPOINT_URL.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ClusterRecord } from './resources.ts';

/** The bucket of every stand-in cluster (one per emulator; us-east-1 needs no location constraint). */
export const CLUSTER_BUCKET = 'ocp-standin-clusters';
const BUCKET_REGION = 'us-east-1';

/** What a kubeconfig carries to find its cluster. */
export interface ClusterRef {
  infraID: string;
  region: string;
}

/** The cluster cannot be reached: no emulator, or no cluster under that key (destroyed, or the emulator was reset). */
export class ClusterUnreachable extends Error {}

export function clusterKey(ref: ClusterRef): string {
  return `clusters/${ref.region}/${ref.infraID}.json`;
}

function client(env: NodeJS.ProcessEnv): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new ClusterUnreachable('no AWS emulator (AWS_ENDPOINT_URL is not set)');
  return new S3Client({
    region: BUCKET_REGION,
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'standin-cluster', secretAccessKey: 'standin-cluster' },
  });
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/** Whether the stand-in clusters have a store here (the emulator is configured). */
export function hasClusterStore(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);
}

export async function readCluster(ref: ClusterRef, env: NodeJS.ProcessEnv = process.env): Promise<ClusterRecord> {
  const s3 = client(env);
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: CLUSTER_BUCKET, Key: clusterKey(ref) }));
    return JSON.parse(await response.Body!.transformToString()) as ClusterRecord;
  } catch (error) {
    if (['NoSuchKey', 'NoSuchBucket', 'NotFound'].includes(errorName(error))) {
      throw new ClusterUnreachable(`no cluster ${ref.infraID} in ${ref.region}`);
    }
    throw new ClusterUnreachable((error as Error).message);
  } finally {
    s3.destroy();
  }
}

export async function writeCluster(record: ClusterRecord, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const s3 = client(env);
  const put = () =>
    s3.send(
      new PutObjectCommand({
        Bucket: CLUSTER_BUCKET,
        Key: clusterKey(record),
        Body: JSON.stringify(record, null, 2),
        ContentType: 'application/json',
      }),
    );
  try {
    try {
      await put();
    } catch (error) {
      if (errorName(error) !== 'NoSuchBucket') throw error;
      try {
        await s3.send(new CreateBucketCommand({ Bucket: CLUSTER_BUCKET }));
      } catch (created) {
        // Another process made it first.
        if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(errorName(created))) throw created;
      }
      await put();
    }
  } finally {
    s3.destroy();
  }
}

export async function deleteCluster(ref: ClusterRef, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const s3 = client(env);
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: CLUSTER_BUCKET, Key: clusterKey(ref) }));
  } catch (error) {
    if (errorName(error) !== 'NoSuchBucket') throw error;
  } finally {
    s3.destroy();
  }
}
