/*
 * One line per AWS failure a user can act on, naming the profile, the region and the call. The credential and
 * network failures are produced for real by the SDK (empty config files, a closed loopback port); AccessDenied,
 * expiry and throttling, which the emulator cannot produce, are the SDK's own exception objects as it throws them.
 */
import { CloudFrontServiceException } from '@aws-sdk/client-cloudfront';
import { IAMServiceException } from '@aws-sdk/client-iam';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSServiceException } from '@aws-sdk/client-sts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEnv } from '../../../tools/testing/cluster-workspace.ts';
import type { AwsTarget } from './client-config.ts';
import { awsClients } from './clients.ts';
import { awsCall, AwsCallError, explainAwsError, iamActionOf, profileExists } from './errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'aws-errors-spec-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
/** A fresh file (the SDK caches shared config files by path). */
function file(content = ''): string {
  const path = join(dir, `file-${++files}`);
  writeFileSync(path, content);
  return path;
}

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

async function callerIdentityError(target: AwsTarget): Promise<AwsCallError> {
  const clients = awsClients(target);
  try {
    await awsCall(target, 'sts:GetCallerIdentity', () => clients.sts.send(new GetCallerIdentityCommand({})));
  } catch (error) {
    expect(error).toBeInstanceOf(AwsCallError);
    return error as AwsCallError;
  }
  throw new Error('GetCallerIdentity succeeded');
}

const oneLine = (e: Error) => {
  expect(e.message).not.toContain('\n');
  return e.message;
};

describe('AWS errors the SDK really throws', () => {
  it('an unreachable endpoint names it, the profile, region and call', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const error = await withEnv({ AWS_ENDPOINT_URL: endpoint }, () =>
      callerIdentityError({ profile: undefined, region: 'eu-west-1' }),
    );
    expect(error.kind).toBe('unreachable');
    expect(oneLine(error)).toBe(
      `cannot reach the endpoint ${endpoint} (AWS_ENDPOINT_URL): ECONNREFUSED (profile (default credential chain), ` +
        'region eu-west-1, sts:GetCallerIdentity): check the network, the proxy, or AWS_ENDPOINT_URL',
    );
  }, 20_000);

  it('a profile that is in no config file', async () => {
    const [config, credentials] = [file(), file()];
    const error = await withEnv({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials }, () =>
      callerIdentityError({ profile: 'nowhere', region: 'eu-west-1' }),
    );
    expect(error.kind).toBe('missing-profile');
    expect(oneLine(error)).toBe(
      `the AWS profile "nowhere" is not defined in ${config} or ${credentials} (profile nowhere, region eu-west-1, ` +
        'sts:GetCallerIdentity): add it (aws configure --profile nowhere), or fix credentials.aws_profile',
    );
  });

  it('AWS_PROFILE naming a missing profile when cluster.yaml names none', async () => {
    const error = await withEnv(
      { AWS_CONFIG_FILE: file(), AWS_SHARED_CREDENTIALS_FILE: file(), AWS_PROFILE: 'gone' },
      () => callerIdentityError({ region: 'us-east-1' }),
    );
    expect(error.kind).toBe('missing-profile');
    expect(error.message).toContain('(profile gone (AWS_PROFILE), region us-east-1, sts:GetCallerIdentity)');
  });

  it('no credentials at all', async () => {
    const error = await withEnv(
      {
        AWS_CONFIG_FILE: file(),
        AWS_SHARED_CREDENTIALS_FILE: file(),
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      () => callerIdentityError({ region: 'eu-west-1' }),
    );
    expect(error.kind).toBe('no-credentials');
    expect(oneLine(error)).toBe(
      'no AWS credentials found (profile (default credential chain), region eu-west-1, sts:GetCallerIdentity): set ' +
        'credentials.aws_profile (or AWS_PROFILE) to a profile that can log in, or set AWS_ACCESS_KEY_ID and ' +
        'AWS_SECRET_ACCESS_KEY',
    );
  });

  it('a profile that exists but gives no credentials', async () => {
    const config = file('[profile empty]\nregion = eu-west-1\n');
    const error = await withEnv({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: file() }, () =>
      callerIdentityError({ profile: 'empty', region: 'eu-west-1' }),
    );
    expect(error.kind).toBe('no-credentials');
    expect(oneLine(error)).toMatch(
      /^the AWS profile "empty" gives no credentials \(profile empty, region eu-west-1, sts:GetCallerIdentity\): .+; log in \(aws sso login --profile empty\) or fix the profile$/,
    );
  });
});

