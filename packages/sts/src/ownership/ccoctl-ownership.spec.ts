/*
 * The ccoctl step and ownership, on the ccoctl stand-in and the shared AWS emulator, in a small temporary workspace
 * (render's outputs and the extracted requests written by the test, a kept test key pair): what a run made carries
 * the owner tag; a second cluster with the same sts_name is refused before anything is created; an issuer that
 * publishes a key never gets another one.
 */
import { jest } from '@jest/globals';
import { GetBucketTaggingCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isUserError } from '@ocp-sts/toolchain';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testKeyPair } from '../../../../tools/stand-ins/src/ccoctl/test-support.ts';
import { keepSigningKey, renderedForCcoctl } from '../../../../tools/testing/ccoctl-step.ts';
import {
  STAND_IN_BIN,
  testWorkspace,
  withEnv,
  type TestWorkspace,
} from '../../../../tools/testing/cluster-workspace.ts';
import { awsClients } from '../aws/clients.ts';
import { ownedTagKey } from '../aws/tags.ts';
import { SIGNER_PRIVATE, SIGNER_PUBLIC } from '../ccoctl-output/layout.ts';
import { createStsResources, signingKeyDir } from '../executors/ccoctl/ccoctl.ts';
import { keyIdOf, publishedIssuer } from '../issuer/index.ts';
import { findStsResources } from '../leftovers/scan.ts';
import { PreflightError } from '../preflight/preflight.ts';
import { OWNER_TAG_KEY } from './owner-tag.ts';

const REGION = 'eu-west-1';
const clients = awsClients({ region: REGION });
const s3 = new S3Client({ region: REGION });
let ws: TestWorkspace;
let stderr: string[];
let capture: { mockRestore: () => void };

beforeAll(() => {
  ws = testWorkspace('ccoctl-ownership-spec-');
  // The tools' log lines and the step's own lines: kept to assert on, not printed.
  stderr = [];
  capture = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterAll(() => {
  capture.mockRestore();
  ws.remove();
});

/** A cluster as render and extract leave it, with a kept test key pair. */
function renderedCluster(prefix: string, stsName?: string) {
  const rendered = renderedForCcoctl(ws, prefix, { region: REGION, ...(stsName && { stsName }) });
  return { ...rendered, keys: rendered.keys! };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

/** Whether the step's log shows a run of ccoctl (preflight's openshift-install runs log there too). */
function ranCcoctl(step: ReturnType<TestWorkspace['step']>): boolean {
  return existsSync(step.logFile) && readFileSync(step.logFile, 'utf8').includes('ccoctl aws create-all');
}

async function keysJson(stsName: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: `${stsName}-oidc`, Key: 'keys.json' }));
  return object.Body!.transformToString('utf8');
}

