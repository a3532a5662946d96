import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { testWorkspace, uniqueName, withEnv, type TestWorkspace } from '../../../tools/testing/cluster-workspace.ts';
import { forgetFolderInState, keepFolderInState, restoreFolderFromState } from './cluster-state.ts';
import { STATE_GROUPS, stateLocation } from './location.ts';
import { openStateStore, S3ObjectStore, type ObjectStore } from './store.ts';

const REGION = 'us-east-1';
const s3 = () => new S3Client({ region: REGION, forcePathStyle: true });

async function newBucket(): Promise<string> {
  const bucket = uniqueName('state');
  await s3().send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** Every operation of the interface, the same for both backends. */
async function exercise(store: ObjectStore): Promise<void> {
  expect(await store.list()).toEqual([]);
  expect(await store.get('lock.json')).toBeUndefined();
  await store.put('tls/signer.key', 'KEY-1');
  await store.put('installed.json', '{"v":1}');
  await store.put('tls/signer.key', 'KEY-2');
  expect((await store.get('tls/signer.key'))?.toString()).toBe('KEY-2');
  expect(await store.list()).toEqual(['installed.json', 'tls/signer.key']);
  expect(await store.create('lock.json', 'first')).toBe(true);
  expect(await store.create('lock.json', 'second')).toBe(false);
  expect((await store.get('lock.json'))?.toString()).toBe('first');
  await store.delete('lock.json');
  await store.delete('lock.json');
  expect(await store.get('lock.json')).toBeUndefined();
  expect(await store.list()).toEqual(['installed.json', 'tls/signer.key']);
  await expect(store.put('../escape', 'x')).rejects.toThrow('not an object name');
}

describe('state location', () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = testWorkspace('state-spec-');
    ws.addCluster({ name: 'c1', stsName: 'c1-abcde', profile: 'cluster-profile' });
  });
  afterEach(() => {
    ws.remove();
  });

  it('is the checkout by default: the kept key in secrets/<name>/, the installer in .work/installer/', () => {
    expect(stateLocation(ws.step('c1', 'install'))).toEqual({
      backend: 'local',
      cluster: 'c1',
      signingKeyDir: join(ws.root, 'secrets/c1'),
      installerDir: join(ws.root, 'clusters/c1/.work/installer'),
      ccoctlDir: join(ws.root, 'clusters/c1/.work/ccoctl'),
      objectsDir: join(ws.root, 'clusters/c1/.work/state'),
    });
  });

  it('is s3://<bucket>/<prefix>/<name>/ with S3, with the cluster profile unless state.profile says otherwise', () => {
    ws.write(
      'clusters/defaults.yaml',
      'state: { backend: s3, bucket: acme-state, region: eu-west-1, prefix: team/clusters }\n',
    );
    expect(stateLocation(ws.step('c1', 'install'))).toEqual({
      backend: 's3',
      cluster: 'c1',
      bucket: 'acme-state',
      keyPrefix: 'team/clusters/c1/',
      kmsKeyId: undefined,
      aws: { region: 'eu-west-1', profile: 'cluster-profile' },
    });
    ws.write(
      'clusters/defaults.yaml',
      'state: { backend: s3, bucket: acme-state, region: eu-west-1, kms_key_id: alias/ocp-state, profile: state-admin }\n',
    );
    expect(stateLocation(ws.step('c1', 'install'))).toMatchObject({
      keyPrefix: 'c1/',
      kmsKeyId: 'alias/ocp-state',
      aws: { region: 'eu-west-1', profile: 'state-admin' },
    });
  });
});

