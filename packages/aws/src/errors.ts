import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@ocp-sts/toolchain';
import type { AwsTarget } from './client-config.ts';

/** The kinds of AWS failure a user can act on. */
export type AwsErrorKind =
  | 'no-credentials'
  | 'missing-profile'
  | 'expired-credentials'
  | 'invalid-credentials'
  | 'access-denied'
  | 'throttled'
  | 'unreachable';

/** An AWS call that failed in a way the user can act on, said in one line without an SDK stack trace. */
export class AwsCallError extends UserError {
  readonly code: string;
  readonly kind: AwsErrorKind | undefined;
  constructor(message: string, code: string, kind?: AwsErrorKind) {
    super(message);
    this.name = 'AwsCallError';
    this.code = code;
    this.kind = kind;
  }
}

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  cause?: unknown;
}

const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
]);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'InvalidToken',
  'AuthFailure',
]);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Forbidden']);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
]);
const CREDENTIAL_PROVIDER = new Set(['CredentialsProviderError', 'TokenProviderError']);

/**
 * S3 operations whose IAM action has another name (an S3 AccessDenied does not say which action it denied). Every
 * other call `service:Operation` is its own IAM action.
 */
const IAM_ACTION_OF: Record<string, string> = {
  's3:HeadBucket': 's3:ListBucket',
  's3:ListObjectsV2': 's3:ListBucket',
  's3:ListObjects': 's3:ListBucket',
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:HeadObject': 's3:GetObject',
  's3:DeleteObjects': 's3:DeleteObject',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
};

/** The IAM action a call needs, e.g. `s3:ListBucket` for `s3:HeadBucket`. */
export function iamActionOf(call: string): string {
  return IAM_ACTION_OF[call] ?? call;
}

/**
 * The error's code: its name, unless that is the generic `Error`, then the Code / code of it or of its cause, else a
 * network code in the message (the SDK wraps what is not an Error of its own realm as "AWS SDK error wrapper for ...").
 */
function codeOf(error: SdkError): string {
  const cause = error.cause as SdkError | undefined;
  const named = error.name && error.name !== 'Error' ? error.name : undefined;
  const network = /\b(E[A-Z_]{4,})\b/.exec(error.message ?? '')?.[1];
  return named ?? error.Code ?? error.code ?? cause?.code ?? (network && UNREACHABLE.has(network) ? network : 'Error');
}

function configFiles(env: NodeJS.ProcessEnv): { config: string; credentials: string } {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  return {
    config: env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
  };
}

function sections(file: string): string[] {
  if (!existsSync(file)) return [];
  return [...readFileSync(file, 'utf8').matchAll(/^\s*\[\s*([^\]]+?)\s*\]/gm)].map((m) => m[1]!);
}

/** Whether a profile is defined in the shared config (`[profile X]`) or credentials (`[X]`) file. */
export function profileExists(profile: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const files = configFiles(env);
  const inConfig = sections(files.config).some(
    (s) => s.replace(/^profile\s+/, '') === profile || (s === 'default' && profile === 'default'),
  );
  return inConfig || sections(files.credentials).includes(profile);
}

