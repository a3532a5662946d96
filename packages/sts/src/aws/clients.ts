import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { MiddlewareStack } from '@smithy/types';

/** Who we are in AWS for one cluster: its profile and region, as cluster.yaml says. */
export interface AwsTarget {
  /** credentials.aws_profile; undefined: the default credential chain (env, ~/.aws, SSO, instance role...). */
  profile?: string | undefined;
  region: string;
}

export interface AwsClients {
  target: AwsTarget;
  iam: IAMClient;
  sts: STSClient;
  s3: S3Client;
  cloudfront: CloudFrontClient;
  /** Calls made through these clients, by operation (e.g. `iam:GetRole`), for logs and benchmarks. */
  calls: Map<string, number>;
}

/** Adaptive retry: client-side rate limiting that backs off when IAM throttles a fleet of parallel checks. */
const RETRY = { retryMode: 'adaptive', maxAttempts: 8 } as const;

/**
 * One set of SDK v3 clients for a cluster. `AWS_ENDPOINT_URL` (the emulator in tests and the sandbox) is honoured
 * by the SDK itself; S3 then uses path-style addressing, since `<bucket>.127.0.0.1` does not resolve.
 */
export function awsClients(target: AwsTarget, env = process.env): AwsClients {
  const credentials = fromNodeProviderChain(target.profile ? { profile: target.profile } : {});
  const common = { region: target.region, credentials, ...RETRY };
  const calls = new Map<string, number>();
  const clients = {
    target,
    // IAM and CloudFront are global; the SDK routes them to us-east-1 (or the partition's global region).
    iam: new IAMClient(common),
    sts: new STSClient(common),
    s3: new S3Client({ ...common, forcePathStyle: Boolean(env.AWS_ENDPOINT_URL) }),
    cloudfront: new CloudFrontClient(common),
    calls,
  };
  countCalls(clients.iam.middlewareStack, 'iam', calls);
  countCalls(clients.sts.middlewareStack, 'sts', calls);
  countCalls(clients.s3.middlewareStack, 's3', calls);
  countCalls(clients.cloudfront.middlewareStack, 'cloudfront', calls);
  return clients;
}

function countCalls<I extends object, O extends object>(
  stack: MiddlewareStack<I, O>,
  service: string,
  calls: Map<string, number>,
): void {
  stack.add(
    (next, context) => (args) => {
      const key = `${service}:${(context.commandName ?? '?').replace(/Command$/, '')}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'ocpStsCallCounter' },
  );
}

export function totalCalls(clients: AwsClients): number {
  return [...clients.calls.values()].reduce((a, b) => a + b, 0);
}