describe('explainAwsError on the exceptions the SDK throws for AWS answers', () => {
  const target = { profile: 'prod', region: 'us-east-1' };
  const who = 'profile prod, region us-east-1';

  it('AccessDenied from IAM names the denied action from the message', () => {
    const error = new IAMServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message:
        'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:ListRoleTags on resource: ' +
        'role x-openshift-ingress because no identity-based policy allows the iam:ListRoleTags action',
    });
    const explained = explainAwsError(error, target, 'iam:ListRoleTags') as AwsCallError;
    expect(explained.kind).toBe('access-denied');
    expect(oneLine(explained)).toBe(
      `access denied to iam:ListRoleTags (${who}, iam:ListRoleTags): the identity needs the IAM permission iam:ListRoleTags`,
    );
  });

  it('AccessDenied from S3 (no action in the message) names the IAM action of the call', () => {
    const error = new S3ServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'Access Denied',
    });
    expect((explainAwsError(error, target, 's3:ListObjectsV2') as Error).message).toBe(
      `access denied to s3:ListBucket (${who}, s3:ListObjectsV2): the identity needs the IAM permission s3:ListBucket`,
    );
    const head = new S3ServiceException({
      name: '403',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'UnknownError',
    });
    expect((explainAwsError(head, target, 's3:HeadBucket') as AwsCallError).kind).toBe('access-denied');
    expect(iamActionOf('s3:ListBuckets')).toBe('s3:ListAllMyBuckets');
    expect(iamActionOf('cloudfront:ListDistributions')).toBe('cloudfront:ListDistributions');
  });

  it('AccessDenied from CloudFront', () => {
    const error = new CloudFrontServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message:
        'User: arn:aws:sts::123456789012:assumed-role/ro/me is not authorized to perform: cloudfront:ListDistributions',
    });
    expect((explainAwsError(error, target, 'cloudfront:ListDistributions') as Error).message).toBe(
      `access denied to cloudfront:ListDistributions (${who}, cloudfront:ListDistributions): the identity needs the ` +
        'IAM permission cloudfront:ListDistributions',
    );
  });

  it('expired credentials, from a service and from an SSO login', () => {
    const expired = new STSServiceException({
      name: 'ExpiredToken',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'The security token included in the request is expired',
    });
    const explained = explainAwsError(expired, target, 'sts:GetCallerIdentity') as AwsCallError;
    expect(explained.kind).toBe('expired-credentials');
    expect(oneLine(explained)).toBe(
      `the AWS credentials have expired (${who}, sts:GetCallerIdentity): log in again: aws sso login --profile prod`,
    );
    const sso = Object.assign(
      new Error(
        'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO ' +
          'session run aws sso login with the corresponding profile.',
      ),
      { name: 'CredentialsProviderError' },
    );
    expect((explainAwsError(sso, target, 'iam:ListRoles') as Error).message).toBe(
      `the AWS login has expired (${who}, iam:ListRoles): log in again: aws sso login --profile prod`,
    );
  });

  it('throttling that outlasted the retries', () => {
    const error = new IAMServiceException({
      name: 'Throttling',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, attempts: 8, totalRetryDelay: 31_000 },
      message: 'Rate exceeded',
    });
    const explained = explainAwsError(error, target, 'iam:GetRole') as AwsCallError;
    expect(explained.kind).toBe('throttled');
    expect(oneLine(explained)).toBe(
      `AWS kept throttling iam:GetRole (Throttling) after 8 attempts (${who}, iam:GetRole): run fewer clusters at once and try again`,
    );
  });

  it('credentials AWS does not accept', () => {
    const error = new STSServiceException({
      name: 'InvalidClientTokenId',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'The security token included in the request is invalid.',
    });
    const explained = explainAwsError(error, target, 'sts:GetCallerIdentity') as AwsCallError;
    expect(explained.kind).toBe('invalid-credentials');
    expect(explained.message).toContain('AWS does not accept the credentials (InvalidClientTokenId)');
  });

  it('leaves other errors (a missing resource, a bug) to the caller', () => {
    const missing = new IAMServiceException({
      name: 'NoSuchEntity',
      $fault: 'client',
      $metadata: { httpStatusCode: 404 },
      message: 'The role with name x cannot be found.',
    });
    expect(explainAwsError(missing, target, 'iam:GetRole')).toBe(missing);
    const bug = new TypeError('x is undefined');
    expect(explainAwsError(bug, target, 'iam:GetRole')).toBe(bug);
  });
});

describe('profileExists', () => {
  it('reads [profile X] and [default] from the config file and [X] from the credentials file', () => {
    const env = {
      AWS_CONFIG_FILE: file('[default]\nregion=us-east-1\n[profile dev]\nregion=eu-west-1\n'),
      AWS_SHARED_CREDENTIALS_FILE: file('[ci]\naws_access_key_id=x\n'),
    };
    expect(['default', 'dev', 'ci', 'prod'].map((p) => profileExists(p, env))).toEqual([true, true, true, false]);
  });
});
