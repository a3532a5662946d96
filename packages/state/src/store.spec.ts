import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { testWorkspace, uniqueName, withEnv, type TestWorkspace } from '../../../tools/testing/cluster-workspace.ts';
import { forgetFolderInState, keepFolderInState, restoreFolderFromState } from './cluster-state.ts';
import { STATE_GROUPS, stateLocation } from './location.ts';
import { S3ObjectStore, type ObjectStore } from './store.ts';
import { openStateStore } from './open-store.ts';

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

  it('is the checkout by default: the kept key in secrets/<name>/, every other object in .work/state/', () => {
    expect(stateLocation(ws.step('c1', 'install'))).toEqual({
      backend: 'local',
      cluster: 'c1',
      signingKeyDir: join(ws.root, 'secrets/c1'),
      objectsDir: join(ws.root, 'clusters/c1/.work/state'),
      workDir: join(ws.root, 'clusters/c1/.work'),
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

  it.each(['local', 's3'])(
    '%s: kept equal to the folder, restored whole and owner-only into a missing one, forgotten',
    async (backend) => {
      if (backend === 's3') {
        const bucket = await newBucket();
        ws.write('clusters/defaults.yaml', `state: { backend: s3, bucket: ${bucket}, region: ${REGION} }\n`);
      }
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
    },
  );

  it('local: the objects are files under .work/state/ (the key pair in secrets/<name>/), none a step output', async () => {
    const store = openStateStore(ws.step('c1', 'ccoctl'));
    ws.write('clusters/c1/.work/ccoctl/manifests/a.yaml', 'A');
    ws.write('secrets/c1/tls.key', 'KEY');
    await keepFolderInState(store, STATE_GROUPS.ccoctlOutput, join(ws.root, 'clusters/c1/.work/ccoctl'));
    expect(await store.list()).toEqual(['ccoctl-output/manifests/a.yaml']);
    expect(readFileSync(join(ws.root, 'clusters/c1/.work/state/ccoctl-output/manifests/a.yaml'), 'utf8')).toBe('A');
    expect(store.localPath?.('signing-key/tls.key')).toBe(join(ws.root, 'secrets/c1/tls.key'));
    expect(store.localPath?.('installer/metadata.json')).toBe(
      join(ws.root, 'clusters/c1/.work/state/installer/metadata.json'),
    );
  });
});

describe('a local state of the layout before .work/state/', () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = testWorkspace('state-layout-spec-');
    ws.addCluster({ name: 'c1', stsName: 'c1-abcde' });
  });
  afterEach(() => {
    ws.remove();
  });

  /** A checkout as 0.2.0 left an installed cluster: the state in the installer and ccoctl folders and the records. */
  function oldCheckout(): void {
    ws.write('clusters/c1/.work/state/ccoctl.json', '{"stsName":"c1-abcde"}');
    ws.write('clusters/c1/.work/state/installed.json', '{"version":"4.16.3"}');
    for (const file of [
      'metadata.json',
      '.openshift_install_state.json',
      'auth/kubeconfig',
      'auth/kubeadmin-password',
    ]) {
      ws.write(`clusters/c1/.work/installer/${file}`, `old ${file}`);
    }
    ws.write('clusters/c1/.work/installer/manifests/cluster-config.yaml', 'not state');
    // A killed run's log is unredacted until install redacts it: it stays where it is.
    ws.write('clusters/c1/.work/installer/.openshift_install.log', 'level=debug msg="unredacted"');
    ws.write('clusters/c1/.work/ccoctl/manifests/secret.yaml', 'SECRET');
    ws.write('clusters/c1/.work/ccoctl/tls/bound-service-account-signing-key.key', 'KEY');
  }

  it('moves into it on first use, owner-only, losing nothing and leaving the old folders as outputs', async () => {
    oldCheckout();
    const lines: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((line) => {
      lines.push(String(line));
      return true;
    });
    let store: ObjectStore;
    try {
      store = openStateStore(ws.step('c1', 'install'));
    } finally {
      stderr.mockRestore();
    }
    expect(await store.list()).toEqual([
      'ccoctl-output/manifests/secret.yaml',
      'ccoctl-output/tls/bound-service-account-signing-key.key',
      'ccoctl.json',
      'installed.json',
      'installer/.openshift_install_state.json',
      'installer/auth/kubeadmin-password',
      'installer/auth/kubeconfig',
      'installer/metadata.json',
    ]);
    expect((await store.get('installer/metadata.json'))?.toString()).toBe('old metadata.json');
    const moved = join(ws.root, 'clusters/c1/.work/state/installer/auth/kubeadmin-password');
    expect(statSync(moved).mode & 0o777).toBe(0o600);
    expect(statSync(join(ws.root, 'clusters/c1/.work/state/installer/auth')).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(ws.root, 'clusters/c1/.work/installer/metadata.json'), 'utf8')).toBe('old metadata.json');
    expect(lines.join('')).toBe(
      'state: moved 6 object(s) of the local state into clusters/c1/.work/state/ (the layout of 0.3.0); ' +
        'clusters/c1/.work/installer/ and ccoctl/ are now outputs only, restored from there when missing\n',
    );
  });

  it('moves once: an object removed since (a destroy) is not brought back from an old folder', async () => {
    oldCheckout();
    const store = openStateStore(ws.step('c1', 'install'));
    await store.delete('installer/metadata.json');
    openStateStore(ws.step('c1', 'install'));
    expect(await store.get('installer/metadata.json')).toBeUndefined();
  });

  it("never takes a dry run's ccoctl folder (no ccoctl record) for the state's", async () => {
    ws.write('clusters/c1/.work/ccoctl/manifests/secret.yaml', 'PLACEHOLDER');
    const store = openStateStore(ws.step('c1', 'ccoctl'));
    expect(await store.list()).toEqual([]);
  });
});
