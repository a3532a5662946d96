/*
 * destroy proves the cleanup, in a sandbox-like workspace on the stand-ins and the shared AWS emulator: the ccoctl
 * stand-in provisions a unique sts name, destroy runs `ccoctl aws delete` (the stand-in, through binDir) and then
 * lists what is left. The stand-in's STANDIN_CCOCTL_DELETE_SKIP_ROLE makes it leave a role behind and still exit 0.
 */
import { jest } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RELEASE_FILE } from '@ocp-sts/cluster-config';
import { openStateStore, STATE_RECORDS, writeRecord } from '@ocp-sts/state';
import { awsClients } from '@ocp-sts/aws';
import { deleteStsResources, findStsResources } from '@ocp-sts/sts';
import { BIN_DIR_ENV } from '@ocp-sts/toolchain';
import { asRealCcoctlPrivateBucket } from '../../../../../tools/testing/ccoctl-private-bucket.ts';
import {
  provisionSts,
  STAND_IN_BIN,
  testWorkspace,
  uniqueName,
  withEnv,
  type TestWorkspace,
} from '../../../../../tools/testing/cluster-workspace.ts';
import { confirmDestroy, destroyCluster } from './destroy.ts';

const REGION = 'eu-west-1';
// provisionSts makes an sts name as ccoctl would, with no install and no state: the tests say there is no infrastructure.
const options = { yes: true, binDir: STAND_IN_BIN, noInfrastructure: true };
let ws: TestWorkspace;
let quiet: { mockRestore: () => void };

beforeAll(() => {
  ws = testWorkspace('destroy-spec-');
  // The stand-in's log lines, echoed by runTool, would only clutter the test output.
  quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  quiet.mockRestore();
  ws.remove();
});

