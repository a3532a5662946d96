/*
 * The ccoctl step on the ccoctl stand-in and the shared AWS emulator, in small temporary workspaces (render's outputs
 * and the extracted requests written by the test): a dry run on every release (create-all --dry-run from 4.19, the
 * subcommands before), the signing key restricted to its owner, and the report when the issuer cannot be reached.
 */
import { jest } from '@jest/globals';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderedForCcoctl } from '../../../../../tools/testing/ccoctl-step.ts';
import {
  STAND_IN_BIN,
  testWorkspace,
  withEnv,
  type TestWorkspace,
} from '../../../../../tools/testing/cluster-workspace.ts';
import type { ExecutorContext } from '@nx/devkit';
import { acquireLock, openStateStore, readRecord, STATE_RECORDS, type CcoctlStateRecord } from '@ocp-sts/state';
import { CCOCTL_RECORD, SIGNER_PRIVATE } from '../../ccoctl-output/layout.ts';
import { signingKeyDir } from '../../signing-key/index.ts';
import { createStsResources } from './ccoctl.ts';
import ccoctlExecutor from './executor.ts';

const REGION = 'eu-west-1';
const ISSUER_HOST = (name: string) => `${name}-oidc.s3.${REGION}.amazonaws.com`;
let ws: TestWorkspace;
let quiet: { mockRestore: () => void };
/** A folder holding the ccoctl of 4.19 (as `oc adm release extract --command=ccoctl` writes it for the stand-in). */
let ccoctl419: string;

beforeAll(() => {
  ws = testWorkspace('ccoctl-spec-');
  ccoctl419 = join(ws.root, 'bin-4.19');
  mkdirSync(ccoctl419);
  writeFileSync(
    join(ccoctl419, 'ccoctl'),
    '#!/bin/sh\nSTANDIN_RELEASE_IMAGE=quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64\n' +
      `export STANDIN_RELEASE_IMAGE\nexec '${join(STAND_IN_BIN, 'ccoctl')}' "$@"\n`,
    { mode: 0o755 },
  );
  // The tools' log lines, echoed by runTool, would only clutter the test output.
  quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  quiet.mockRestore();
  ws.remove();
});

/** A cluster as render and extract leave it, with a kept test key pair (the stand-in would make an RSA-4096 one). */
function renderedCluster(prefix: string, { keptKey = true } = {}) {
  const { name, step } = renderedForCcoctl(ws, prefix, { region: REGION, keptKey });
  return { name, step };
}

function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );
}

const mode = (file: string) => statSync(file).mode & 0o777;

function dryRunFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^0\d-/.test(f))
    .sort();
}