describe('the owner tag on what a ccoctl run made', () => {
  it('tags the roles, the OIDC provider and the bucket (keeping ccoctl’s tags), one line per kind', async () => {
    const { name, step } = renderedCluster('own-tag');
    stderr.length = 0;
    const record = await createStsResources(step, { binDir: STAND_IN_BIN });
    const found = await findStsResources(clients, { stsName: name });
    expect(found.map((r) => [r.kind, r.owner])).toEqual([
      ['iam-role', name],
      ['iam-role', name],
      ['oidc-provider', name],
      ['s3-bucket', name],
    ]);
    const bucketTags = await s3.send(new GetBucketTaggingCommand({ Bucket: `${name}-oidc` }));
    expect(bucketTags.TagSet).toEqual(
      expect.arrayContaining([
        { Key: ownedTagKey(name), Value: 'owned' },
        { Key: 'Name', Value: name },
        { Key: OWNER_TAG_KEY, Value: name },
      ]),
    );
    expect(bucketTags.TagSet).toHaveLength(3);
    const lines = stderr
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('owner tag '));
    expect(lines).toEqual([
      `owner tag ${OWNER_TAG_KEY}=${name} on 2 IAM roles (iam:TagRole): ${record!.roles.map((r) => r.role).join(', ')}`,
      expect.stringMatching(
        new RegExp(
          `^owner tag ${OWNER_TAG_KEY}=${name} on the IAM OIDC provider arn:aws:iam::123456789012:oidc-provider/${name}-oidc\\.s3\\.${REGION}\\.amazonaws\\.com \\(iam:TagOpenIDConnectProvider\\)$`,
        ),
      ),
      `owner tag ${OWNER_TAG_KEY}=${name} on the S3 bucket ${name}-oidc (s3:PutBucketTagging, its 2 other tags kept)`,
    ]);
  }, 120_000);

  it('tags the CloudFront distribution of a private bucket', async () => {
    const { name, step } = renderedCluster('own-priv');
    await createStsResources(step, { binDir: STAND_IN_BIN, createPrivateS3Bucket: true });
    const found = await findStsResources(clients, { stsName: name });
    const distribution = found.find((r) => r.kind === 'cloudfront-distribution');
    expect(distribution?.owner).toBe(name);
    expect(found.filter((r) => r.kind === 'oidc-provider').map((r) => r.owner)).toEqual([name]);
  }, 120_000);

  it('tags nothing in a dry run', async () => {
    const { name, step } = renderedCluster('own-dry');
    const bin419 = join(ws.root, 'bin-4.19');
    mkdirSync(bin419, { recursive: true });
    writeFileSync(
      join(bin419, 'ccoctl'),
      '#!/bin/sh\nSTANDIN_RELEASE_IMAGE=quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64\n' +
        `export STANDIN_RELEASE_IMAGE\nexec '${join(STAND_IN_BIN, 'ccoctl')}' "$@"\n`,
      { mode: 0o755 },
    );
    stderr.length = 0;
    expect((await createStsResources(step, { binDir: bin419, dryRun: true }))?.dryRun).toBe(true);
    expect(stderr.join('')).not.toContain('owner tag ');
    expect(await findStsResources(clients, { stsName: name })).toEqual([]);
  }, 60_000);
});

describe('one cluster per sts_name', () => {
  it('refuses, before creating anything, an sts_name whose bucket, provider and roles are another cluster’s', async () => {
    const first = renderedCluster('own-first');
    const record = await createStsResources(first.step, { binDir: STAND_IN_BIN });
    const roles = record!.roles.map((r) => r.role).sort();
    const keysBefore = await keysJson(first.stsName);

    const twin = renderedCluster('own-twin', first.stsName);
    const error = await failure(createStsResources(twin.step, { binDir: STAND_IN_BIN }));
    if (!(error instanceof PreflightError)) throw error;
    const { problems } = error.report;
    expect(problems).toEqual([
      `sts_name ${first.stsName} is already used by the cluster ${first.name}: the S3 bucket ${first.stsName}-oidc, ` +
        `the IAM OIDC provider arn:aws:iam::123456789012:oidc-provider/${first.stsName}-oidc.s3.${REGION}.amazonaws.com, ` +
        `2 IAM roles (${roles.join(', ')}) are tagged ${OWNER_TAG_KEY}=${first.name}, and ` +
        `two clusters cannot share one OIDC issuer and its roles. Choose another credentials.sts_name for ${twin.name}, ` +
        `or destroy the cluster ${first.name} first (nx run ${first.name}:destroy --yes)`,
    ]);
    // ccoctl never ran for the twin: no output, no log, the first cluster's key set and tags as they were.
    expect(existsSync(twin.step.dir('ccoctl'))).toBe(false);
    expect(ranCcoctl(twin.step)).toBe(false);
    expect(await keysJson(first.stsName)).toBe(keysBefore);
    const found = await findStsResources(clients, { stsName: first.stsName });
    expect(new Set(found.map((r) => r.owner))).toEqual(new Set([first.name]));
  }, 120_000);
});

