/*
 * The OIDC bucket check against the shared AWS emulator (unique bucket names), and with a stub for the 403 that
 * real S3 answers for another account's bucket (moto answers 200 there; the other-account case is still told apart
 * through ListBuckets).
 */
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { uniqueName } from '../../../../tools/testing/cluster-workspace.ts';
import { ownedTagKey } from '@ocp-sts/aws';
import { checkOidcBucket, type S3Sender } from './bucket.ts';

const REGION = 'eu-west-1';
const target = { region: REGION };
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

function s3(account?: string, region = REGION): S3Client {
  const client = new S3Client({ region, endpoint: process.env.AWS_ENDPOINT_URL, credentials, forcePathStyle: true });
  if (account) {
    client.middlewareStack.add(
      (next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-moto-account-id'] = account;
        return next(args);
      },
      { step: 'build', name: 'motoAccount' },
    );
  }
  return client;
}

async function bucket(name: string, tags: { Key: string; Value: string }[] = [], client = s3(), region = REGION) {
  await client.send(
    new CreateBucketCommand({
      Bucket: `${name}-oidc`,
      ...(region !== 'us-east-1' && { CreateBucketConfiguration: { LocationConstraint: region as 'eu-west-1' } }),
    }),
  );
  if (tags.length)
    await client.send(new PutBucketTaggingCommand({ Bucket: `${name}-oidc`, Tagging: { TagSet: tags } }));
}

describe('checkOidcBucket', () => {
  it('finds a name nobody uses free', async () => {
    const name = uniqueName('free');
    expect(await checkOidcBucket(s3(), target, name)).toEqual({ state: 'free', bucket: `${name}-oidc` });
  });

  it('finds the bucket ccoctl made for the same sts_name ours', async () => {
    const name = uniqueName('ours');
    await bucket(name, [
      { Key: ownedTagKey(name), Value: 'owned' },
      { Key: 'Name', Value: name },
    ]);
    expect(await checkOidcBucket(s3(), target, name)).toEqual({ state: 'ours', bucket: `${name}-oidc` });
  });

  it('refuses a bucket of this account that is not tagged for the sts_name', async () => {
    const name = uniqueName('untagged');
    await bucket(name);
    const verdict = await checkOidcBucket(s3(), target, name);
    expect(verdict).toEqual({
      state: 'taken',
      bucket: `${name}-oidc`,
      problem:
        `the S3 bucket ${name}-oidc already exists in this account but is not tagged ${ownedTagKey(name)}=owned, so it ` +
        "is not this cluster's OIDC bucket: choose another credentials.sts_name (nx g @ocp-sts/nx-plugin:cluster " +
        'picks a random suffix), or delete the bucket if nothing uses it',
    });
  });

  it('refuses a bucket tagged for another sts_name and points at the leftovers command', async () => {
    const name = uniqueName('other');
    await bucket(name, [{ Key: ownedTagKey(`${name}-x`), Value: 'owned' }]);
    const verdict = await checkOidcBucket(s3(), target, name);
    expect(verdict.state).toBe('taken');
    expect(verdict.state === 'taken' && verdict.problem).toContain(
      `tagged for another sts_name (${ownedTagKey(`${name}-x`)})`,
    );
    expect(verdict.state === 'taken' && verdict.problem).toContain('npm run leftovers -- --delete');
  });

  it("refuses another account's bucket (emulated with moto's account header)", async () => {
    const name = uniqueName('theirs');
    await bucket(name, [], s3('210987654321'));
    const verdict = await checkOidcBucket(s3(), target, name);
    expect(verdict.state === 'taken' && verdict.problem).toBe(
      `the S3 bucket ${name}-oidc (the OIDC issuer of sts_name ${name}) exists in another AWS account (bucket names ` +
        'are global): choose another credentials.sts_name (nx g @ocp-sts/nx-plugin:cluster picks a random suffix)',
    );
  });

  it('refuses a bucket in another region than the cluster', async () => {
    const name = uniqueName('elsewhere');
    await bucket(name, [{ Key: ownedTagKey(name), Value: 'owned' }], s3(undefined, 'us-west-2'), 'us-west-2');
    const verdict = await checkOidcBucket(s3(), target, name);
    expect(verdict.state === 'taken' && verdict.problem).toContain(
      `the S3 bucket ${name}-oidc already exists in us-west-2, not in platform.region ${REGION}`,
    );
  });

  it('reads the 403 of real S3 as "belongs to another account", suggesting a new sts_name', async () => {
    const forbidden: S3Sender = {
      send: () =>
        Promise.reject(
          new S3ServiceException({
            name: '403',
            $fault: 'client',
            $metadata: { httpStatusCode: 403 },
            message: 'UnknownError',
          }),
        ),
    };
    const verdict = await checkOidcBucket(forbidden, target, 'prod-east-k3x9q');
    expect(verdict).toEqual({
      state: 'taken',
      bucket: 'prod-east-k3x9q-oidc',
      problem:
        'the S3 bucket prod-east-k3x9q-oidc (the OIDC issuer of sts_name prod-east-k3x9q) exists and belongs to ' +
        'another AWS account (HeadBucket answers 403 Forbidden; bucket names are global): choose another ' +
        'credentials.sts_name (nx g @ocp-sts/nx-plugin:cluster picks a random suffix)',
    });
  });

  it('explains an AWS error it cannot judge itself in one line', async () => {
    const throttled: S3Sender = {
      send: () =>
        Promise.reject(
          new S3ServiceException({
            name: 'SlowDown',
            $fault: 'client',
            $metadata: { httpStatusCode: 503, attempts: 8 },
            message: 'Please reduce your request rate.',
          }),
        ),
    };
    await expect(checkOidcBucket(throttled, { profile: 'prod', region: REGION }, 'x-k3x9q')).rejects.toThrow(
      `AWS kept throttling s3:HeadBucket (SlowDown) after 8 attempts (profile prod, region ${REGION}, s3:HeadBucket): ` +
        'run fewer clusters at once and try again',
    );
  });
});
