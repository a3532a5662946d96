import {
  CloudFrontClient,
  CreateCloudFrontOriginAccessIdentityCommand,
  CreateDistributionWithTagsCommand,
  DeleteCloudFrontOriginAccessIdentityCommand,
  DeleteDistributionCommand,
  GetCloudFrontOriginAccessIdentityCommand,
  GetDistributionCommand,
  ListCloudFrontOriginAccessIdentitiesCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLock } from '../detached/lock.ts';
import {
  emulatorEnv,
  ensureMotoServer,
  findOnPath,
  isAnswering,
  isMotoProcess,
  parseRunningLine,
  serverCommand,
  shebangPython,
  startEmulator,
  venvIsReady,
  type Emulator,
} from './emulator.ts';

const NODE = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'node');
const CLI = join(import.meta.dirname, 'run.ts');

function s3(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}

function cloudFront(endpoint: string): CloudFrontClient {
  return new CloudFrontClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}

/** Creates an OAI as the real ccoctl does (caller reference = name, comment = the owner tag key). */
async function createOai(client: CloudFrontClient, name: string) {
  return client.send(
    new CreateCloudFrontOriginAccessIdentityCommand({
      CloudFrontOriginAccessIdentityConfig: {
        CallerReference: name,
        Comment: `openshift.io/cloud-credential-operator/${name}`,
      },
    }),
  );
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(NODE, [CLI, ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('parseRunningLine and emulatorEnv', () => {
  it('reads the endpoint and port from moto_server stderr', () => {
    const stderr =
      'WARNING: This is a development server.\n * Running on http://127.0.0.1:38575\nPress CTRL+C to quit\n';
    expect(parseRunningLine(stderr)).toEqual({ endpoint: 'http://127.0.0.1:38575', port: 38575 });
    expect(parseRunningLine('nothing yet')).toBeUndefined();
  });

  it('points the SDKs at the endpoint with fake credentials, keeping a region that is set', () => {
    expect(emulatorEnv('http://127.0.0.1:1234', {})).toEqual({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1234',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const env = emulatorEnv('http://127.0.0.1:1234', { AWS_REGION: 'eu-west-3' });
    expect(env.AWS_REGION).toBe('eu-west-3');
    expect(env.AWS_DEFAULT_REGION).toBe('eu-west-3');
  });
});

describe('withLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-lock-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('never lets two holders overlap and releases the lock afterwards', async () => {
    const lock = join(dir, 'lock');
    let inside = 0;
    let maxInside = 0;
    const holder = () =>
      withLock(
        lock,
        async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((resolve) => setTimeout(resolve, 30));
          inside--;
        },
        { pollMs: 5 },
      );
    await Promise.all([holder(), holder(), holder(), holder()]);
    expect(maxInside).toBe(1);
    expect(existsSync(lock)).toBe(false);
  });

  it('breaks a lock left behind by a dead process', async () => {
    const lock = join(dir, 'lock');
    mkdirSync(lock);
    const old = new Date(Date.now() - 60 * 60_000);
    utimesSync(lock, old, old);
    await expect(withLock(lock, () => Promise.resolve('got it'), { staleMs: 60_000 })).resolves.toBe('got it');
  });

  it('releases the lock when the work fails', async () => {
    const lock = join(dir, 'lock');
    await expect(withLock(lock, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });
});

describe('ensureMotoServer', () => {
  let dir: string;
  let fakeBin: string;
  let fake: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-ensure-'));
    fakeBin = join(dir, 'bin');
    mkdirSync(fakeBin);
    fake = join(fakeBin, 'moto_server');
    writeFileSync(fake, '#!/bin/sh\nexit 0\n');
    chmodSync(fake, 0o755);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return { PATH: fakeBin, AWS_EMULATOR_STATE_DIR: join(dir, 'state'), ...extra };
  }

  it('uses AWS_EMULATOR_MOTO_SERVER when it is set', async () => {
    const venvDir = join(dir, 'venv');
    await expect(ensureMotoServer({ venvDir, env: env({ AWS_EMULATOR_MOTO_SERVER: fake }) })).resolves.toEqual({
      path: fake,
      source: 'env',
    });
  });

  it('falls back to a moto_server on PATH when the venv cannot be made, and does not retry at once', async () => {
    const venvDir = join(dir, 'venv');
    const lines: string[] = [];
    const log = (line: string) => {
      lines.push(line);
    };
    // A "python" that cannot make a venv stands in for a machine without PyPI.
    const options = { venvDir, log, env: env({ AWS_EMULATOR_PYTHON: '/bin/false' }) };
    await expect(ensureMotoServer(options)).resolves.toEqual({ path: fake, source: 'path' });
    expect(venvIsReady(venvDir)).toBe(false);
    expect(existsSync(venvDir)).toBe(false);
    expect(readFileSync(join(dir, 'state', 'install-failed'), 'utf8')).toContain('-m venv failed');
    expect(lines.some((line) => line.startsWith('creating a virtualenv'))).toBe(true);
    lines.length = 0;
    await expect(ensureMotoServer(options)).resolves.toEqual({ path: fake, source: 'path' });
    expect(lines.some((line) => line.startsWith('creating a virtualenv'))).toBe(false);
  });

  it('fails clearly with neither a venv nor a moto_server on PATH', async () => {
    await expect(
      ensureMotoServer({ venvDir: join(dir, 'venv'), env: { PATH: join(dir, 'empty') }, offline: true }),
    ).rejects.toThrow(/no moto_server: could not install moto\[server\]==5\.2\.5/);
  });

  it('treats a venv without the version marker as unfinished', () => {
    const venvDir = join(dir, 'venv');
    mkdirSync(join(venvDir, 'bin'), { recursive: true });
    writeFileSync(join(venvDir, 'bin', 'moto_server'), '#!/bin/sh\n', { mode: 0o755 });
    expect(venvIsReady(venvDir)).toBe(false);
    writeFileSync(join(venvDir, '.moto-requirement'), 'moto[server]==5.2.5\n');
    expect(venvIsReady(venvDir)).toBe(true);
    writeFileSync(join(venvDir, '.moto-requirement'), 'moto[server]==5.2.1\n');
    expect(venvIsReady(venvDir)).toBe(false);
  });
});

describe('how the server is started', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-command-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function script(name: string, firstLine: string): string {
    const file = join(dir, name);
    writeFileSync(file, `${firstLine}\nexit 0\n`, { mode: 0o755 });
    return file;
  }

  it('reads the Python a script runs with from its #! line', () => {
    expect(shebangPython(script('a', '#!/opt/venv/bin/python'))).toBe('/opt/venv/bin/python');
    expect(shebangPython(script('b', '#!/usr/bin/env python3'))).toBe('python3');
    expect(shebangPython(script('c', '#! /usr/bin/python3.12 -u'))).toBe('/usr/bin/python3.12');
    expect(shebangPython(script('d', '#!/usr/bin/env bash'))).toBeUndefined();
    expect(shebangPython(script('e', 'print("no shebang")'))).toBeUndefined();
    expect(shebangPython(join(dir, 'missing'))).toBeUndefined();
  });

  it('runs a moto_server plainly, and says OAIs will answer 404, when no Python can import moto', async () => {
    const shim = script('moto_server', '#!/bin/sh');
    const lines: string[] = [];
    const command = await serverCommand({ path: shim, source: 'path' }, { PATH: join(dir, 'empty') }, (line) => {
      lines.push(line);
    });
    expect(command).toEqual({ command: shim, args: ['-H', '127.0.0.1', '-p', '0'], originAccessIdentities: false });
    expect(lines).toEqual([expect.stringContaining('CloudFront origin access identity calls will answer 404')]);
  });

  it('runs the pinned venv through the OAI launcher with its own Python', async () => {
    const command = await serverCommand({ path: '/some/venv/bin/moto_server', source: 'venv' });
    expect(command).toEqual({
      command: '/some/venv/bin/python',
      args: [expect.stringMatching(/tools\/aws-emulator\/moto_server_oai\.py$/), '-H', '127.0.0.1', '-p', '0'],
      originAccessIdentities: true,
    });
  });
});

describe('the fallback moto_server on PATH (if this machine has one)', () => {
  const onPath = findOnPath('moto_server');
  (onPath ? it : it.skip)(
    'prints the same "Running on" line and serves the same API',
    async () => {
      const emulator = await startEmulator({ motoServer: { path: onPath!, source: 'path' } });
      try {
        expect(await isAnswering(emulator.endpoint)).toBe(true);
        await s3(emulator.endpoint).send(new CreateBucketCommand({ Bucket: 'fallback-spec-bucket' }));
        if (emulator.originAccessIdentities) {
          const created = await createOai(cloudFront(emulator.endpoint), 'fallback-spec');
          expect(created.CloudFrontOriginAccessIdentity?.Id).toMatch(/^E[A-Z0-9]{13}$/);
        }
      } finally {
        await emulator.stop();
      }
    },
    30_000,
  );
});

describe('startEmulator (a private server, so that reset does not disturb other test files)', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  }, 600_000);
  afterAll(() => emulator.stop());

  it('listens on a free loopback port and answers', async () => {
    expect(emulator.endpoint).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.pid).toBeGreaterThan(0);
    expect(isMotoProcess(emulator.pid)).toBe(true);
    expect(await isAnswering(emulator.endpoint)).toBe(true);
  });

  it('serves S3 and forgets everything on reset', async () => {
    const client = s3(emulator.endpoint);
    await client.send(new CreateBucketCommand({ Bucket: 'emulator-spec-bucket' }));
    const before = await client.send(new ListBucketsCommand({}));
    expect(before.Buckets?.map((b) => b.Name)).toContain('emulator-spec-bucket');
    await emulator.reset();
    const after = await client.send(new ListBucketsCommand({}));
    expect(after.Buckets ?? []).toEqual([]);
  });

  it('serves CloudFront origin access identities as CloudFront does (create, get, list, delete with If-Match)', async () => {
    expect(emulator.originAccessIdentities).toBe(true);
    const client = cloudFront(emulator.endpoint);
    const created = await createOai(client, 'oai-spec');
    expect(created.$metadata.httpStatusCode).toBe(201);
    const oai = created.CloudFrontOriginAccessIdentity!;
    expect(oai).toEqual({
      Id: expect.stringMatching(/^E[A-Z0-9]{13}$/),
      S3CanonicalUserId: expect.stringMatching(/^[0-9a-f]{96}$/),
      CloudFrontOriginAccessIdentityConfig: {
        CallerReference: 'oai-spec',
        Comment: 'openshift.io/cloud-credential-operator/oai-spec',
      },
    });
    expect(created.Location).toBe(
      `https://cloudfront.amazonaws.com/2020-05-31/origin-access-identity/cloudfront/${oai.Id}`,
    );
    expect(created.ETag).toBeTruthy();

    // The same request again is answered with the same identity; the same caller reference with another
    // config is refused.
    expect((await createOai(client, 'oai-spec')).CloudFrontOriginAccessIdentity?.Id).toBe(oai.Id);
    await expect(
      client.send(
        new CreateCloudFrontOriginAccessIdentityCommand({
          CloudFrontOriginAccessIdentityConfig: { CallerReference: 'oai-spec', Comment: 'another' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'CloudFrontOriginAccessIdentityAlreadyExists',
      $metadata: { httpStatusCode: 409 },
    });

    const got = await client.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: oai.Id }));
    expect(got.CloudFrontOriginAccessIdentity).toEqual(oai);
    expect(got.ETag).toBe(created.ETag);
    const listed = await client.send(new ListCloudFrontOriginAccessIdentitiesCommand({}));
    expect(listed.CloudFrontOriginAccessIdentityList).toMatchObject({ IsTruncated: false, Quantity: 1 });
    expect(listed.CloudFrontOriginAccessIdentityList?.Items).toEqual([
      {
        Id: oai.Id,
        S3CanonicalUserId: oai.S3CanonicalUserId,
        Comment: 'openshift.io/cloud-credential-operator/oai-spec',
      },
    ]);

    await expect(client.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: oai.Id }))).rejects.toMatchObject({
      name: 'InvalidIfMatchVersion',
    });
    await expect(
      client.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: oai.Id, IfMatch: 'ESTALE0000000' })),
    ).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    await client.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: oai.Id, IfMatch: got.ETag }));
    await expect(client.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: oai.Id }))).rejects.toMatchObject({
      name: 'NoSuchCloudFrontOriginAccessIdentity',
      $metadata: { httpStatusCode: 404 },
    });
    expect(
      (await client.send(new ListCloudFrontOriginAccessIdentitiesCommand({}))).CloudFrontOriginAccessIdentityList,
    ).toMatchObject({ Quantity: 0 });
  });

  it("shows a distribution's OAI in its S3 origin and refuses to delete an OAI still in use", async () => {
    const client = cloudFront(emulator.endpoint);
    const oai = (await createOai(client, 'oai-in-use')).CloudFrontOriginAccessIdentity!;
    const origin = 'oai-in-use-oidc.s3.us-east-1.amazonaws.com';
    const created = await client.send(
      new CreateDistributionWithTagsCommand({
        DistributionConfigWithTags: {
          DistributionConfig: {
            CallerReference: 'oai-in-use',
            Comment: 'openshift.io/cloud-credential-operator/oai-in-use',
            Enabled: true,
            Origins: {
              Quantity: 1,
              Items: [
                {
                  Id: origin,
                  DomainName: origin,
                  S3OriginConfig: { OriginAccessIdentity: `origin-access-identity/cloudfront/${oai.Id}` },
                },
              ],
            },
            DefaultCacheBehavior: { TargetOriginId: origin, ViewerProtocolPolicy: 'https-only' },
          },
          Tags: { Items: [{ Key: 'Name', Value: 'oai-in-use' }] },
        },
      }),
    );
    const distribution = await client.send(new GetDistributionCommand({ Id: created.Distribution!.Id }));
    expect(distribution.Distribution?.DistributionConfig?.Origins?.Items?.[0]?.S3OriginConfig).toEqual({
      OriginAccessIdentity: `origin-access-identity/cloudfront/${oai.Id}`,
    });
    const { ETag } = await client.send(new GetCloudFrontOriginAccessIdentityCommand({ Id: oai.Id }));
    await expect(
      client.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: oai.Id, IfMatch: ETag })),
    ).rejects.toMatchObject({ name: 'CloudFrontOriginAccessIdentityInUse', $metadata: { httpStatusCode: 409 } });

    const disabled = await client.send(
      new UpdateDistributionCommand({
        Id: created.Distribution!.Id,
        IfMatch: distribution.ETag,
        DistributionConfig: { ...distribution.Distribution!.DistributionConfig!, Enabled: false },
      }),
    );
    await client.send(new DeleteDistributionCommand({ Id: created.Distribution!.Id, IfMatch: disabled.ETag }));
    await client.send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: oai.Id, IfMatch: ETag }));
  });

  it('forgets origin access identities on reset', async () => {
    const client = cloudFront(emulator.endpoint);
    await createOai(client, 'oai-reset');
    await emulator.reset();
    expect(
      (await client.send(new ListCloudFrontOriginAccessIdentitiesCommand({}))).CloudFrontOriginAccessIdentityList,
    ).toMatchObject({ Quantity: 0 });
    expect((await createOai(client, 'oai-reset')).$metadata.httpStatusCode).toBe(201);
  });

  it('frees the port when stopped', async () => {
    const other = await startEmulator();
    expect(await canListen(other.port)).toBe(false);
    await other.stop();
    expect(isMotoProcess(other.pid)).toBe(false);
    expect(await isAnswering(other.endpoint)).toBe(false);
    expect(await canListen(other.port)).toBe(true);
    await other.stop(); // a second stop is harmless
  });
});

