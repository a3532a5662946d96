/*
 * What a state bucket must be (versioned, encrypted by default, all public access blocked, TLS only), checked and
 * set in one module: `stateBucketProblems` is what preflight reports, `ensureStateBucket` is what the state-bucket
 * generator does, and each problem's fix is the command that sets that one thing (or the generator, which sets all).
 */
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  S3Client,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { partitionOf } from '@ocp-sts/cluster-config';
import { UserError } from '@ocp-sts/toolchain';
import {
  awsAnsweredCode,
  AwsCallError,
  awsErrorCode,
  awsStatus,
  explainAwsError,
  isNotFound,
  s3ClientConfig,
  type AwsTarget,
} from '@ocp-sts/aws';

/** The state bucket as the `state:` block names it. */
export interface StateBucket {
  bucket: string;
  region: string;
  /** SSE-KMS with this key; undefined: any default encryption (SSE-S3 or SSE-KMS). */
  kmsKeyId?: string | undefined;
  profile?: string | undefined;
}

/** An S3 client for the state bucket: its region and profile (else the default chain), the emulator's addressing. */
export function stateBucketClient(target: StateBucket, env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client(s3ClientConfig({ region: target.region, profile: target.profile }, env));
}

/** The statement id of our TLS-only statement, so that the generator replaces it and keeps the policy's others. */
export const TLS_ONLY_SID = 'OcpStsStateTlsOnly';

const PUBLIC_ACCESS_BLOCK = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
} as const;

function bucketArns({ bucket, region }: StateBucket): [string, string] {
  const arn = `arn:${partitionOf(region)}:s3:::${bucket}`;
  return [arn, `${arn}/*`];
}

/** The statement that denies every request made without TLS, to the bucket and to its objects. */
export function tlsOnlyStatement(target: StateBucket) {
  return {
    Sid: TLS_ONLY_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: bucketArns(target),
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** The generator's command for this bucket: the fix that sets everything at once. */
export function stateBucketGeneratorCommand({ bucket, region, kmsKeyId, profile }: StateBucket): string {
  return (
    `nx g @ocp-sts/nx-plugin:state-bucket --bucket ${bucket} --region ${region}` +
    `${kmsKeyId ? ` --kmsKeyId ${kmsKeyId}` : ''}${profile ? ` --profile ${profile}` : ''}`
  );
}

function encryptionRule(kmsKeyId: string | undefined): ServerSideEncryptionRule {
  return kmsKeyId
    ? {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKeyId },
        BucketKeyEnabled: true,
      }
    : { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } };
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

type PolicyStatement = Record<string, unknown>;

/** The statements of the bucket's policy; [] without one. Rejects with the SDK's error, or a SyntaxError. */
async function policyStatements(s3: S3Client, bucket: string): Promise<PolicyStatement[]> {
  let policy: string | undefined;
  try {
    ({ Policy: policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket })));
  } catch (error) {
    if (awsErrorCode(error) === 'NoSuchBucketPolicy') return [];
    throw error;
  }
  return asArray((JSON.parse(policy ?? '{}') as { Statement?: PolicyStatement | PolicyStatement[] }).Statement);
}

/** Whether a policy statement denies every principal every S3 action on the bucket and its objects without TLS. */
function deniesPlainHttp(statement: PolicyStatement, target: StateBucket): boolean {
  if (statement.Effect !== 'Deny') return false;
  const principal = statement.Principal;
  const everyone =
    principal === '*' ||
    (typeof principal === 'object' &&
      principal !== null &&
      asArray((principal as { AWS?: string | string[] }).AWS).includes('*'));
  const actions = asArray(statement.Action as string | string[] | undefined);
  const resources = asArray(statement.Resource as string | string[] | undefined);
  const condition = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
  const secure = asArray(condition.Bool?.['aws:SecureTransport']);
  return (
    everyone &&
    (actions.includes('s3:*') || actions.includes('*')) &&
    bucketArns(target).every((arn) => resources.includes(arn) || resources.includes('*')) &&
    secure.length > 0 &&
    secure.every((v) => String(v).toLowerCase() === 'false')
  );
}

