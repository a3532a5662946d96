/*
 * End to end: each cached step's cache key holds what the step reads beyond its dependencies' outputs, through real
 * `nx` on the stand-ins and the emulator. An edit of one such value re-runs the step (and what depends on its output),
 * and nothing else; undone, every step comes from the cache again. What pipeline.spec (compute replicas, the release),
 * cache-keys.spec (the secret files) and workspace.spec (cluster.yaml, defaults.yaml, the plugin) show is not repeated.
 */
import { IAMClient, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueName } from '../testing/cluster-workspace.ts';
import { pipelineWorkspace, sandboxNx, sandboxNxStatus, taskStates } from '../testing/pipeline.ts';
import type { TempWorkspace } from '../testing/workspace.ts';

const CLUSTER_YAML = 'clusters/example/cluster.yaml';
const DEFAULTS_YAML = 'clusters/defaults.yaml';
const SEEN = 'clusters/example/.work/installed-release.json';

describe("the cached steps' cache keys", () => {
  let ws: TempWorkspace;
  const read = (file: string) => readFileSync(join(ws.root, file), 'utf8');
  const states = () => taskStates(sandboxNx(ws, ['run', 'example:inject']));
  const allCached = { render: 'cache', manifests: 'cache', extract: 'cache', ccoctl: 'cache', inject: 'cache' };

  beforeAll(() => {
    ws = pipelineWorkspace();
    expect(states()).toEqual({ render: 'ran', manifests: 'ran', extract: 'ran', ccoctl: 'ran', inject: 'ran' });
    expect(states()).toEqual(allCached);
  });

  // The memos: what `oc adm release info` said of a release (release-tools.ts), keyed by its image.
  it("leaves in .work/ only the steps' own folders, their logs, the local state and its copy of the installed release, and memos", () => {
    expect(readdirSync(join(ws.root, 'clusters/example/.work')).sort()).toEqual([
      'ccoctl',
      'credrequests',
      'installed-release.json',
      'logs',
      'manifests',
      'release-info',
      'render',
      'staged',
      'state',
    ]);
  });
  afterAll(() => {
    ws.remove();
  });

  it('re-runs render for the release pin and for $OPENSHIFT_RELEASE_IMAGE, which choose the release', () => {
    const lock = 'clusters/example/release.lock.json';
    const cluster = read(CLUSTER_YAML);
    const render = (env: NodeJS.ProcessEnv = {}) => taskStates(sandboxNx(ws, ['run', 'example:render'], env)).render;
    // A minor version and its pin: the pin chooses the release, so another pin re-renders.
    ws.write(CLUSTER_YAML, cluster.replace('version: "4.16.3"', 'version: "4.16"'));
    const pin = (version: string) => {
      const image = `quay.io/openshift-release-dev/ocp-release:${version}-x86_64`;
      ws.write(lock, `${JSON.stringify({ channel: 'stable-4.16', version, image })}\n`);
    };
    pin('4.16.3');
    expect(render()).toBe('ran');
    expect(render()).toBe('cache');
    pin('4.16.9');
    expect(render()).toBe('ran');
    expect(read('clusters/example/.work/render/release.json')).toContain('4.16.9');
    rmSync(join(ws.root, lock));
    ws.write(CLUSTER_YAML, cluster);
    expect(render()).toBe('cache');
    expect(render({ OPENSHIFT_RELEASE_IMAGE: 'quay.io/openshift-release-dev/ocp-release:4.16.9-x86_64' })).toBe('ran');
    expect(render()).toBe('cache');
  });

  it('re-runs extract, and then ccoctl, for another feature set, which changes the requests oc includes', () => {
    const cluster = read(CLUSTER_YAML);
    ws.write(CLUSTER_YAML, cluster.replace(/^openshift:\n/m, 'openshift:\n  feature_set: TechPreviewNoUpgrade\n'));
    const run = taskStates(sandboxNx(ws, ['run', 'example:extract']));
    expect(run).toMatchObject({ render: 'ran', extract: 'ran' });
    expect(readdirSync(join(ws.root, 'clusters/example/.work/credrequests'))).toContain(
      '0000_30_cluster-api_01_credentials-request.yaml',
    );
    ws.write(CLUSTER_YAML, cluster);
    expect(states()).toEqual(allCached);
  });

  it("re-runs extract for the capabilities, which leave out a disabled capability's requests (and so its role)", () => {
    const cluster = read(CLUSTER_YAML);
    const capabilities = (additional: string) =>
      cluster.replace(
        /^openshift:\n/m,
        `openshift:\n  capabilities: { baseline: None, additional: [CloudCredential, CloudControllerManager, Ingress${additional}] }\n`,
      );
    const requests = () => readdirSync(join(ws.root, 'clusters/example/.work/credrequests')).sort();
    ws.write(CLUSTER_YAML, capabilities(''));
    expect(taskStates(sandboxNx(ws, ['run', 'example:extract']))).toMatchObject({ render: 'ran', extract: 'ran' });
    // Ingress, the CCO's read-only role and the cloud network config controller: no machine API, registry or EBS CSI.
    expect(requests()).toEqual([
      '0000_50_cloud-credential-operator_05-iam-ro-credentialsrequest.yaml',
      '0000_50_cluster-ingress-operator_00-ingress-credentials-request.yaml',
      '0000_50_cluster-network-operator_02-cncc-credentials.yaml',
    ]);
    ws.write(CLUSTER_YAML, capabilities(', MachineAPI'));
    expect(taskStates(sandboxNx(ws, ['run', 'example:extract'])).extract).toBe('ran');
    expect(requests()).toContain('0000_30_machine-api-operator_00_credentials-request.yaml');
    ws.write(CLUSTER_YAML, cluster);
    expect(states()).toEqual(allCached);
  });

  it('re-runs ccoctl, and inject after it, for another credentials.sts_name', () => {
    const cluster = read(CLUSTER_YAML);
    const stsName = /^\s*sts_name: (\S+)$/m.exec(cluster)![1]!;
    ws.write(CLUSTER_YAML, cluster.replace(`sts_name: ${stsName}`, `sts_name: ${uniqueName('renamed')}`));
    expect(states()).toEqual({ render: 'ran', manifests: 'cache', extract: 'cache', ccoctl: 'ran', inject: 'ran' });
    ws.write(CLUSTER_YAML, cluster);
    expect(states()).toEqual(allCached);
  });

  it("re-runs render, manifests, ccoctl and inject for cluster.yaml's tags, which ccoctl puts on its roles", async () => {
    const cluster = read(CLUSTER_YAML);
    const stsName = /^\s*sts_name: (\S+)$/m.exec(cluster)![1]!;
    ws.write(CLUSTER_YAML, `${cluster}tags: { cost-center: "4711" }\n`);
    expect(states()).toEqual({ render: 'ran', manifests: 'ran', extract: 'cache', ccoctl: 'ran', inject: 'ran' });
    expect(read('clusters/example/.work/render/install-config.yaml')).toContain('cost-center: "4711"');
    const iam = new IAMClient({ region: 'us-east-1' });
    const role = `${stsName}-openshift-ingress-operator-cloud-credentials`;
    const tags = await iam.send(new ListRoleTagsCommand({ RoleName: role }));
    expect(tags.Tags).toEqual(expect.arrayContaining([{ Key: 'cost-center', Value: '4711' }]));
    ws.write(CLUSTER_YAML, cluster);
    expect(states()).toEqual(allCached);
  });

  it('re-runs ccoctl for another platform.account_id, whose preflight then refuses the account of the caller', () => {
    const cluster = read(CLUSTER_YAML);
    ws.write(CLUSTER_YAML, cluster.replace('account_id: "123456789012"', 'account_id: "210987654321"'));
    const run = sandboxNxStatus(ws, ['run', 'example:inject']);
    expect(run.status).not.toBe(0);
    expect(taskStates(run.output)).toMatchObject({ render: 'ran', extract: 'cache', ccoctl: 'ran' });
    expect(run.output).toContain('210987654321');
    ws.write(CLUSTER_YAML, cluster);
    expect(states()).toEqual(allCached);
  });

  it('re-runs ccoctl when the state moves to another backend, which then holds the key pair and the record', async () => {
    const defaults = existsSync(join(ws.root, DEFAULTS_YAML)) ? read(DEFAULTS_YAML) : undefined;
    const bucket = uniqueName('ocp-state');
    sandboxNx(ws, [
      'g',
      '@ocp-sts/nx-plugin:state-bucket',
      `--bucket=${bucket}`,
      '--region=us-east-1',
      '--setDefault',
      '--no-interactive',
    ]);
    expect(taskStates(sandboxNx(ws, ['run', 'example:ccoctl']))).toMatchObject({
      render: 'ran',
      extract: 'cache',
      ccoctl: 'ran',
    });
    const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'example/' }));
    const keys = (listed.Contents ?? []).map((object) => object.Key);
    expect(keys).toContain('example/ccoctl.json');
    expect(keys).toContain('example/signing-key/serviceaccount-signer.private');
    if (defaults === undefined) rmSync(join(ws.root, DEFAULTS_YAML));
    else ws.write(DEFAULTS_YAML, defaults);
    expect(states()).toEqual(allCached);
  });

  it("re-runs ccoctl when this checkout's copy of the installed release changes, and refuses a copy the state contradicts", () => {
    writeFileSync(
      join(ws.root, SEEN),
      `${JSON.stringify({ installed: true, version: '4.15.9', releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.15.9-x86_64' })}\n`,
    );
    const stale = sandboxNxStatus(ws, ['run', 'example:ccoctl']);
    expect(stale.status).not.toBe(0);
    expect(taskStates(stale.output)).toMatchObject({ extract: 'cache', ccoctl: 'ran' });
    expect(stale.output).toContain(
      'the installed release of example changed since this run was planned (this checkout knew 4.15.9 installed, ' +
        'the state says not installed), so the cache key of example:ccoctl was stale: run it again (nothing was changed)',
    );
    // The copy now says what the state does: the key is the one of before, in the cache.
    expect(JSON.parse(read(SEEN))).toEqual({ installed: false });
    expect(states()).toEqual(allCached);
  });
});
