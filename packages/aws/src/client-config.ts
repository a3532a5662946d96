import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { MiddlewareStack } from '@smithy/types';

/** Who we are in AWS for one call site: a profile and a region (a cluster's, or its state backend's). */
export interface AwsTarget {
  /** A profile name; undefined: the default credential chain (env, ~/.aws, SSO, instance role...). */
  profile?: string | undefined;
  region: string;
}

/** Adaptive retry: client-side rate limiting that backs off when IAM throttles a fleet of parallel checks. */
const RETRY = { retryMode: 'adaptive', maxAttempts: 8 } as const;

/**
 * What every SDK v3 client of ours is made with: the target's region and profile (else the default chain) and
 * adaptive retry. `AWS_ENDPOINT_URL` (the emulator in tests and the sandbox) is honoured by the SDK itself.
 */
export function awsClientConfig(target: AwsTarget) {
  const credentials = fromNodeProviderChain(target.profile ? { profile: target.profile } : {});
  return { region: target.region, credentials, ...RETRY };
}

/** awsClientConfig for S3: path-style addressing under AWS_ENDPOINT_URL, since `<bucket>.127.0.0.1` does not resolve. */
export function s3ClientConfig(target: AwsTarget, env: NodeJS.ProcessEnv = process.env) {
  return { ...awsClientConfig(target), forcePathStyle: Boolean(env.AWS_ENDPOINT_URL) };
}

/** Counts the calls made through a client, by operation (e.g. `s3:PutObject`), into `calls`. */
export function countCalls<I extends object, O extends object>(
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
