import { UserError } from '@ocp-sts/toolchain';
import type { AwsTarget } from './clients.ts';

/** An AWS call that failed in a way the user can act on, said in one line without an SDK stack trace. */
export class AwsCallError extends UserError {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'AwsCallError';
    this.code = code;
  }
}

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'TimeoutError',
  'EHOSTUNREACH',
]);

function codeOf(error: SdkError): string {
  const cause = error.cause as SdkError | undefined;
  return error.name ?? error.Code ?? error.code ?? cause?.code ?? 'Error';
}

/**
 * Turns an SDK error into an AwsCallError naming the profile, the region and the call, with the fix; errors that
 * are not about credentials, permissions, throttling or reachability are returned unchanged (for the caller to judge).
 */
export function explainAwsError(error: unknown, target: AwsTarget, call: string): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as SdkError;
  const code = codeOf(e);
  const message = e.message ?? '';
  const who = `profile ${target.profile ?? '(default chain)'}, region ${target.region}, ${call}`;
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (
    e.name === 'CredentialsProviderError' ||
    /could not load credentials|Could not resolve credentials/i.test(message)
  ) {
    const profileMissing =
      /profile .* (could not be found|not found)/i.test(message) || /Profile .* not found/i.test(message);
    return new AwsCallError(
      profileMissing
        ? `AWS profile "${target.profile ?? ''}" does not exist (${who}): add it to ~/.aws/config, or fix credentials.aws_profile`
        : `no AWS credentials (${who}): log in (aws sso login --profile ...) or set credentials.aws_profile`,
      'NoCredentials',
    );
  }
  if (EXPIRED.has(code) || /expired/i.test(message)) {
    return new AwsCallError(`the AWS credentials have expired (${who}): log in again, e.g. aws sso login`, code);
  }
  if (code === 'AccessDenied' || code === 'AccessDeniedException' || code === 'UnauthorizedOperation') {
    const action = /not authorized to perform: (\S+)/.exec(message)?.[1] ?? call;
    return new AwsCallError(`access denied to ${action} (${who}): the identity needs that IAM permission`, code);
  }
  if (THROTTLED.has(code)) {
    return new AwsCallError(
      `AWS kept throttling ${call} after the retries (${who}): run fewer clusters at once and try again`,
      code,
    );
  }
  if (UNREACHABLE.has(code) || /ECONNREFUSED|ENOTFOUND|getaddrinfo|socket hang up/.test(message)) {
    const where = endpoint ? `the endpoint ${endpoint} (AWS_ENDPOINT_URL)` : 'AWS';
    return new AwsCallError(`cannot reach ${where} (${who}): check the network or AWS_ENDPOINT_URL`, code);
  }
  return error;
}

/** Runs one AWS call, translating the errors a user can act on. */
export async function awsCall<T>(target: AwsTarget, call: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw explainAwsError(error, target, call);
  }
}

/** The error of a missing resource (NoSuchEntity, NoSuchBucket, NoSuchKey, 404), which checks report as findings. */
export function isNotFound(error: unknown): boolean {
  const e = error as SdkError;
  return (
    ['NoSuchEntity', 'NoSuchEntityException', 'NoSuchBucket', 'NoSuchKey', 'NotFound', 'NoSuchDistribution'].includes(
      codeOf(e),
    ) || e.$metadata?.httpStatusCode === 404
  );
}
