/*
 * preflight against the shared AWS emulator (moto's account is 123456789012) and the stand-in tools, in small
 * temporary workspaces; every cluster has its own sts_name.
 */
import { GetBucketTaggingCommand, CreateBucketCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import {
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  TagOpenIDConnectProviderCommand,
  TagRoleCommand,
  UntagOpenIDConnectProviderCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import type { ExecutorContext } from '@nx/devkit';
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { ensureStateBucket } from '@ocp-sts/state';
import preflightExecutor from '../executors/preflight/executor.ts';
import { ownedTagKey } from '@ocp-sts/aws';
import { OWNER_TAG_KEY, withOwnerTag } from '../ownership/owner-tag.ts';
import {
  provisionSts,
  STAND_IN_BIN,
  testWorkspace,
  uniqueName,
  unprovisionSts,
  withEnv,
  type TestWorkspace,
} from '../../../../tools/testing/cluster-workspace.ts';
import {
  formatPreflightReport,
  preflightReport,
  PreflightError,
  runPreflightChecks,
  type CheckResult,
} from './preflight.ts';

const options = { binDir: STAND_IN_BIN };
let ws: TestWorkspace;
beforeAll(() => {
  ws = testWorkspace('preflight-spec-');
});
afterAll(() => {
  ws.remove();
});

function statuses(results: CheckResult[]): Record<string, string> {
  return Object.fromEntries(results.map((r) => [r.check, r.status]));
}

/** The stand-in openshift-install reports 4.16.3 by digest; the digests of its catalogue are sha256(version). */
function releaseImage(version: string): string {
  return `quay.io/openshift-release-dev/ocp-release@sha256:${createHash('sha256').update(version).digest('hex')}`;
}

function writeRelease(cluster: string, version: string): void {
  ws.write(
    `clusters/${cluster}/.work/render/release.json`,
    JSON.stringify({ image: releaseImage(version), version, source: 'openshift.version' }),
  );
}

describe('preflight', () => {
  it('passes for a fresh manual-STS cluster, and skips the installer release before render has run', async () => {
    const name = uniqueName('pf-ok');
    ws.addCluster({ name, stsName: name });
    const report = await runPreflightChecks(ws.step(name, 'preflight'), options);
    expect(statuses(report.results)).toEqual({
      account: 'ok',
      region: 'ok',
      'pull-secret': 'ok',
      'ssh-key': 'ok',
      'oidc-bucket': 'ok',
      owner: 'ok',
      'state-bucket': 'skipped',
      tools: 'ok',
      'installer-release': 'skipped',
    });
    const text = formatPreflightReport(report);
    expect(text).toContain(
      'arn:aws:sts::123456789012:user/moto (the default credential chain (no aws_profile)) is in 123456789012',
    );
    expect(text).toContain(`${name}-oidc is free`);
    expect(text).toContain(`clusters/${name}/.work/render/release.json is not there yet (render has not run)`);
    expect(text).toContain('eu-west-1 (partition aws)');
    expect(text).toContain(`secrets/${name}/ssh.pub: ssh-ed25519 (256 bits)`);
    // The pull secret is never shown.
    const auth = /"auth":"([^"]+)"/.exec(readFileSync(join(ws.root, 'secrets', name, 'pull-secret.json'), 'utf8'))![1]!;
    expect(text).not.toContain(auth);
  });

  it('compares the installer with the release once render has written it', async () => {
    const name = uniqueName('pf-rel');
    ws.addCluster({ name, stsName: name });
    writeRelease(name, '4.16.3');
    const good = await preflightReport(ws.step(name, 'preflight'), options);
    expect(good.results.find((r) => r.check === 'installer-release')).toEqual({
      check: 'installer-release',
      status: 'ok',
      detail: `openshift-install is built for ${releaseImage('4.16.3')}`,
      problems: [],
    });
    writeRelease(name, '4.16.4');
    const bad = await preflightReport(ws.step(name, 'preflight'), options);
    expect(bad.problems).toEqual([
      expect.stringContaining(
        `openshift-install is built for ${releaseImage('4.16.3')}, but the cluster installs ${releaseImage('4.16.4')}`,
      ),
    ]);
  });

  it('reports every problem at once; a foreign account stops the AWS checks and names both accounts and the profile', async () => {
    const name = uniqueName('pf-bad');
    ws.addCluster({ name, stsName: name, accountId: '111111111111', profile: 'pf-prof' });
    ws.write(`secrets/${name}/pull-secret.json`, JSON.stringify({ auths: { 'quay.io': { auth: 'eDp5' } } }));
    ws.write(`secrets/${name}/ssh.pub`, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0= me@host\n');
    const credentials = join(ws.root, 'aws-credentials');
    writeFileSync(credentials, '[pf-prof]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    const empty = mkdtempSync(join(tmpdir(), 'no-tools-'));

    const error = await withEnv(
      {
        AWS_SHARED_CREDENTIALS_FILE: credentials,
        AWS_CONFIG_FILE: join(empty, 'none'),
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        PATH: empty,
      },
      () => runPreflightChecks(ws.step(name, 'preflight'), { binDir: empty }).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(PreflightError);
    const { report } = error as PreflightError;
    expect(statuses(report.results)).toEqual({
      account: 'failed',
      region: 'ok',
      'pull-secret': 'failed',
      'ssh-key': 'failed',
      'oidc-bucket': 'skipped',
      owner: 'skipped',
      'state-bucket': 'skipped',
      tools: 'failed',
      'installer-release': 'skipped',
    });
    expect(report.problems).toEqual([
      'the AWS caller arn:aws:sts::123456789012:user/moto (profile pf-prof) is in account 123456789012, but ' +
        'platform.account_id is 111111111111: nothing was checked further in AWS. Use a profile of account ' +
        '111111111111 (credentials.aws_profile), or correct platform.account_id',
      `secrets/${name}/pull-secret.json has no credentials for registry.redhat.io in "auths": it must be the pull ` +
        'secret exactly as downloaded from console.redhat.com',
      `secrets/${name}/ssh.pub is not a usable SSH public key: the key data ends early`,
      expect.stringMatching(/^openshift-install was not found .* or on PATH\. Use the installer of the release/),
      expect.stringMatching(/^oc was not found/),
      expect.stringMatching(/^ccoctl was not found/),
    ]);
    expect((error as Error).message).toMatch(/^6 problems found before anything was created for pf-bad-\w+:\n {2}- /);
  });

  it('makes no AWS call for a region that does not exist', async () => {
    const name = uniqueName('pf-region');
    ws.addCluster({ name, stsName: name, region: 'eu-west-9' });
    const report = await preflightReport(ws.step(name, 'preflight'), options);
    expect(statuses(report.results)).toMatchObject({ account: 'skipped', region: 'failed', 'oidc-bucket': 'skipped' });
    expect(report.problems).toEqual([
      'platform.region eu-west-9 is not a region of the AWS partition aws (did you mean eu-west-1?): fix ' +
        'platform.region. If AWS opened it recently, add it to packages/cluster-config/src/regions.ts',
    ]);
  });

  it('accepts the bucket ccoctl made for the same sts_name (a re-run)', async () => {
    const s3 = new S3Client({
      region: 'eu-west-1',
      endpoint: process.env.AWS_ENDPOINT_URL,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      forcePathStyle: true,
    });
    const name = uniqueName('pf-bucket');
    await s3.send(
      new CreateBucketCommand({
        Bucket: `${name}-oidc`,
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: `${name}-oidc`,
        Tagging: { TagSet: [{ Key: ownedTagKey(name), Value: 'owned' }] },
      }),
    );
    ws.addCluster({ name, stsName: name });
    const ours = await preflightReport(ws.step(name, 'preflight'), options);
    expect(ours.problems).toEqual([]);
    expect(ours.results.find((r) => r.check === 'oidc-bucket')?.detail).toBe(
      `${name}-oidc exists and is tagged for ${name}: ccoctl reuses it`,
    );
  });

  it('reports a state bucket that is missing, or unversioned, unencrypted, public and not TLS-only, with the other problems', async () => {
    const name = uniqueName('pf-state');
    const bucket = uniqueName('pf-state-bucket');
    ws.addCluster({ name, stsName: name });
    ws.write(`secrets/${name}/ssh.pub`, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0= me@host\n');
    const file = `clusters/${name}/cluster.yaml`;
    ws.write(
      file,
      `${readFileSync(join(ws.root, file), 'utf8')}state:\n  backend: s3\n  bucket: ${bucket}\n  region: us-east-1\n`,
    );
    const generator = `nx g @ocp-sts/nx-plugin:state-bucket --bucket ${bucket} --region us-east-1`;

    const missing = await preflightReport(ws.step(name, 'preflight'), options);
    expect(statuses(missing.results)).toMatchObject({ 'ssh-key': 'failed', 'state-bucket': 'failed' });
    expect(missing.problems).toEqual([
      `secrets/${name}/ssh.pub is not a usable SSH public key: the key data ends early`,
      `state bucket ${bucket} (region us-east-1) does not exist: create it with ${generator}, or fix state.bucket`,
    ]);

    const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const plain = await preflightReport(ws.step(name, 'preflight'), options);
    const found = plain.results.find((r) => r.check === 'state-bucket')!;
    expect(found.status).toBe('failed');
    expect(found.problems).toEqual([
      expect.stringContaining('versioning is off'),
      expect.stringContaining('no default encryption'),
      expect.stringContaining('public access is not blocked'),
      expect.stringContaining('no bucket policy statement denies requests without TLS'),
    ]);
    expect(formatPreflightReport(plain)).toContain(`(or ${generator})`);

    await ensureStateBucket(s3, { bucket, region: 'us-east-1' });
    const fixed = await preflightReport(ws.step(name, 'preflight'), options);
    expect(fixed.results.find((r) => r.check === 'state-bucket')).toMatchObject({
      status: 'ok',
      detail: `s3://${bucket} (us-east-1): versioned, encrypted, not public, TLS only`,
    });
  });

  it('refuses a bucket, an OIDC provider or a role of its sts_name that another cluster owns, and only those', async () => {
    const name = uniqueName('pf-own');
    ws.addCluster({ name, stsName: name });
    const { roles } = await provisionSts(name, 'eu-west-1');
    const s3 = new S3Client({ region: 'eu-west-1' });
    const iam = new IAMClient({ region: 'eu-west-1' });
    const bucket = `${name}-oidc`;
    const providers = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    const provider = providers.OpenIDConnectProviderList!.find((p) =>
      p.Arn!.endsWith(`/${bucket}.s3.eu-west-1.amazonaws.com`),
    )!.Arn!;
    const owner = async () => {
      const report = await preflightReport(ws.step(name, 'preflight'), options);
      return report.results.find((r) => r.check === 'owner')!;
    };
    const tail =
      `are tagged ${OWNER_TAG_KEY}=other, and two clusters cannot share one OIDC issuer and its roles. ` +
      `Choose another credentials.sts_name for ${name}, or destroy the cluster other first (nx run other:destroy --yes)`;

    // Made before the owner tag existed (or by hand): not refused.
    expect(await owner()).toMatchObject({
      status: 'ok',
      detail: `nothing of sts_name ${name} is tagged ${OWNER_TAG_KEY} for another cluster`,
    });

    const tags = (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet;
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: withOwnerTag(tags, 'other') } }));
    expect(await owner()).toMatchObject({
      status: 'failed',
      problems: [
        `sts_name ${name} is already used by the cluster other: the S3 bucket ${bucket} is tagged ${OWNER_TAG_KEY}=other, and two clusters cannot share one OIDC issuer and its roles. Choose another credentials.sts_name for ${name}, or destroy the cluster other first (nx run other:destroy --yes)`,
      ],
    });
    // Its own cluster's tag is no problem.
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: withOwnerTag(tags, name) } }));
    expect((await owner()).status).toBe('ok');

    await iam.send(
      new TagOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: provider,
        Tags: [{ Key: OWNER_TAG_KEY, Value: 'other' }],
      }),
    );
    expect((await owner()).problems).toEqual([
      `sts_name ${name} is already used by the cluster other: the IAM OIDC provider ${provider} is tagged ${OWNER_TAG_KEY}=other, and two clusters cannot share one OIDC issuer and its roles. Choose another credentials.sts_name for ${name}, or destroy the cluster other first (nx run other:destroy --yes)`,
    ]);
    await iam.send(
      new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: provider, TagKeys: [OWNER_TAG_KEY] }),
    );

    await Promise.all(
      roles.map((role) =>
        iam.send(new TagRoleCommand({ RoleName: role, Tags: [{ Key: OWNER_TAG_KEY, Value: 'other' }] })),
      ),
    );
    const report = await preflightReport(ws.step(name, 'preflight'), options);
    expect(report.problems).toEqual([
      `sts_name ${name} is already used by the cluster other: 2 IAM roles (${[...roles].sort().join(', ')}) ${tail}`,
    ]);
    expect(formatPreflightReport(report)).toContain(
      `FAIL  owner tag          sts_name ${name} is already used by the cluster other`,
    );
    await iam.send(new UntagRoleCommand({ RoleName: roles[0]!, TagKeys: [OWNER_TAG_KEY] }));
    expect((await owner()).problems).toEqual([
      `sts_name ${name} is already used by the cluster other: the IAM role ${roles[1]!} is tagged ${OWNER_TAG_KEY}=other, and two clusters cannot share one OIDC issuer and its roles. Choose another credentials.sts_name for ${name}, or destroy the cluster other first (nx run other:destroy --yes)`,
    ]);
    await unprovisionSts(name, 'eu-west-1');
  }, 60_000);

  it('skips the OIDC bucket and ccoctl for a cluster that is not manual-sts', async () => {
    const name = uniqueName('pf-mint');
    ws.addCluster({ name, ccoMode: 'mint' });
    const report = await preflightReport(ws.step(name, 'preflight'), options);
    expect(report.problems).toEqual([]);
    expect(report.results.find((r) => r.check === 'oidc-bucket')).toMatchObject({
      status: 'skipped',
      detail: 'cco_mode is mint: no OIDC bucket',
    });
    expect(report.results.find((r) => r.check === 'tools')?.detail).toMatch(/^openshift-install \([^)]+\)$/);
  });
});

