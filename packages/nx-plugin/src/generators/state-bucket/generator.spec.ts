import { jest } from '@jest/globals';
import { logger, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parseClusterConfig } from '@ocp-sts/cluster-config';
import { stateBucketClient, stateBucketProblems } from '@ocp-sts/state';
import { uniqueName, withEnv } from '../../../../../tools/testing/cluster-workspace.ts';
import { clusterGenerator } from '../cluster/generator.ts';
import { DEFAULTS_YAML } from '../init/defaults-yaml.ts';
import { initGenerator } from '../init/generator.ts';
import { stateBucketGenerator } from './generator.ts';

const REGION = 'us-east-1';

/** clusters/c1, as the cluster generator writes it. */
async function addCluster(tree: Tree): Promise<void> {
  await clusterGenerator(tree, {
    name: 'c1',
    region: REGION,
    baseDomain: 'example.com',
    accountId: '123456789012',
    openshiftVersion: '4.16.3',
    skipFormat: true,
  });
}

/** clusters/c1 as cluster-config loads it, clusters/defaults.yaml merged in. */
function loadedCluster(tree: Tree) {
  return parseClusterConfig({
    workspaceRoot: tree.root,
    projectRoot: 'clusters/c1',
    read: (f) => tree.read(f, 'utf-8') ?? undefined,
  }).cluster;
}

describe('state-bucket generator', () => {
  let tree: Tree;
  let info: jest.SpiedFunction<typeof logger.info>;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => {
    info.mockRestore();
  });

  it('makes a bucket that passes the state-bucket check, in its task only (no file without --setDefault)', async () => {
    const bucket = uniqueName('gen');
    const target = { bucket, region: REGION };
    const task = await stateBucketGenerator(tree, { ...target, skipFormat: true });
    expect(tree.exists('clusters/defaults.yaml')).toBe(false);
    // Before the task (what --dry-run stops at) nothing exists in AWS.
    expect(await stateBucketProblems(stateBucketClient(target), target)).toEqual([
      expect.stringContaining(`state bucket ${bucket} (region us-east-1) does not exist`),
    ]);
    await task();
    expect(await stateBucketProblems(stateBucketClient(target), target)).toEqual([]);
    expect(info.mock.calls.map((c) => String(c[0]))).toContain(
      `state bucket ${bucket} passes the state-bucket check (versioned, encrypted, not public, TLS only)`,
    );
  });

  it("with --setDefault writes a state: block that cluster-config loads, keeping the file's comments and keys", async () => {
    await addCluster(tree);
    tree.write(
      'clusters/defaults.yaml',
      '# shared by every cluster\ncredentials:\n  aws_profile: team # the team profile\nstate:\n  backend: local\n  prefix: teams/a\n  profile: old\n',
    );
    const bucket = uniqueName('gen-default');
    const task = await stateBucketGenerator(tree, {
      bucket,
      region: 'eu-west-1',
      kmsKeyId: 'alias/ocp-state',
      setDefault: true,
      skipFormat: true,
    });
    const text = tree.read('clusters/defaults.yaml', 'utf-8')!;
    expect(text).toContain('# shared by every cluster');
    expect(text).toContain('aws_profile: team # the team profile');
    const cluster = loadedCluster(tree);
    // The prefix stays (where the objects are); the old profile went with the old backend.
    expect(cluster.state).toEqual({
      backend: 's3',
      bucket,
      region: 'eu-west-1',
      prefix: 'teams/a',
      kms_key_id: 'alias/ocp-state',
    });
    expect(typeof task).toBe('function');
  });

  it('creates clusters/defaults.yaml when missing', async () => {
    const bucket = uniqueName('gen-new');
    await stateBucketGenerator(tree, {
      bucket,
      region: REGION,
      profile: 'state-admin',
      setDefault: true,
      skipFormat: true,
    });
    expect(tree.read('clusters/defaults.yaml', 'utf-8')).toBe(
      `state:\n  backend: s3\n  bucket: ${bucket}\n  region: us-east-1\n  profile: state-admin\n`,
    );
  });

  it('with --prefix sets state.prefix over the one in defaults.yaml; refuses it without --setDefault or when invalid', async () => {
    tree.write(
      'clusters/defaults.yaml',
      'state:\n  backend: s3\n  bucket: old\n  region: us-east-1\n  prefix: teams/a\n',
    );
    const bucket = uniqueName('gen-prefix');
    await stateBucketGenerator(tree, { bucket, region: REGION, prefix: 'teams/b', setDefault: true, skipFormat: true });
    expect(tree.read('clusters/defaults.yaml', 'utf-8')).toBe(
      `state:\n  backend: s3\n  bucket: ${bucket}\n  region: us-east-1\n  prefix: teams/b\n`,
    );
    await expect(stateBucketGenerator(tree, { bucket, region: REGION, prefix: 'teams/c' })).rejects.toThrow(
      'state-bucket: --prefix goes into clusters/defaults.yaml, which only --setDefault writes: add --setDefault',
    );
    await expect(
      stateBucketGenerator(tree, { bucket, region: REGION, prefix: '/teams/', setDefault: true }),
    ).rejects.toThrow(/^state-bucket: invalid options:\n {2}--prefix: expected an object key prefix/);
    expect(tree.read('clusters/defaults.yaml', 'utf-8')).toContain('prefix: teams/b');
  });

  it('adds its block under the commented defaults.yaml that init writes, keeping every comment', async () => {
    await initGenerator(tree, { skipFormat: true });
    const bucket = uniqueName('gen-init');
    await stateBucketGenerator(tree, { bucket, region: REGION, setDefault: true, skipFormat: true });
    expect(tree.read('clusters/defaults.yaml', 'utf-8')).toBe(
      `${DEFAULTS_YAML}\nstate:\n  backend: s3\n  bucket: ${bucket}\n  region: us-east-1\n`,
    );
    await addCluster(tree);
    const cluster = loadedCluster(tree);
    expect(cluster.state).toEqual({ backend: 's3', bucket, region: REGION });
  });

  it('fails its task with one line and the way on when AWS cannot be reached', async () => {
    const task = await stateBucketGenerator(tree, { bucket: uniqueName('gen-down'), region: REGION, skipFormat: true });
    await expect(
      withEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, async () => {
        await task();
      }),
    ).rejects.toThrow(
      /^cannot reach the endpoint http:\/\/127\.0\.0\.1:9 \(AWS_ENDPOINT_URL\): ECONNREFUSED .*s3:HeadBucket.*\nFix that and run the generator again\.$/,
    );
  });

  it('refuses bad options before anything is written, naming the flag', async () => {
    await expect(
      stateBucketGenerator(tree, { bucket: 'Bad_Bucket', region: 'mars-1', kmsKeyId: 'nope', setDefault: true }),
    ).rejects.toThrow(
      /--bucket: expected an S3 bucket name.*\n.*--region: expected an AWS region.*\n.*--kmsKeyId: expected a KMS key id/,
    );
    expect(tree.exists('clusters/defaults.yaml')).toBe(false);
  });
});