describe('run.ts (the CLI), with its own state dir', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
    env = { ...process.env, AWS_EMULATOR_STATE_DIR: dir, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined };
  });
  afterAll(async () => {
    await cli(['stop'], env);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts detached, reports, exports, resets and stops', async () => {
    const start = await cli(['start'], env);
    expect(start.code).toBe(0);
    const endpoint = start.stdout.trim();
    expect(start.stderr).toContain('with CloudFront origin access identities');
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await isAnswering(endpoint)).toBe(true);
    const state = JSON.parse(readFileSync(join(dir, 'emulator.json'), 'utf8')) as { endpoint: string; pid: number };
    expect(state.endpoint).toBe(endpoint);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('*\n');

    const again = await cli(['start'], env);
    expect(again.stdout.trim()).toBe(endpoint);
    expect(again.stderr).toContain('already running');

    expect((await cli(['status'], env)).stdout.trim()).toBe(endpoint);
    const exports = (await cli(['env'], env)).stdout;
    expect(exports).toContain(`export AWS_ENDPOINT_URL=${endpoint}\n`);
    expect(exports).toContain('export AWS_ACCESS_KEY_ID=testing\n');
    expect(exports).toContain('export AWS_SECRET_ACCESS_KEY=testing\n');
    expect(exports).toContain('export AWS_REGION=us-east-1\n');
    expect(exports).toContain('export AWS_DEFAULT_REGION=us-east-1\n');
    expect(exports).not.toContain('localhost');

    const client = s3(endpoint);
    await client.send(new CreateBucketCommand({ Bucket: 'cli-spec-bucket' }));
    expect((await cli(['reset'], env)).code).toBe(0);
    expect((await client.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);

    const stop = await cli(['stop'], env);
    expect(stop.code).toBe(0);
    expect(await isAnswering(endpoint)).toBe(false);
    expect(isMotoProcess(state.pid)).toBe(false);
    expect(existsSync(join(dir, 'emulator.json'))).toBe(false);
    const status = await cli(['status'], env);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('not running');
    expect((await cli(['env'], env)).code).toBe(1);
  }, 60_000);

  it('rejects an unknown command', async () => {
    const result = await cli(['frobnicate'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('usage: run.ts start | stop | status | env | reset | install');
  });
});

describe('the jest global setup', () => {
  const shared = process.env.AWS_EMULATOR_ENDPOINT;
  (shared ? it : it.skip)('exported a running emulator to this worker', async () => {
    expect(process.env.AWS_ENDPOINT_URL).toBe(shared);
    expect(process.env.AWS_ACCESS_KEY_ID).toBe('testing');
    expect(await isAnswering(shared!)).toBe(true);
  });
});
