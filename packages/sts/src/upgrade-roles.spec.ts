/*
 * The IAM side of an upgrade on the ccoctl stand-in and the emulator: a 4.16 cluster whose release moves to one that
 * adds kms:ReEncrypt* to the machine-api request (as 4.18.40 does). Before the role update verify finds the policy
 * short of it; `ccoctl aws create-iam-roles` with the cluster's provider updates that one role, and verify is clean.
 */
import { jest } from '@jest/globals';
import { IAMClient, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openStateStore } from '@ocp-sts/state';
import { clusterStep } from '@ocp-sts/toolchain';
import {
  provisionCluster,
  removeExtractedRequests,
  uniqueStsName,
  type SandboxCluster,
} from '../../../tools/testing/provisioned-cluster.ts';
import { STAND_IN_BIN, uniqueName } from '../../../tools/testing/cluster-workspace.ts';
import { readCredentialsRequests, roleNameFor } from './credentials-requests.ts';
import { OWNER_TAG_KEY } from './ownership/owner-tag.ts';
import { clusterProviderArn, updateRoles } from './upgrade-roles.ts';
import { verifyCluster } from './verify/verify.ts';

const MACHINE_API = 'openshift-machine-api-aws';
let cluster: SandboxCluster;
let quiet: { mockRestore: () => void };

beforeAll(async () => {
  quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  cluster = await provisionCluster({ stsName: uniqueStsName('upg') });
  await removeExtractedRequests();
});
afterAll(() => {
  quiet.mockRestore();
  cluster.remove();
});

it('updates the role of a changed request through the cluster provider, and verify is clean again', async () => {
  const step = clusterStep(
    { workspaceRoot: cluster.root, projectRoot: `clusters/${cluster.project}`, projectName: cluster.project },
    'upgrade',
  );
  // The target release: the machine-api request gains kms:ReEncrypt* in its KMS statement.
  const extract = step.dir('extract');
  const file = readdirSync(extract).find((f) => f.includes('machine-api'))!;
  const text = readFileSync(join(extract, file), 'utf8');
  writeFileSync(join(extract, file), text.replace(/^(\s*)- kms:Decrypt$/m, '$1- kms:ReEncrypt*\n$1- kms:Decrypt'));
  const before = await verifyCluster(cluster.input());
  expect(before.status).toBe('failed');
  expect(JSON.stringify(before.findings)).toContain('kms:ReEncrypt*');

  expect(await clusterProviderArn(step)).toBe(
    `arn:aws:iam::123456789012:oidc-provider/${cluster.stsName}-oidc.s3.us-east-1.amazonaws.com`,
  );
  const changed = readCredentialsRequests(extract).filter((r) => r.name === MACHINE_API);
  const update = await updateRoles(step, changed, {
    outputDir: step.work('upgrade', 'roles'),
    binDirs: [STAND_IN_BIN],
  });
  expect(update.requests).toEqual([`openshift-cloud-credential-operator/${MACHINE_API}`]);
  expect(readdirSync(update.secretsDir)).toEqual(['openshift-machine-api-aws-cloud-credentials-credentials.yaml']);

  const after = await verifyCluster(cluster.input());
  expect(after.findings.filter((f) => f.severity === 'error')).toEqual([]);
  // Tagged as the ccoctl step tags what create-all made: the owner tag on the role it updated.
  const tags = await new IAMClient({ region: 'us-east-1' }).send(
    new ListRoleTagsCommand({ RoleName: roleNameFor(cluster.stsName, changed[0]!) }),
  );
  expect(tags.Tags).toEqual(expect.arrayContaining([{ Key: OWNER_TAG_KEY, Value: cluster.project }]));
});

it("with a remote state, keeps the new Secrets among ccoctl's output there, for a verify that runs no ccoctl", async () => {
  const bucket = uniqueName('upg-state');
  await new S3Client({ region: 'us-east-1', forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: bucket }));
  writeFileSync(
    join(cluster.root, 'clusters/defaults.yaml'),
    `state: { backend: s3, bucket: ${bucket}, region: us-east-1 }\n`,
  );
  const step = clusterStep(
    { workspaceRoot: cluster.root, projectRoot: `clusters/${cluster.project}`, projectName: cluster.project },
    'upgrade',
  );
  const state = openStateStore(step);
  await state.put('ccoctl-output/manifests/other-credentials.yaml', 'OTHER');
  const changed = readCredentialsRequests(step.dir('extract')).filter((r) => r.name === MACHINE_API);
  const update = await updateRoles(step, changed, {
    outputDir: step.work('upgrade', 'roles'),
    binDirs: [STAND_IN_BIN],
  });
  const secret = 'openshift-machine-api-aws-cloud-credentials-credentials.yaml';
  expect(await state.list()).toEqual([
    `ccoctl-output/manifests/${secret}`,
    'ccoctl-output/manifests/other-credentials.yaml',
  ]);
  expect((await state.get(`ccoctl-output/manifests/${secret}`))?.toString()).toBe(
    readFileSync(join(update.secretsDir, secret), 'utf8'),
  );
});