describe('destroy', () => {
  it('deletes what ccoctl made and proves that nothing of the sts name is left', async () => {
    const name = uniqueName('destroy');
    ws.addCluster({ name, stsName: name, region: REGION });
    await provisionSts(name, REGION);
    const step = ws.step(name, 'destroy');
    mkdirSync(step.dir('ccoctl'), { recursive: true });

    const outcome = await destroyCluster(step, options);
    expect(outcome.cluster).toBe('no-infrastructure');
    expect(outcome.sts).toBe('deleted');
    // The emulator serves origin access identities (tools/aws-emulator/moto_server_oai.py): nothing went unchecked.
    expect(outcome.warnings).toEqual([]);
    expect(existsSync(step.dir('ccoctl'))).toBe(false);
    expect(await findStsResources(awsClients({ region: REGION }), { stsName: name })).toEqual([]);
  });

  it('fails naming the role that ccoctl aws delete left behind, with its ARN and how to delete it', async () => {
    const name = uniqueName('destroy-skip');
    ws.addCluster({ name, stsName: name, region: REGION });
    const { roles } = await provisionSts(name, REGION);
    const left = roles[0]!;
    const step = ws.step(name, 'destroy');

    const error = await withEnv({ STANDIN_CCOCTL_DELETE_SKIP_ROLE: left }, () =>
      destroyCluster(step, options).then(
        () => undefined,
        (e: unknown) => e as Error,
      ),
    );
    expect(error?.message).toBe(
      `ccoctl aws delete left 1 resource of ${name} behind (it exits 0 even then):\n` +
        `  - IAM role ${left} (arn:aws:iam::123456789012:role/${left}), inline policy ${left}\n` +
        `      delete: aws iam delete-role-policy --role-name ${left} --policy-name ${left} && ` +
        `aws iam delete-role --role-name ${left}\n` +
        'Run destroy again (ccoctl aws delete can be repeated), or delete them with the commands above.',
    );

    // As the message says: a second destroy (ccoctl without the fault) finishes the job.
    const again = await destroyCluster(step, options);
    expect(again.sts).toBe('deleted');
    expect(await findStsResources(awsClients({ region: REGION }), { stsName: name })).toEqual([]);
  });

  it("names the real ccoctl's CloudFront distribution and origin access identity when ccoctl aws delete leaves them", async () => {
    // The real ccoctl tags its distribution only Name=<sts name>, and `ccoctl aws delete` looks for the owned tag.
    const name = uniqueName('destroy-oai');
    ws.addCluster({ name, stsName: name, region: REGION });
    await provisionSts(name, REGION, { privateBucket: true });
    const real = await asRealCcoctlPrivateBucket(name, REGION);
    const step = ws.step(name, 'destroy');

    const error = await destroyCluster(step, options).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain(`ccoctl aws delete left 2 resources of ${name} behind`);
    expect(error?.message).toContain(`  - CloudFront distribution ${real.distributionId} (${real.distributionArn}, `);
    expect(error?.message).toContain(
      `  - CloudFront origin access identity ${real.originAccessIdentityId} ("openshift.io/cloud-credential-operator/${name}")\n` +
        `      delete: aws cloudfront delete-cloud-front-origin-access-identity --id ${real.originAccessIdentityId} --if-match <ETag>`,
    );

    // Deleted as the leftovers command deletes them; then destroy finds nothing of the sts name.
    const clients = awsClients({ region: REGION });
    const outcome = await deleteStsResources(clients, await findStsResources(clients, { stsName: name }), {
      pollMs: 10,
    });
    expect(outcome.failed).toEqual([]);
    expect(outcome.deleted.map((r) => r.kind)).toEqual([
      'cloudfront-distribution',
      'cloudfront-origin-access-identity',
    ]);
    expect((await destroyCluster(step, options)).sts).toBe('deleted');
  });

  it('says in one line when what is left cannot be checked (here: a missing profile)', async () => {
    const name = uniqueName('destroy-unreachable');
    ws.addCluster({ name, stsName: name, region: REGION, profile: 'nowhere' });
    const error = await withEnv({ AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, () =>
      destroyCluster(ws.step(name, 'destroy'), options).then(
        () => undefined,
        (e: unknown) => e as Error,
      ),
    );
    // The scan's calls run in parallel: whichever fails first is named.
    expect(error?.message).toMatch(
      new RegExp(
        `^ccoctl aws delete ran, but what it left of ${name} could not be checked: the AWS profile "nowhere" is not ` +
          'defined in /dev/null or /dev/null \\(profile nowhere, region eu-west-1, [a-z0-9]+:\\w+\\): add it \\(aws ' +
          'configure --profile nowhere\\), or fix credentials.aws_profile. Fix that and run destroy again \\(ccoctl ' +
          'aws delete can be repeated\\).$',
      ),
    );
  });

  it('finds ccoctl in $OCP_STS_BIN_DIR also when render has not run (no release to take tools from)', async () => {
    const name = uniqueName('destroy-bin-env');
    ws.addCluster({ name, stsName: name, region: REGION });
    await provisionSts(name, REGION);
    const step = ws.step(name, 'destroy');
    expect(existsSync(join(step.dir('render'), RELEASE_FILE))).toBe(false);

    const outcome = await withEnv({ [BIN_DIR_ENV]: STAND_IN_BIN }, () =>
      destroyCluster(step, { yes: true, noInfrastructure: true }),
    );
    expect(outcome.sts).toBe('deleted');
    expect(await findStsResources(awsClients({ region: REGION }), { stsName: name })).toEqual([]);
  });

  it('refuses without metadata.json when the state cannot tell whether the cluster has infrastructure', async () => {
    const name = uniqueName('destroy-unknown');
    ws.addCluster({ name, stsName: name, region: REGION });
    await provisionSts(name, REGION);
    const step = ws.step(name, 'destroy');
    await expect(destroyCluster(step, { yes: true, binDir: STAND_IN_BIN })).rejects.toThrow(
      `no clusters/${name}/.work/installer/metadata.json for ${name}, and its state (clusters/${name}/.work/state/) cannot tell ` +
        'whether the cluster has infrastructure (it holds no record of an install or of the identity being made here): ' +
        'nothing was destroyed.',
    );
    // Nothing was deleted: the roles and the issuer are still there.
    expect((await findStsResources(awsClients({ region: REGION }), { stsName: name })).length).toBeGreaterThan(0);
  });

  it('refuses without metadata.json when the state says an install started; --noInfrastructure overrides it', async () => {
    const name = uniqueName('destroy-started');
    ws.addCluster({ name, stsName: name, region: REGION });
    await provisionSts(name, REGION);
    const step = ws.step(name, 'destroy');
    const state = openStateStore(step);
    await writeRecord(state, STATE_RECORDS.ccoctl, { stsName: name, region: REGION, signingKey: 'created' });
    await writeRecord(state, STATE_RECORDS.installing, {
      version: '4.16.3',
      at: '2026-11-30T07:00:00Z',
      by: 'ci@runner-7',
    });
    await expect(destroyCluster(step, { yes: true, binDir: STAND_IN_BIN })).rejects.toThrow(
      `${name} was being installed by ci@runner-7 at 2026-11-30T07:00:00Z (state: clusters/${name}/.work/state/), ` +
        'but its installer metadata.json is neither in',
    );
    expect((await findStsResources(awsClients({ region: REGION }), { stsName: name })).length).toBeGreaterThan(0);
    // The user's word overrides the state: then only what ccoctl made goes.
    expect(await destroyCluster(step, options)).toMatchObject({ cluster: 'no-infrastructure', sts: 'deleted' });
  });

  it('goes on without metadata.json when ccoctl made the identity under this state and no install started', async () => {
    const name = uniqueName('destroy-made-here');
    ws.addCluster({ name, stsName: name, region: REGION });
    await provisionSts(name, REGION);
    const step = ws.step(name, 'destroy');
    const state = openStateStore(step);
    await writeRecord(state, STATE_RECORDS.ccoctl, { stsName: name, region: REGION, signingKey: 'created' });
    expect(await destroyCluster(step, { yes: true, binDir: STAND_IN_BIN })).toMatchObject({
      cluster: 'no-infrastructure',
      sts: 'deleted',
    });
    expect(await findStsResources(awsClients({ region: REGION }), { stsName: name })).toEqual([]);
    // The identity is gone, and so is its record.
    expect(await state.get(STATE_RECORDS.ccoctl)).toBeUndefined();
  });

  it('needs --yes where no one can type the cluster name (no terminal)', async () => {
    const name = uniqueName('destroy-confirm');
    ws.addCluster({ name, stsName: name, region: REGION });
    await expect(confirmDestroy(ws.step(name, 'destroy'), {})).rejects.toThrow(
      `destroy deletes the cluster ${name} and its IAM roles and OIDC bucket: confirm with --yes`,
    );
    await confirmDestroy(ws.step(name, 'destroy'), { yes: true });
  });

  it('checks nothing in AWS for a cluster that is not manual-sts', async () => {
    const name = uniqueName('destroy-mint');
    ws.addCluster({ name, ccoMode: 'mint', region: REGION });
    expect(await destroyCluster(ws.step(name, 'destroy'), options)).toEqual({
      cluster: 'no-infrastructure',
      sts: 'not-sts',
      warnings: [],
    });
  });
});