/** Whether the key the bucket encrypts with is the configured one (an id, ARN, alias or alias ARN: same tail). */
function sameKey(configured: string, applied: string | undefined): boolean {
  if (!applied) return false;
  return (
    applied === configured ||
    applied.endsWith(`:${configured}`) ||
    applied.endsWith(`/${configured}`) ||
    configured.endsWith(`/${applied}`) ||
    configured.endsWith(`:${applied}`)
  );
}

function oneLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/**
 * Every way the state bucket differs from what a state bucket must be, each one line naming the bucket, what is
 * wrong and the fix; [] when it is fine. A missing or unreachable bucket is the one problem (nothing else can be
 * read). Read-only.
 */
export async function stateBucketProblems(s3: S3Client, target: StateBucket): Promise<string[]> {
  const { bucket, region, kmsKeyId } = target;
  const aws: AwsTarget = { region, profile: target.profile };
  const all = stateBucketGeneratorCommand(target);
  const name = `state bucket ${bucket} (region ${region})`;
  /** A call's failure as a problem: the credentials/permission/network line, else the code and message. */
  const failure = (call: string, error: unknown): string => {
    const explained = explainAwsError(error, aws, call);
    return explained !== error
      ? `${name}: ${oneLine(explained)}`
      : `${name}: ${call} failed: ${awsAnsweredCode(error)}: ${oneLine(error)}`;
  };

  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (isNotFound(error)) return [`${name} does not exist: create it with ${all}, or fix state.bucket`];
    if (awsStatus(error) === 301) return [`${name} is in another region: fix state.region (the bucket's region)`];
    return [failure('s3:HeadBucket', error)];
  }

  const checks: Promise<string | undefined>[] = [
    (async () => {
      try {
        const { Status } = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
        if (Status === 'Enabled') return undefined;
        return (
          `${name}: versioning is ${Status ? Status.toLowerCase() : 'off'} (an overwritten or deleted key could not be recovered): ` +
          `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled (or ${all})`
        );
      } catch (error) {
        return failure('s3:GetBucketVersioning', error);
      }
    })(),
    (async () => {
      const fix =
        `aws s3api put-bucket-encryption --bucket ${bucket} --server-side-encryption-configuration ` +
        `'${JSON.stringify({ Rules: [encryptionRule(kmsKeyId)] })}' (or ${all})`;
      let rules: ServerSideEncryptionRule[];
      try {
        const answer = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
        rules = answer.ServerSideEncryptionConfiguration?.Rules ?? [];
      } catch (error) {
        if (awsErrorCode(error) !== 'ServerSideEncryptionConfigurationNotFoundError') {
          return failure('s3:GetBucketEncryption', error);
        }
        rules = [];
      }
      const applied = rules.map((r) => r.ApplyServerSideEncryptionByDefault).filter((d) => d?.SSEAlgorithm);
      if (!applied.length) return `${name}: no default encryption: ${fix}`;
      if (!kmsKeyId) return undefined;
      if (applied.some((d) => d!.SSEAlgorithm!.startsWith('aws:kms') && sameKey(kmsKeyId, d!.KMSMasterKeyID))) {
        return undefined;
      }
      const found = applied.map((d) => `${d!.SSEAlgorithm!}${d!.KMSMasterKeyID ? ` with ${d!.KMSMasterKeyID}` : ''}`);
      return `${name}: default encryption is ${found.join(', ')}, not SSE-KMS with ${kmsKeyId} (state.kms_key_id): ${fix}`;
    })(),
    (async () => {
      let settings: Partial<Record<keyof typeof PUBLIC_ACCESS_BLOCK, boolean>> = {};
      try {
        const answer = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
        settings = answer.PublicAccessBlockConfiguration ?? {};
      } catch (error) {
        if (awsErrorCode(error) !== 'NoSuchPublicAccessBlockConfiguration') {
          return failure('s3:GetPublicAccessBlock', error);
        }
      }
      const off = Object.keys(PUBLIC_ACCESS_BLOCK).filter(
        (k) => settings[k as keyof typeof PUBLIC_ACCESS_BLOCK] !== true,
      );
      if (!off.length) return undefined;
      return (
        `${name}: public access is not blocked (${off.join(', ')} not true): aws s3api put-public-access-block ` +
        `--bucket ${bucket} --public-access-block-configuration ` +
        `${Object.keys(PUBLIC_ACCESS_BLOCK)
          .map((k) => `${k}=true`)
          .join(',')} (or ${all})`
      );
    })(),
    (async () => {
      const fix = `aws s3api put-bucket-policy --bucket ${bucket} --policy '${JSON.stringify({ Version: '2012-10-17', Statement: [tlsOnlyStatement(target)] })}' (or ${all}, which keeps the policy's other statements)`;
      let statements: PolicyStatement[];
      try {
        statements = await policyStatements(s3, bucket);
      } catch (error) {
        return error instanceof SyntaxError
          ? `${name}: the bucket policy is not JSON: ${fix}`
          : failure('s3:GetBucketPolicy', error);
      }
      if (statements.some((s) => deniesPlainHttp(s, target))) return undefined;
      return `${name}: no bucket policy statement denies requests without TLS (aws:SecureTransport false): ${fix}`;
    })(),
  ];
  return (await Promise.all(checks)).filter((p): p is string => p !== undefined);
}

