import { jest } from '@jest/globals';
import { logger, readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse } from 'yaml';
import { parseClusterConfig, scanStsName } from '@ocp-sts/cluster-config';
import { asWritten, clusterGenerator } from './generator.ts';
import type { ClusterGeneratorSchema } from './schema.d.ts';

const base: ClusterGeneratorSchema = {
  name: 'demo2',
  region: 'us-east-1',
  baseDomain: 'example.com',
  accountId: '123456789012',
  openshiftVersion: '4.16.3',
  skipFormat: true,
};

function validate(tree: Tree, name: string) {
  return parseClusterConfig({
    workspaceRoot: tree.root,
    projectRoot: `clusters/${name}`,
    read: (f) => tree.read(f, 'utf-8') ?? undefined,
  });
}

describe('cluster generator', () => {
  let tree: Tree;
  let info: jest.SpiedFunction<typeof logger.info>;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => {
    info.mockRestore();
  });

  it('says where the secrets go and what to run next, once Nx has written the files', async () => {
    const written = await clusterGenerator(tree, base);
    // Nx calls the callback after writing, and never under --dry-run: before it, nothing claims "Created".
    expect(info).not.toHaveBeenCalled();
    await written();
    const said = info.mock.calls.map((c) => String(c[0])).join('\n');
    expect(said).toContain('secrets/demo2/pull-secret.json');
    expect(said).toContain('secrets/demo2/ssh.pub');
    expect(said).toContain('nx run demo2:render');
    expect(said.split('\n')).toEqual(
      expect.arrayContaining([
        '  secrets/demo2/pull-secret.json  your pull secret, from https://console.redhat.com/openshift/install/pull-secret',
        '  secrets/demo2/ssh.pub           an SSH public key for the nodes (e.g. ssh-keygen -t ed25519 -f secrets/demo2/ssh)',
      ]),
    );
  });

  it('says to pin a minor version first: render reads the pin and never writes it', async () => {
    await (
      await clusterGenerator(tree, { ...base, openshiftVersion: '4.20' })
    )();
    const said = info.mock.calls.map((c) => String(c[0])).join('\n');
    expect(said).toContain(
      'Then: nx run demo2:pin-release (pins "4.20" to its newest patch; commit the pin), and nx run demo2:render',
    );
  });

  it('writes a cluster.yaml that validates, with a schema line and a fresh sts_name', async () => {
    await clusterGenerator(tree, { ...base, zones: 'us-east-1a, us-east-1b', awsProfile: 'prod' });
    const text = tree.read('clusters/demo2/cluster.yaml', 'utf-8')!;
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+cluster\.schema\.json$/m);
    const { cluster, stsName, warnings } = validate(tree, 'demo2');
    expect(warnings).toEqual([]);
    expect(stsName).toMatch(/^demo2-[a-z0-9]{5}$/);
    expect(cluster).toMatchObject({
      name: 'demo2',
      platform: { type: 'aws', account_id: '123456789012', region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b'] },
      dns: { base_domain: 'example.com' },
      openshift: { version: '4.16.3', control_plane_replicas: 3, compute_replicas: 3 },
      credentials: { cco_mode: 'manual-sts', aws_profile: 'prod', sts_name: stsName },
    });
    // Version and account id are quoted, so that editing them keeps them text.
    expect(text).toContain('version: "4.16.3"');
    expect(text).toContain('account_id: "123456789012"');
    // The graph reads the sts name of what the generator writes without a YAML parser (see sts-name-scan.ts).
    expect(scanStsName(text, 'demo2')).toBe(stsName);
  });

  it('gives every cluster its own sts_name', async () => {
    await clusterGenerator(tree, base);
    await clusterGenerator(tree, { ...base, name: 'demo3' });
    expect(validate(tree, 'demo2').stsName).not.toEqual(validate(tree, 'demo3').stsName);
  });

  it('keeps an explicit --stsName and leaves STS keys out for other CCO modes', async () => {
    await clusterGenerator(tree, { ...base, stsName: 'demo2-fixed' });
    expect(validate(tree, 'demo2').stsName).toBe('demo2-fixed');
    await clusterGenerator(tree, { ...base, name: 'minty', ccoMode: 'mint' });
    const minty = parse(tree.read('clusters/minty/cluster.yaml', 'utf-8')!) as { credentials: object };
    expect(minty.credentials).toEqual({ cco_mode: 'mint' });
  });

  it('registers the plugin and ignores secrets and work dirs, leaving defaults.yaml and CI to init', async () => {
    await clusterGenerator(tree, base);
    expect(readNxJson(tree)?.plugins).toContain('@ocp-sts/nx-plugin');
    expect(tree.read('.gitignore', 'utf-8')).toMatch(/^secrets\/$/m);
    expect(tree.read('.gitignore', 'utf-8')).toMatch(/^clusters\/\*\/\.work\/$/m);
    expect(tree.exists('clusters/defaults.yaml')).toBe(false);
    expect(tree.exists('.github')).toBe(false);
  });

  it('refuses an existing cluster without touching it', async () => {
    tree.write('clusters/demo2/cluster.yaml', 'name: demo2\n');
    await expect(clusterGenerator(tree, base)).rejects.toThrow(/clusters\/demo2\/cluster\.yaml already exists/);
    expect(tree.read('clusters/demo2/cluster.yaml', 'utf-8')).toBe('name: demo2\n');
  });

  it.each(['Demo2', 'demo_2', '-demo', 'demo-', 'a'.repeat(64), ''])('refuses the invalid name %j', async (name) => {
    await expect(clusterGenerator(tree, { ...base, name })).rejects.toThrow(/is not a valid cluster name/);
    expect(tree.exists(`clusters/${name}/cluster.yaml`)).toBe(false);
  });

  it('names the option behind each problem and writes nothing', async () => {
    const before = tree.listChanges().length;
    const bad = { ...base, region: 'us-east1', accountId: '12345', baseDomain: 'nodot', openshiftVersion: 'latest' };
    const error = await clusterGenerator(tree, bad).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/--region: expected an AWS region/);
    expect(error?.message).toMatch(/--accountId: expected a 12-digit AWS account id/);
    expect(error?.message).toMatch(/--baseDomain: expected a DNS domain/);
    expect(error?.message).toMatch(/--openshiftVersion: expected an OpenShift version/);
    expect(tree.exists('clusters/demo2/cluster.yaml')).toBe(false);
    expect(tree.listChanges()).toHaveLength(before);
  });

  it('refuses a region no partition has, suggesting the nearest, and writes nothing', async () => {
    const before = tree.listChanges().length;
    await expect(clusterGenerator(tree, { ...base, region: 'us-moon-1' })).rejects.toThrow(
      /--region: us-moon-1 is not a region of the AWS partition aws \(did you mean us-\w+-1\?\)/,
    );
    await expect(clusterGenerator(tree, { ...base, region: 'us-east-3' })).rejects.toThrow(/did you mean us-east-1\?/);
    await expect(clusterGenerator(tree, { ...base, region: 'cn-south-1' })).rejects.toThrow(
      /partition aws-cn \(did you mean cn-north-1\?\)/,
    );
    expect(tree.listChanges()).toHaveLength(before);
    await clusterGenerator(tree, { ...base, region: 'eu-central-2', zones: 'eu-central-2a' });
    expect(validate(tree, 'demo2').cluster.platform.region).toBe('eu-central-2');
  });

  it('without a terminal, names every missing option at once', async () => {
    await expect(clusterGenerator(tree, { name: 'demo2', region: 'us-east-1' })).rejects.toThrow(
      'missing --baseDomain, --accountId, --openshiftVersion: give them on the command line, or run the generator at a terminal to be asked',
    );
    expect(tree.exists('clusters/demo2/cluster.yaml')).toBe(false);
  });

  it('rejects zones of another region', async () => {
    await expect(clusterGenerator(tree, { ...base, zones: 'us-west-2a' })).rejects.toThrow(
      /--zones: expected a zone of region us-east-1/,
    );
  });

  it('validates against the workspace defaults.yaml', async () => {
    tree.write('clusters/defaults.yaml', 'openshift:\n  compute_replicas: lots\n');
    await expect(clusterGenerator(tree, base)).rejects.toThrow(
      /clusters\/defaults\.yaml:2 openshift\.compute_replicas: expected a whole number/,
    );
  });

  it('leaves machine-pool keys to defaults.yaml when it sets them', async () => {
    tree.write('clusters/defaults.yaml', 'openshift:\n  compute_replicas: 5\n  instance_type_compute: m6i.2xlarge\n');
    await clusterGenerator(tree, base);
    const text = tree.read('clusters/demo2/cluster.yaml', 'utf-8')!;
    expect(text).not.toContain('compute_replicas');
    expect(text).toContain('control_plane_replicas: 3');
    expect(validate(tree, 'demo2').cluster.openshift).toMatchObject({
      compute_replicas: 5,
      instance_type_compute: 'm6i.2xlarge',
      control_plane_replicas: 3,
    });
  });
});

describe('single-node fleets', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('writes the single-node control plane type when defaults.yaml makes every cluster single-node', async () => {
    tree.write('clusters/defaults.yaml', 'openshift:\n  control_plane_replicas: 1\n  compute_replicas: 0\n');
    await clusterGenerator(tree, base);
    const text = tree.read('clusters/demo2/cluster.yaml', 'utf-8')!;
    expect(text).toContain('instance_type_control_plane: m6i.2xlarge');
    expect(validate(tree, 'demo2').cluster.openshift).toMatchObject({
      control_plane_replicas: 1,
      instance_type_control_plane: 'm6i.2xlarge',
    });
  });
});

describe('asWritten', () => {
  it('recovers what the command line parser turned into numbers', () => {
    const argv = ['node', 'nx', 'g', 'cluster', '--openshiftVersion', '4.10', '--account-id=012345678901'];
    expect(asWritten('openshiftVersion', 4.1, argv)).toBe('4.10');
    expect(asWritten('accountId', 12345678901, argv)).toBe('012345678901');
    expect(asWritten('accountId', '123456789012', argv)).toBe('123456789012');
    expect(asWritten('openshiftVersion', 4.2, ['node', 'nx'])).toBe('4.2');
  });
});
