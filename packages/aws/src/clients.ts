import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { awsClientConfig, countCalls, s3ClientConfig, type AwsTarget } from './client-config.ts';

export interface AwsClients {
  target: AwsTarget;
  iam: IAMClient;
  sts: STSClient;
  s3: S3Client;
  cloudfront: CloudFrontClient;
  /** Calls made through these clients, by operation (e.g. `iam:GetRole`), for logs and benchmarks. */
  calls: Map<string, number>;
}

/** A cluster's AWS target: credentials.aws_profile (else the default credential chain) and platform.region. */
export function clusterAwsTarget(cluster: {
  credentials: { aws_profile?: string | null | undefined };
  platform: { region: string };
}): AwsTarget {
  return { profile: cluster.credentials.aws_profile ?? undefined, region: cluster.platform.region };
}

/** One set of SDK v3 clients for a cluster (see awsClientConfig for the profile, retry and endpoint). */
export function awsClients(target: AwsTarget, env = process.env): AwsClients {
  const common = awsClientConfig(target);
  const calls = new Map<string, number>();
  const clients = {
    target,
    // IAM and CloudFront are global; the SDK routes them to us-east-1 (or the partition's global region).
    iam: new IAMClient(common),
    sts: new STSClient(common),
    s3: new S3Client(s3ClientConfig(target, env)),
    cloudfront: new CloudFrontClient(common),
    calls,
  };
  countCalls(clients.iam.middlewareStack, 'iam', calls);
  countCalls(clients.sts.middlewareStack, 'sts', calls);
  countCalls(clients.s3.middlewareStack, 's3', calls);
  countCalls(clients.cloudfront.middlewareStack, 'cloudfront', calls);
  return clients;
}

export function totalCalls(clients: AwsClients): number {
  return [...clients.calls.values()].reduce((a, b) => a + b, 0);
}
