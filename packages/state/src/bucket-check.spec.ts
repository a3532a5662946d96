import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketPolicyCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { uniqueName } from '../../../tools/testing/cluster-workspace.ts';
import { ensureStateBucket, stateBucketProblems, TLS_ONLY_SID, tlsOnlyStatement } from './bucket-check.ts';
import { S3ObjectStore } from './store.ts';

const REGION = 'us-east-1';
const s3 = new S3Client({ region: REGION, forcePathStyle: true });

describe('state bucket check', () => {
  it('names a missing bucket, and only that, with the generator as the fix', async () => {
    const bucket = uniqueName('nobucket');
    expect(await stateBucketProblems(s3, { bucket, region: REGION })).toEqual([
      `state bucket ${bucket} (region ${REGION}) does not exist: create it with ` +
        `nx g @ocp-sts/nx-plugin:state-bucket --bucket ${bucket} --region ${REGION}, or fix state.bucket`,
    ]);
  });

  it('finds each thing a plain bucket lacks, all at once, each with its fix', async () => {
    const bucket = uniqueName('plain');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // moto stores no default encryption for a new bucket (AWS applies SSE-S3 since 2023); state it either way.
    const problems = await stateBucketProblems(s3, { bucket, region: REGION });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(
      `state bucket ${bucket} (region us-east-1): versioning is off (an overwritten or deleted key could not be recovered): ` +
        `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`,
    );
    expect(problems[1]).toContain(
      `${bucket} (region us-east-1): no default encryption: aws s3api put-bucket-encryption`,
    );
    expect(problems[2]).toContain(
      'public access is not blocked (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets not true): ' +
        `aws s3api put-public-access-block --bucket ${bucket} --public-access-block-configuration ` +
        'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
    );
    expect(problems[3]).toContain('no bucket policy statement denies requests without TLS (aws:SecureTransport false)');
    for (const p of problems) expect(p).toContain(`nx g @ocp-sts/nx-plugin:state-bucket --bucket ${bucket}`);
  });

  describe('a bucket made by ensureStateBucket', () => {
    const bucket = uniqueName('made');
    const target = { bucket, region: REGION };
    beforeAll(async () => {
      const done = await ensureStateBucket(s3, target);
      expect(done).toEqual([
        `created the bucket ${bucket} in us-east-1`,
        'blocked all public access',
        'enabled versioning',
        'set default encryption to SSE-S3 (AES256)',
        `set the TLS-only bucket policy statement ${TLS_ONLY_SID}`,
      ]);
    });

    it('passes, and a second run changes nothing the check sees (idempotent, no second statement)', async () => {
      expect(await stateBucketProblems(s3, target)).toEqual([]);
      await ensureStateBucket(s3, target);
      expect(await stateBucketProblems(s3, target)).toEqual([]);
      const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      expect(JSON.parse(Policy!)).toEqual({ Version: '2012-10-17', Statement: [tlsOnlyStatement(target)] });
    });

    it('keeps working for the state store over plain http in moto (the TLS-only Deny does not match)', async () => {
      const store = new S3ObjectStore({
        backend: 's3',
        cluster: 'c1',
        bucket,
        keyPrefix: 'c1/',
        kmsKeyId: undefined,
        aws: { region: REGION },
      });
      await store.put('installed.json', '{"v":1}');
      expect((await store.get('installed.json'))?.toString()).toBe('{"v":1}');
      expect(await store.create('lock.json', 'x')).toBe(true);
      expect(await store.list()).toEqual(['installed.json', 'lock.json']);
    });

    it('is not a blanket pass: a Deny with another condition still denies in the emulator', async () => {
      const other = uniqueName('denied');
      await ensureStateBucket(s3, { bucket: other, region: REGION });
      const deny = {
        ...tlsOnlyStatement({ bucket: other, region: REGION }),
        Sid: 'NoOldTls',
        Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
      };
      await s3.send(
        new PutBucketPolicyCommand({
          Bucket: other,
          Policy: JSON.stringify({ Version: '2012-10-17', Statement: [deny] }),
        }),
      );
      const store = new S3ObjectStore({
        backend: 's3',
        cluster: 'c1',
        bucket: other,
        keyPrefix: 'c1/',
        kmsKeyId: undefined,
        aws: { region: REGION },
      });
      await expect(store.put('installed.json', 'x')).rejects.toThrow(/s3:PutObject/);
    });
  });

  it('finds each setting undone on a good bucket', async () => {
    const bucket = uniqueName('undone');
    const target = { bucket, region: REGION };
    await ensureStateBucket(s3, target);
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    expect(await stateBucketProblems(s3, target)).toEqual([expect.stringContaining('versioning is suspended')]);
    await ensureStateBucket(s3, target);

    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: true,
        },
      }),
    );
    expect(await stateBucketProblems(s3, target)).toEqual([
      expect.stringContaining('public access is not blocked (BlockPublicPolicy not true)'),
    ]);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    expect(await stateBucketProblems(s3, target)).toEqual([expect.stringContaining('public access is not blocked')]);
    await ensureStateBucket(s3, target);

    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    expect(await stateBucketProblems(s3, target)).toEqual([expect.stringContaining('denies requests without TLS')]);
    // A Deny of plain http for the objects only leaves the bucket's own calls open: not TLS-only.
    const objectsOnly = { ...tlsOnlyStatement(target), Resource: `arn:aws:s3:::${bucket}/*` };
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [objectsOnly] }),
      }),
    );
    expect(await stateBucketProblems(s3, target)).toEqual([expect.stringContaining('denies requests without TLS')]);
    await ensureStateBucket(s3, target);
    expect(await stateBucketProblems(s3, target)).toEqual([]);
  });

  it('wants SSE-KMS with the configured key when state.kms_key_id is set', async () => {
    const bucket = uniqueName('kms');
    await ensureStateBucket(s3, { bucket, region: REGION });
    const withKey = { bucket, region: REGION, kmsKeyId: 'alias/ocp-state' };
    expect(await stateBucketProblems(s3, withKey)).toEqual([
      `state bucket ${bucket} (region us-east-1): default encryption is AES256, not SSE-KMS with alias/ocp-state ` +
        `(state.kms_key_id): aws s3api put-bucket-encryption --bucket ${bucket} --server-side-encryption-configuration ` +
        `'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/ocp-state"},"BucketKeyEnabled":true}]}' ` +
        `(or nx g @ocp-sts/nx-plugin:state-bucket --bucket ${bucket} --region us-east-1 --kmsKeyId alias/ocp-state)`,
    ]);
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: 'arn:aws:kms:us-east-1:123456789012:alias/ocp-state',
              },
            },
          ],
        },
      }),
    );
    expect(await stateBucketProblems(s3, withKey)).toEqual([]);
    expect(await stateBucketProblems(s3, { ...withKey, kmsKeyId: 'alias/other' })).toEqual([
      expect.stringContaining(
        'default encryption is aws:kms with arn:aws:kms:us-east-1:123456789012:alias/ocp-state, not SSE-KMS with alias/other',
      ),
    ]);
  });

  it('keeps the other statements of an existing policy when it adds its own', async () => {
    const bucket = uniqueName('kept');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const other = {
      Sid: 'Audit',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${bucket}/*`,
    };
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [other] }),
      }),
    );
    const done = await ensureStateBucket(s3, { bucket, region: REGION });
    expect(done).not.toContain(`created the bucket ${bucket} in us-east-1`);
    expect(done.at(-1)).toBe(`set the TLS-only bucket policy statement ${TLS_ONLY_SID} (kept 1 other statement)`);
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect((JSON.parse(Policy!) as { Statement: unknown[] }).Statement).toEqual([
      other,
      tlsOnlyStatement({ bucket, region: REGION }),
    ]);
  });
});