describe('never a second key for one identity', () => {
  it('refuses to make a new key (a), or to publish another one (b), for an issuer that publishes one', async () => {
    const { name, stsName, step, keys } = renderedCluster('own-key');
    await createStsResources(step, { binDir: STAND_IN_BIN });
    const published = await keysJson(stsName);
    const issuer = await publishedIssuer(clients, { stsName, region: REGION });
    expect(issuer).toEqual({
      stsName,
      bucket: `${stsName}-oidc`,
      issuerUrl: `https://${stsName}-oidc.s3.${REGION}.amazonaws.com`,
      keys: { kids: [keyIdOf(keys.publicKey)], region: REGION },
      providers: [`arn:aws:iam::123456789012:oidc-provider/${stsName}-oidc.s3.${REGION}.amazonaws.com`],
    });

    // (a) The key is gone from this checkout (and there is no state backend holding it).
    for (const file of [SIGNER_PRIVATE, SIGNER_PUBLIC]) rmSync(join(signingKeyDir(step), file));
    rmSync(step.logFile, { force: true });
    const lost = await failure(createStsResources(step, { binDir: STAND_IN_BIN }));
    expect(isUserError(lost)).toBe(true);
    expect(lost.message).toBe(
      `refusing to make a new service-account signing key for ${name}: the OIDC issuer of sts_name ${stsName} ` +
        `(https://${stsName}-oidc.s3.${REGION}.amazonaws.com) already publishes keys: the S3 bucket ${stsName}-oidc ` +
        `serves keys.json (kid ${keyIdOf(keys.publicKey)}); the IAM OIDC provider ${issuer.providers[0]!} exists, and ` +
        `its signing key is neither in secrets/${name}/ nor in the state backend. A new key would replace keys.json ` +
        'and every token of the running cluster would stop verifying; nothing was created. Get the key back: copy ' +
        `secrets/${name}/serviceaccount-signer.private and serviceaccount-signer.public from the checkout or machine ` +
        `that installed the cluster, or configure the state: backend that holds it (state: in clusters/${name}/` +
        `cluster.yaml or clusters/defaults.yaml). If that cluster is gone: nx run ${name}:destroy --yes where it was ` +
        `installed, or delete the issuer (ccoctl aws delete --name=${stsName} --region=${REGION})`,
    );
    expect(ranCcoctl(step)).toBe(false);
    expect(existsSync(join(signingKeyDir(step), SIGNER_PRIVATE))).toBe(false);
    expect(await keysJson(stsName)).toBe(published);

    // (b) Another key pair where the cluster's was.
    const other = testKeyPair();
    keepSigningKey(step, other);
    const wrong = await failure(createStsResources(step, { binDir: STAND_IN_BIN }));
    expect(isUserError(wrong)).toBe(true);
    expect(wrong.message).toMatch(
      new RegExp(
        `^refusing to publish another signing key for sts_name ${stsName}: the signing key of ${name} \\(kid ` +
          `${keyIdOf(other.publicKey)}, from secrets/${name}/ or the state backend\\) is not one that the OIDC ` +
          `issuer of sts_name ${stsName} \\(https://${stsName}-oidc\\.s3\\.${REGION}\\.amazonaws\\.com\\) already ` +
          `publishes keys: the S3 bucket ${stsName}-oidc serves keys.json \\(kid ${keyIdOf(keys.publicKey)}\\); .*` +
          'Rotating the signing key is not supported yet$',
      ),
    );
    expect(ranCcoctl(step)).toBe(false);
    expect(await keysJson(stsName)).toBe(published);

    // The cluster's own key back: ccoctl runs, and the issuer still publishes that key only.
    keepSigningKey(step, keys);
    await createStsResources(step, { binDir: STAND_IN_BIN });
    expect(await keysJson(stsName)).toBe(published);
    expect(readdirSync(step.dir('ccoctl'))).toContain(SIGNER_PRIVATE);
  }, 180_000);

  it('keeps the key of a first run that failed after publishing it, so that the re-run completes', async () => {
    const { name, stsName, step } = renderedCluster('own-first-run');
    // A first run: no key yet (the stand-in makes an RSA-4096 pair), and ccoctl fails once keys.json is published.
    for (const file of [SIGNER_PRIVATE, SIGNER_PUBLIC]) rmSync(join(signingKeyDir(step), file));
    const failed = await failure(
      withEnv({ STANDIN_FAIL: 'ccoctl:issuer-unreachable' }, () => createStsResources(step, { binDir: STAND_IN_BIN })),
    );
    expect(failed.message).toContain(`then re-run \`nx run ${name}:ccoctl\`: ccoctl reuses the bucket and completes.`);
    const kept = readFileSync(join(signingKeyDir(step), SIGNER_PUBLIC), 'utf8');
    expect((await publishedIssuer(clients, { stsName, region: REGION })).keys?.kids).toEqual([keyIdOf(kept)]);

    const record = await createStsResources(step, { binDir: STAND_IN_BIN });
    expect(record?.roles).toHaveLength(2);
    expect((await publishedIssuer(clients, { stsName, region: REGION })).keys?.kids).toEqual([keyIdOf(kept)]);
  }, 180_000);
});