/** The profile in effect: the cluster's, else AWS_PROFILE. */
function effectiveProfile(target: AwsTarget, env: NodeJS.ProcessEnv): { name?: string; shown: string } {
  if (target.profile) return { name: target.profile, shown: target.profile };
  if (env.AWS_PROFILE) return { name: env.AWS_PROFILE, shown: `${env.AWS_PROFILE} (AWS_PROFILE)` };
  return { shown: '(default credential chain)' };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/**
 * Turns an SDK error into an AwsCallError naming the profile, the region and the call, with the fix; errors that
 * are not about credentials, permissions, throttling or reachability are returned unchanged (for the caller to judge).
 */
export function explainAwsError(
  error: unknown,
  target: AwsTarget,
  call: string,
  env: NodeJS.ProcessEnv = process.env,
): unknown {
  if (!(error instanceof Error) || error instanceof AwsCallError) return error;
  const e = error as SdkError;
  const code = codeOf(e);
  const message = e.message ?? '';
  const profile = effectiveProfile(target, env);
  const who = `profile ${profile.shown}, region ${target.region}, ${call}`;
  const login = profile.name ? `aws sso login --profile ${profile.name}` : 'aws sso login';
  const fail = (kind: AwsErrorKind, text: string) => new AwsCallError(text, code, kind);

  if (CREDENTIAL_PROVIDER.has(e.name ?? '') || /could not (load|resolve) credentials/i.test(message)) {
    if (/expired|refresh/i.test(message)) {
      return fail('expired-credentials', `the AWS login has expired (${who}): log in again: ${login}`);
    }
    if (profile.name && !profileExists(profile.name, env)) {
      const files = configFiles(env);
      return fail(
        'missing-profile',
        `the AWS profile "${profile.name}" is not defined in ${files.config} or ${files.credentials} (${who}): ` +
          `add it (aws configure --profile ${profile.name}), or fix credentials.aws_profile`,
      );
    }
    return profile.name
      ? fail(
          'no-credentials',
          `the AWS profile "${profile.name}" gives no credentials (${who}): ${firstLine(message)}; log in (${login}) or fix the profile`,
        )
      : fail(
          'no-credentials',
          `no AWS credentials found (${who}): set credentials.aws_profile (or AWS_PROFILE) to a profile that can log in, ` +
            'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
        );
  }
  if (EXPIRED.has(code) || /security token included in the request is expired/i.test(message)) {
    return fail('expired-credentials', `the AWS credentials have expired (${who}): log in again: ${login}`);
  }
  if (INVALID.has(code)) {
    return fail(
      'invalid-credentials',
      `AWS does not accept the credentials (${code}) (${who}): they are wrong or were revoked; log in again (${login}) or fix the keys`,
    );
  }
  const status = e.$metadata?.httpStatusCode;
  if (DENIED.has(code) || (status === 403 && /^(403|UnknownError|Error)$/.test(code))) {
    const action = /not authorized to perform:? (\S+)/.exec(message)?.[1] ?? iamActionOf(call);
    return fail(
      'access-denied',
      `access denied to ${action} (${who}): the identity needs the IAM permission ${action}`,
    );
  }
  if (THROTTLED.has(code)) {
    const attempts = e.$metadata?.attempts;
    return fail(
      'throttled',
      `AWS kept throttling ${call} (${code}) after ${attempts ? `${attempts} attempts` : 'the retries'} (${who}): ` +
        'run fewer clusters at once and try again',
    );
  }
  if (
    UNREACHABLE.has(code) ||
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|getaddrinfo|socket hang up|connect ETIMEDOUT/.test(message)
  ) {
    const endpoint = env.AWS_ENDPOINT_URL;
    const where = endpoint ? `the endpoint ${endpoint} (AWS_ENDPOINT_URL)` : 'AWS';
    return fail(
      'unreachable',
      `cannot reach ${where}: ${code} (${who}): check the network, the proxy, or AWS_ENDPOINT_URL`,
    );
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

/** The AWS error code of an SDK error (`NoSuchTagSet`, `AccessDenied`, ...), for decisions and messages. */
export function awsErrorCode(error: unknown): string {
  return codeOf(error as SdkError);
}

/**
 * The code as AWS sent it (the answer's `Code`: `NoSuchEntity` where the SDK names the error
 * `NoSuchEntityException`), else awsErrorCode: what findings and messages quote to the user.
 */
export function awsAnsweredCode(error: unknown): string {
  const { Code } = error as SdkError;
  return typeof Code === 'string' ? Code : awsErrorCode(error);
}

/** The HTTP status of an SDK error, when AWS answered at all. */
export function awsStatus(error: unknown): number | undefined {
  return (error as SdkError).$metadata?.httpStatusCode;
}