/**
 * Makes the bucket a state bucket: creates it when missing (in `region`), else adopts it when it is ours (in this
 * account); then versioning, default encryption, the public access block and the TLS-only statement (added to the
 * bucket's policy, its other statements kept). Idempotent. Returns what it did, one line each.
 */
export async function ensureStateBucket(s3: S3Client, target: StateBucket): Promise<string[]> {
  const { bucket, region, kmsKeyId } = target;
  const aws: AwsTarget = { region, profile: target.profile };
  const done: string[] = [];
  const call = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const explained = explainAwsError(error, aws, name);
      if (explained !== error) throw explained;
      throw new UserError(
        `state bucket ${bucket} (region ${region}): ${name} failed: ${awsAnsweredCode(error)}: ${oneLine(error)}`,
      );
    }
  };

  let exists = true;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!isNotFound(error)) {
      const explained = explainAwsError(error, aws, 's3:HeadBucket');
      if (explained instanceof AwsCallError && explained.kind === 'access-denied') {
        throw new UserError(
          `the bucket ${bucket} exists but this identity may not use it (another account's, or no s3:ListBucket): ` +
            'choose another --bucket name, or use the --profile of the account that owns it',
        );
      }
      await call('s3:HeadBucket', () => Promise.reject(error as Error));
    }
    exists = false;
  }
  if (!exists) {
    try {
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ...(region !== 'us-east-1' && {
            CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
          }),
        }),
      );
      done.push(`created the bucket ${bucket} in ${region}`);
    } catch (error) {
      if (awsErrorCode(error) === 'BucketAlreadyExists') {
        throw new UserError(`the bucket name ${bucket} is taken by another AWS account: choose another --bucket name`);
      }
      if (awsErrorCode(error) !== 'BucketAlreadyOwnedByYou')
        await call('s3:CreateBucket', () => Promise.reject(error as Error));
    }
  }
  // Public access first: nothing is ever readable by the world, not even for the seconds of the other calls.
  await call('s3:PutPublicAccessBlock', () =>
    s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: PUBLIC_ACCESS_BLOCK })),
  );
  done.push('blocked all public access');
  await call('s3:PutBucketVersioning', () =>
    s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } })),
  );
  done.push('enabled versioning');
  await call('s3:PutBucketEncryption', () =>
    s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: { Rules: [encryptionRule(kmsKeyId)] },
      }),
    ),
  );
  done.push(`set default encryption to ${kmsKeyId ? `SSE-KMS with ${kmsKeyId}` : 'SSE-S3 (AES256)'}`);

  const statements = await call('s3:GetBucketPolicy', () => policyStatements(s3, bucket));
  const kept = statements.filter((s) => s.Sid !== TLS_ONLY_SID);
  const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [...kept, tlsOnlyStatement(target)] });
  await call('s3:PutBucketPolicy', () => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy })));
  done.push(
    `set the TLS-only bucket policy statement ${TLS_ONLY_SID}${kept.length ? ` (kept ${kept.length} other statement${kept.length === 1 ? '' : 's'})` : ''}`,
  );
  return done;
}