describe('the preflight executor', () => {
  function context(cluster: string): ExecutorContext {
    return {
      root: ws.root,
      cwd: ws.root,
      isVerbose: false,
      projectName: cluster,
      targetName: 'preflight',
      projectsConfigurations: { version: 2, projects: { [cluster]: { root: `clusters/${cluster}` } } },
    } as unknown as ExecutorContext;
  }

  it('prints one line per check and succeeds, or lists the problems and fails', async () => {
    const out: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => {
      out.push(String(line));
    });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const name = uniqueName('pf-exec');
      ws.addCluster({ name, stsName: name });
      expect(await preflightExecutor(options, context(name))).toEqual({ success: true });
      expect(out.join('')).toMatch(/ {2}ok {4}AWS account {8}arn:aws:sts::123456789012:user\/moto/);

      out.length = 0;
      ws.write(`secrets/${name}/ssh.pub`, 'not a key\n');
      expect(await preflightExecutor(options, context(name))).toEqual({ success: false });
      const text = out.join('\n');
      expect(text).toContain(`FAIL  ssh key            secrets/${name}/ssh.pub is not a usable SSH public key`);
      expect(text).toContain('preflight failed: 1 problem (listed above): fix it and run again; nothing was created');
      // Both runs in its log, without the pull secret it read.
      const logText = readFileSync(join(ws.root, 'clusters', name, '.work', 'logs', 'preflight.log'), 'utf8');
      expect(logText.match(/^# \S+ preflight$/gm)).toHaveLength(2);
      expect(logText).toMatch(/ {2}ok {4}AWS account {8}arn:aws:sts::123456789012:user\/moto/);
      expect(logText).toContain(`FAIL  ssh key            secrets/${name}/ssh.pub is not a usable SSH public key`);
      const auths = Object.values(
        (
          JSON.parse(readFileSync(join(ws.root, 'secrets', name, 'pull-secret.json'), 'utf8')) as {
            auths: Record<string, { auth: string }>;
          }
        ).auths,
      ).map((a) => a.auth);
      expect(auths.length).toBeGreaterThan(0);
      expect(auths.some((auth) => logText.includes(auth))).toBe(false);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
