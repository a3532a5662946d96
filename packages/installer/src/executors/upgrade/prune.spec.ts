/*
 * --prune on the ccoctl stand-in's roles in the emulator: the role of a request the target release no longer has
 * goes, with its inline policy; the others stay.
 */
import { jest } from '@jest/globals';
import { awsClients } from '@ocp-sts/aws';
import { findStsResources } from '@ocp-sts/sts';
import { clusterStep } from '@ocp-sts/toolchain';
import {
  provisionCluster,
  removeExtractedRequests,
  uniqueStsName,
  type SandboxCluster,
} from '../../../../../tools/testing/provisioned-cluster.ts';
import { pruneRoles } from './prune.ts';

let cluster: SandboxCluster;
let quiet: { mockRestore: () => void };

beforeAll(async () => {
  quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  cluster = await provisionCluster({ stsName: uniqueStsName('prune') });
  await removeExtractedRequests();
});
afterAll(() => {
  quiet.mockRestore();
  cluster.remove();
});

it('deletes the roles it is given, and only those', async () => {
  const step = clusterStep(
    { workspaceRoot: cluster.root, projectRoot: `clusters/${cluster.project}`, projectName: cluster.project },
    'upgrade',
  );
  const roles = async () =>
    (await findStsResources(awsClients({ region: 'us-east-1' }), { stsName: cluster.stsName }))
      .flatMap((r) => (r.kind === 'iam-role' ? [r.name] : []))
      .sort();
  const before = await roles();
  const gone = before.find((name) => name.includes('ingress'))!;
  expect(before.length).toBeGreaterThan(2);

  expect(await pruneRoles(step, [gone])).toEqual([expect.stringContaining(gone) as unknown]);
  expect(await roles()).toEqual(before.filter((name) => name !== gone));
  // Again: nothing of that name is left to delete.
  expect(await pruneRoles(step, [gone])).toEqual([]);
});