describe('ccoctl step', () => {
  it('restricts the signing key to its owner (ccoctl writes it 0644) and keeps the pair', async () => {
    // Without a kept key pair, as on a cluster's first run: ccoctl makes one.
    const { name, step } = renderedCluster('cc-step', { keptKey: false });
    const record = await createStsResources(step, { binDir: STAND_IN_BIN });
    expect(record?.dryRun).toBe(false);
    const out = step.dir('ccoctl');
    expect(mode(join(out, SIGNER_PRIVATE))).toBe(0o600);
    expect(mode(join(out, 'tls', 'bound-service-account-signing-key.key'))).toBe(0o600);
    expect(mode(join(signingKeyDir(step), SIGNER_PRIVATE))).toBe(0o600);
    expect(
      readFileSync(join(out, 'manifests', 'openshift-ingress-operator-cloud-credentials-credentials.yaml'), 'utf8'),
    ).toContain(`role_arn = arn:aws:iam::123456789012:role/${name}-openshift-ingress-operator-cloud-credentials\n`);
  }, 120_000);

  it('dry-runs with a 4.16 ccoctl through its subcommands, once the provider exists; before, says why not', async () => {
    const { name, step } = renderedCluster('cc-dry16');
    const provider = `arn:aws:iam::123456789012:oidc-provider/${ISSUER_HOST(name)}`;
    const early = await failure(createStsResources(step, { binDir: STAND_IN_BIN, dryRun: true }));
    expect(early.message.split('\n')[0]).toBe(
      '`ccoctl aws create-iam-roles --dry-run` exited 1: this ccoctl has no create-all --dry-run (4.19 and later have ' +
        `it), and its create-iam-roles reads the identity provider ${provider} from IAM even in a dry run, which does ` +
        'not exist before ccoctl has run for real. Use a ccoctl of 4.19 or later for the dry run (binDir or ' +
        'OCP_STS_BIN_DIR), or run ccoctl without dry run (unset CCO_DRY_RUN).',
    );
    expect(early.message).toMatch(
      /failed to get IAM Identity Provider: NoSuchEntity[\s\S]*\nFull log: \S+ccoctl\.log$/,
    );
    expect(existsSync(step.dir('ccoctl'))).toBe(false);

    await createStsResources(step, { binDir: STAND_IN_BIN });
    const record = await createStsResources(step, { binDir: STAND_IN_BIN, dryRun: true });
    expect(record?.dryRun).toBe(true);
    const out = step.dir('ccoctl');
    expect(dryRunFiles(out)).toEqual([
      '01-oidc-bucket.json',
      '02-openid-configuration',
      '03-keys.json',
      '04-iam-identity-provider.json',
      `05-0-${name}-openshift-ingress-operator-cloud-credentials-role.json`,
      `05-1-${name}-openshift-image-registry-installer-cloud-credentials-role.json`,
      `06-0-${name}-openshift-ingress-operator-cloud-credentials-policy.json`,
      `06-1-${name}-openshift-image-registry-installer-cloud-credentials-policy.json`,
    ]);
    const role = JSON.parse(readFileSync(join(out, dryRunFiles(out)[4]!), 'utf8')) as {
      AssumeRolePolicyDocument: string;
    };
    expect(JSON.parse(role.AssumeRolePolicyDocument).Statement[0].Principal.Federated).toBe(provider);
    expect(
      readFileSync(join(out, 'manifests', 'openshift-ingress-operator-cloud-credentials-credentials.yaml'), 'utf8'),
    ).toMatch(/role_arn = \n[\s\S]*\nPOPULATE ROLE ARN AND DELETE THIS LINE$/);
    expect(mode(join(out, SIGNER_PRIVATE))).toBe(0o600);
    expect(JSON.parse(readFileSync(join(out, CCOCTL_RECORD), 'utf8'))).toMatchObject({ dryRun: true });
  }, 120_000);

  it('refuses a private-bucket dry run with a 4.16 ccoctl: the CloudFront issuer only exists after a real run', async () => {
    const { step } = renderedCluster('cc-dryp16');
    const error = await failure(
      createStsResources(step, { binDir: STAND_IN_BIN, dryRun: true, createPrivateS3Bucket: true }),
    );
    expect(error.message).toBe(
      "ccoctl's dry run gave no issuer to build the identity provider's ARN from (<enter_cloudfront_distribution_url_here>: " +
        'a private bucket is served by a CloudFront domain that only a real run creates). This ccoctl has no ' +
        '`create-all --dry-run` (4.19 and later have it): use such a ccoctl (binDir or OCP_STS_BIN_DIR), or run without dry run.',
    );
    expect(existsSync(step.dir('ccoctl'))).toBe(false);
  }, 60_000);

  it('dry-runs with create-all --dry-run where ccoctl has it (4.19), with no AWS resource needed', async () => {
    const { name, step } = renderedCluster('cc-dry19');
    const record = await createStsResources(step, { binDir: ccoctl419, dryRun: true });
    expect(record?.dryRun).toBe(true);
    const out = step.dir('ccoctl');
    expect(dryRunFiles(out)).toHaveLength(8);
    expect(readFileSync(step.logFile, 'utf8')).toMatch(/ccoctl aws create-all --name=\S+ .*--dry-run/);
    await expect(
      new S3Client({ region: REGION }).send(new HeadBucketCommand({ Bucket: `${name}-oidc` })),
    ).rejects.toThrow();
  }, 60_000);

  it('says what is left in AWS when ccoctl cannot reach the issuer, and a re-run completes', async () => {
    const { name, step } = renderedCluster('cc-tls');
    const error = await withEnv({ STANDIN_FAIL: 'ccoctl:issuer-unreachable' }, () =>
      failure(createStsResources(step, { binDir: STAND_IN_BIN })),
    );
    const [first, ...rest] = error.message.split('\n');
    expect(first).toBe(
      `\`ccoctl aws create-all\` exited 1: it could not reach https://${ISSUER_HOST(name)} over HTTPS from this ` +
        `machine to read its TLS thumbprint. Left in AWS: the S3 bucket ${name}-oidc with its discovery document and ` +
        'keys.json; no OIDC provider or role yet. Let this machine reach the issuer over HTTPS (proxy, firewall, DNS), ' +
        `then re-run \`nx run ${name}:ccoctl\`: ccoctl reuses the bucket and completes.`,
    );
    expect(rest.pop()).toBe(`Full log: clusters/${name}/.work/logs/ccoctl.log`);
    expect(rest.join('\n')).toContain('Failed to create Identity provider: failed to get fingerprint:');
    await new S3Client({ region: REGION }).send(new HeadBucketCommand({ Bucket: `${name}-oidc` }));

    const record = await createStsResources(step, { binDir: STAND_IN_BIN });
    expect(record?.roles).toHaveLength(2);
  }, 120_000);

  it('records in the state a key made by a run that failed after publishing it, and the re-run keeps it as made here', async () => {
    const { step } = renderedCluster('cc-new-key', { keptKey: false });
    await withEnv({ STANDIN_FAIL: 'ccoctl:issuer-unreachable' }, () =>
      failure(createStsResources(step, { binDir: STAND_IN_BIN })),
    );
    const state = openStateStore(step);
    const begun = await readRecord<CcoctlStateRecord>(state, STATE_RECORDS.ccoctl);
    expect(begun).toMatchObject({ signingKey: 'created', roles: [] });

    // The re-run reuses the kept key; without the record it would say `reused`, and destroy without the installer's
    // metadata would then refuse a cluster that never got as far as an install.
    const record = await createStsResources(step, { binDir: STAND_IN_BIN });
    expect(record?.roles).toHaveLength(2);
    const done = await readRecord<CcoctlStateRecord>(state, STATE_RECORDS.ccoctl);
    expect(done).toMatchObject({ signingKey: 'created' });
    expect(done?.roles).toHaveLength(2);
  }, 120_000);

  it('takes no lock for a cluster that is not STS: nothing to do, even while an install holds the lock', async () => {
    ws.addCluster({ name: 'cc-mint', ccoMode: 'mint' });
    const state = openStateStore(ws.step('cc-mint', 'install'));
    await acquireLock(state, { ...ws.step('cc-mint', 'install'), projectName: 'cc-mint', target: 'install' });
    const context = {
      root: ws.root,
      cwd: ws.root,
      isVerbose: false,
      projectName: 'cc-mint',
      targetName: 'ccoctl',
      projectsConfigurations: { version: 2, projects: { 'cc-mint': { root: 'clusters/cc-mint' } } },
    } as unknown as ExecutorContext;
    const said: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      said.push(args.map(String).join(' '));
    });
    try {
      expect(await ccoctlExecutor({}, context)).toEqual({ success: true });
    } finally {
      log.mockRestore();
    }
    expect(said).toEqual(['ccoctl: nothing to do: cco_mode is mint, not manual-sts']);
  });
});