describe('the object stores', () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = testWorkspace('state-spec-');
    ws.addCluster({ name: 'c1', stsName: 'c1-abcde' });
  });
  afterEach(() => {
    ws.remove();
  });

  it('local: gets, puts, creates only once, deletes and lists the objects under .work/state/, owner-only', async () => {
    const store = openStateStore(ws.step('c1', 'ccoctl'));
    expect(store.where).toBe('clusters/c1/.work/state/');
    await exercise(store);
    const dir = join(ws.root, 'clusters/c1/.work/state');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'tls/signer.key')).mode & 0o777).toBe(0o600);
  });

  // S3: against the emulator.
  const useBucket = (bucket: string, extra = '') => {
    ws.write(
      'clusters/defaults.yaml',
      `state: { backend: s3, bucket: ${bucket}, region: ${REGION}, prefix: fleet${extra} }\n`,
    );
  };

  it('s3: gets, puts, creates only once (If-None-Match), deletes and lists under <prefix>/<cluster>/, SSE-S3', async () => {
    const bucket = await newBucket();
    useBucket(bucket);
    const store = openStateStore(ws.step('c1', 'ccoctl'));
    expect(store).toBeInstanceOf(S3ObjectStore);
    expect(store.where).toBe(`s3://${bucket}/fleet/c1/`);
    await exercise(store);
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'fleet/c1/tls/signer.key' }));
    expect(head.ServerSideEncryption).toBe('AES256');
  });

  it('s3: writes with SSE-KMS under state.kms_key_id', async () => {
    const bucket = await newBucket();
    useBucket(bucket, ', kms_key_id: alias/ocp-state');
    const store = openStateStore(ws.step('c1', 'ccoctl'));
    await store.put('installed.json', '{}');
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'fleet/c1/installed.json' }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toContain('alias/ocp-state');
  });

  it('s3: says in one line that the state bucket does not exist', async () => {
    useBucket(uniqueName('absent'));
    const store = openStateStore(ws.step('c1', 'ccoctl'));
    await expect(store.create('lock.json', '{}')).rejects.toThrow(
      /^the state bucket absent-\w+ does not exist \(region us-east-1, s3:PutObject\): create it, or fix state.bucket/,
    );
  });

  it('s3: says in one line that the endpoint cannot be reached', async () => {
    useBucket('acme-state');
    await withEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, async () => {
      const store = openStateStore(ws.step('c1', 'ccoctl'));
      const error = await store.create('lock.json', '{}').then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/^cannot reach the endpoint http:\/\/127\.0\.0\.1:9 \(AWS_ENDPOINT_URL\)/);
      expect(error?.message).toContain('s3:PutObject');
      expect(error?.message).not.toContain('\n');
    });
  });
});

describe('folders kept in the state', () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = testWorkspace('state-folder-spec-');
    ws.addCluster({ name: 'c1', stsName: 'c1-abcde' });
  });
  afterEach(() => {
    ws.remove();
  });

  it('s3: kept equal to the folder, restored whole and owner-only into a missing one, forgotten', async () => {
    const bucket = await newBucket();
    ws.write('clusters/defaults.yaml', `state: { backend: s3, bucket: ${bucket}, region: ${REGION} }\n`);
    const store = openStateStore(ws.step('c1', 'ccoctl'));
    const made = join(ws.root, 'made');
    ws.write('made/manifests/a.yaml', 'A');
    ws.write('made/manifests/b.yaml', 'B');
    ws.write('made/tls/key', 'KEY');
    await keepFolderInState(store, STATE_GROUPS.ccoctlOutput, made);
    // A second run without b.yaml (a request the new release dropped): its object goes too.
    rmSync(join(made, 'manifests/b.yaml'));
    await keepFolderInState(store, STATE_GROUPS.ccoctlOutput, made);
    expect(await store.list()).toEqual(['ccoctl-output/manifests/a.yaml', 'ccoctl-output/tls/key']);

    const restored = join(ws.root, 'restored');
    expect(await restoreFolderFromState(store, STATE_GROUPS.ccoctlOutput, restored)).toEqual([
      'manifests/a.yaml',
      'tls/key',
    ]);
    expect(readFileSync(join(restored, 'tls/key'), 'utf8')).toBe('KEY');
    expect(statSync(join(restored, 'tls/key')).mode & 0o777).toBe(0o600);
    expect(statSync(restored).mode & 0o777).toBe(0o700);
    expect(readdirSync(ws.root).filter((f) => f.startsWith('restored.partial'))).toEqual([]);

    await forgetFolderInState(store, STATE_GROUPS.ccoctlOutput);
    expect(await store.list()).toEqual([]);
    expect(await restoreFolderFromState(store, STATE_GROUPS.ccoctlOutput, join(ws.root, 'again'))).toEqual([]);
    expect(existsSync(join(ws.root, 'again'))).toBe(false);
  });

  it('local: the folder is the group itself, so keeping copies nothing and nothing is restored', async () => {
    const store = openStateStore(ws.step('c1', 'ccoctl'));
    const ccoctlDir = join(ws.root, 'clusters/c1/.work/ccoctl');
    ws.write('clusters/c1/.work/ccoctl/manifests/a.yaml', 'A');
    expect(await keepFolderInState(store, STATE_GROUPS.ccoctlOutput, ccoctlDir)).toEqual(['manifests/a.yaml']);
    expect(await store.list()).toEqual([]);
    expect(await restoreFolderFromState(store, STATE_GROUPS.ccoctlOutput, join(ws.root, 'elsewhere'))).toEqual([]);
  });
});
