/*
 * The ccoctl step and ownership, on the ccoctl stand-in and the shared AWS emulator, in a small temporary workspace
 * (render's outputs and the extracted requests written by the test, a kept test key pair): what a run made carries
 * the owner tag; a second cluster with the same sts_name is refused before anything is created. That an issuer which
 * publishes a key never gets another one is the signing key's (signing-key/signing-key.spec.ts).
 */
import { jest } from '@jest/globals';
import { IAMClient, ListOpenIDConnectProviderTagsCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { GetBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failureOf, keysJsonOf, ranCcoctl, renderedForCcoctl } from '../../../../tools/testing/ccoctl-step.ts';
import { STAND_IN_BIN, testWorkspace, type TestWorkspace } from '../../../../tools/testing/cluster-workspace.ts';
import { awsClients, ownedTagKey } from '@ocp-sts/aws';
import { createStsResources } from '../executors/ccoctl/ccoctl.ts';
import { findStsResources } from '../inventory/scan.ts';
import { PreflightError } from '../preflight/preflight.ts';
import { OWNER_TAG_KEY } from './owner-tag.ts';

const REGION = 'eu-west-1';
const clients = awsClients({ region: REGION });
const iam = new IAMClient({ region: REGION });
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
  return renderedForCcoctl(ws, prefix, { region: REGION, ...(stsName && { stsName }) });
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

  it("puts cluster.yaml's tags beside the owner tag on the roles, the OIDC provider and the bucket", async () => {
    const tags = { 'cost-center': '4711', owner: 'Platform Engineering' };
    const { name, step } = renderedForCcoctl(ws, 'user-tags', { region: REGION, tags });
    stderr.length = 0;
    const record = await createStsResources(step, { binDir: STAND_IN_BIN });
    const expected = [
      { Key: OWNER_TAG_KEY, Value: name },
      { Key: 'cost-center', Value: '4711' },
      { Key: 'owner', Value: 'Platform Engineering' },
    ];
    for (const { role } of record!.roles) {
      const listed = await iam.send(new ListRoleTagsCommand({ RoleName: role }));
      expect(listed.Tags).toEqual(expect.arrayContaining(expected));
    }
    const providers = (await findStsResources(clients, { stsName: name })).flatMap((r) =>
      r.kind === 'oidc-provider' ? [r.arn] : [],
    );
    expect(providers).toHaveLength(1);
    const providerTags = await iam.send(
      new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: providers[0] }),
    );
    expect(providerTags.Tags).toEqual(expect.arrayContaining(expected));
    const bucketTags = await s3.send(new GetBucketTaggingCommand({ Bucket: `${name}-oidc` }));
    expect(bucketTags.TagSet).toEqual(expect.arrayContaining([...expected, { Key: 'Name', Value: name }]));
    expect(bucketTags.TagSet).toHaveLength(5);
    expect(stderr.join('')).toContain(
      `owner tag ${OWNER_TAG_KEY}=${name} and 2 user tags (cost-center, owner) on 2 IAM roles (iam:TagRole)`,
    );
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
    const keysBefore = await keysJsonOf(first.stsName, REGION);

    const twin = renderedCluster('own-twin', first.stsName);
    const error = await failureOf(createStsResources(twin.step, { binDir: STAND_IN_BIN }));
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
    expect(await keysJsonOf(first.stsName, REGION)).toBe(keysBefore);
    const found = await findStsResources(clients, { stsName: first.stsName });
    expect(new Set(found.map((r) => r.owner))).toEqual(new Set([first.name]));
  }, 120_000);
});
