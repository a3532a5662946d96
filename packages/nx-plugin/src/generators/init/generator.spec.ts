import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { ClusterConfigError, parseClusterConfig } from '@ocp-sts/cluster-config';
import { DEFAULTS_YAML } from './defaults-yaml.ts';
import { initGenerator } from './generator.ts';

const REPO_WORKFLOWS = join(import.meta.dirname, '..', '..', '..', '..', '..', '.github', 'workflows');
const SCHEMA = JSON.parse(readFileSync(join(import.meta.dirname, 'schema.json'), 'utf8')) as {
  properties: Record<string, { type: string; enum?: string[]; default?: unknown; 'x-prompt'?: unknown }>;
  additionalProperties: boolean;
};

/** Every file of the tree with its bytes, path first: what a run may (or may not) change. */
function snapshot(tree: Tree, dir = ''): [string, string][] {
  return tree
    .children(dir)
    .sort()
    .flatMap((name) => {
      const path = dir ? `${dir}/${name}` : name;
      return tree.isFile(path)
        ? [[path, tree.read(path)!.toString('base64')] as [string, string]]
        : snapshot(tree, path);
    });
}

/** A cluster that takes its account, region and base domain from defaults.yaml. */
const BARE_CLUSTER = 'name: c1\nplatform:\n  type: aws\nopenshift:\n  version: "4.16.3"\n';

function load(tree: Tree) {
  return parseClusterConfig({
    workspaceRoot: tree.root,
    projectRoot: 'clusters/c1',
    read: (f) => tree.read(f, 'utf-8') ?? undefined,
  });
}

/** The examples of defaults.yaml with their `# ` taken off: every commented line that reads as a YAML key. */
function uncommented(text: string): string {
  return text.replace(/^# ( *[a-z_]+:.*)$/gm, '$1');
}

describe('init generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('registers the plugin once and keeps other plugins', async () => {
    updateNxJson(tree, { ...readNxJson(tree), plugins: [{ plugin: '@nx/js/typescript', options: {} }] });
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: '@nx/js/typescript', options: {} }, '@ocp-sts/nx-plugin']);
  });

  it('recognises an existing entry in object form', async () => {
    updateNxJson(tree, { ...readNxJson(tree), plugins: [{ plugin: '@ocp-sts/nx-plugin', options: {} }] });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: '@ocp-sts/nx-plugin', options: {} }]);
  });

  it('adds the ignore lines that are missing, once, keeping the file', async () => {
    tree.write('.gitignore', 'dist\n/secrets/');
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.gitignore', 'utf-8')).toBe(
      'dist\n/secrets/\n# ocp-sts: secrets and generated work dirs\nclusters/*/.work/\n.nx/cache/\n',
    );
  });

  it('counts a folder above a line as ignoring it (.nx/ for .nx/cache/)', async () => {
    tree.write('.gitignore', '/.nx\nsecrets\nclusters/*/.work\n');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.gitignore', 'utf-8')).toBe('/.nx\nsecrets\nclusters/*/.work\n');
  });

  it('pins the Nx cache in the workspace, so that clones never share entries, unless nx.json says where it is', async () => {
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.cacheDirectory).toBe('.nx/cache');

    updateNxJson(tree, { ...readNxJson(tree), cacheDirectory: '/var/cache/nx-ocp' });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.cacheDirectory).toBe('/var/cache/nx-ocp');
  });

  it('creates .gitignore when there is none', async () => {
    tree.delete('.gitignore');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.gitignore', 'utf-8')).toContain('secrets/\nclusters/*/.work/\n');
  });

  it('changes nothing on a second run, with or without the workflows', async () => {
    for (const options of [{ ci: 'github' as const, skipFormat: true }, { skipFormat: true }]) {
      const other = createTreeWithEmptyWorkspace();
      await initGenerator(other, options);
      const first = snapshot(other);
      await initGenerator(other, options);
      expect([options, snapshot(other)]).toEqual([options, first]);
    }
  });

  describe('clusters/defaults.yaml', () => {
    it('is written commented, setting nothing, and names the keys it may not hold', async () => {
      await initGenerator(tree, { skipFormat: true });
      const text = tree.read('clusters/defaults.yaml', 'utf-8')!;
      expect(text).toBe(DEFAULTS_YAML);
      expect(text).toContain('must be unique\n# per cluster: name and credentials.sts_name.');
      expect(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual([]);

      tree.write('clusters/c1/cluster.yaml', `${BARE_CLUSTER}dns:\n  base_domain: example.org\n`);
      expect(() => load(tree)).toThrow(ClusterConfigError);
      tree.write(
        'clusters/c1/cluster.yaml',
        `${BARE_CLUSTER.replace('  type: aws\n', '  type: aws\n  account_id: "123456789012"\n  region: eu-west-1\n')}dns:\n  base_domain: example.org\n`,
      );
      const loaded = load(tree);
      expect(loaded.sources).toContain('clusters/defaults.yaml');
      expect(loaded.cluster.state).toEqual({ backend: 'local' });
    });

    it('loads with every example uncommented, each applied under the cluster, whose own keys win', async () => {
      await initGenerator(tree, { skipFormat: true });
      const examples = uncommented(DEFAULTS_YAML);
      expect(examples.match(/^[a-z_]+:$/gm)).toEqual(['platform:', 'dns:', 'credentials:', 'state:']);
      tree.write('clusters/defaults.yaml', examples);
      tree.write('clusters/c1/cluster.yaml', BARE_CLUSTER);
      const { cluster } = load(tree);
      expect(cluster.platform).toEqual({ type: 'aws', account_id: '123456789012', region: 'us-east-1' });
      expect(cluster.dns.base_domain).toBe('example.com');
      expect(cluster.credentials.aws_profile).toBe('platform-admin');
      expect(cluster.state).toEqual({
        backend: 's3',
        bucket: 'my-team-ocp-state',
        region: 'us-east-1',
        prefix: 'clusters',
      });

      tree.write('clusters/c1/cluster.yaml', `${BARE_CLUSTER}state:\n  region: eu-west-1\n`);
      expect(load(tree).cluster.state.region).toBe('eu-west-1');
    });

    it('is never overwritten', async () => {
      tree.write('clusters/defaults.yaml', 'state:\n  backend: local\n');
      await initGenerator(tree, { skipFormat: true });
      expect(tree.read('clusters/defaults.yaml', 'utf-8')).toBe('state:\n  backend: local\n');
    });
  });

  describe('--ci', () => {
    it('github writes the workflows this repository runs, byte for byte, and .nvmrc', async () => {
      await initGenerator(tree, { ci: 'github', skipFormat: true });
      const files = readdirSync(REPO_WORKFLOWS).sort();
      expect(files).toEqual(['deploy.yml', 'destroy.yml', 'pull-request.yml', 'verify-fleet.yml']);
      expect(tree.children('.github/workflows').sort()).toEqual(files);
      for (const file of files) {
        expect([
          file,
          tree.read(`.github/workflows/${file}`)!.equals(readFileSync(join(REPO_WORKFLOWS, file))),
        ]).toEqual([file, true]);
      }
      expect(tree.read('.nvmrc', 'utf-8')).toBe('24\n');
    });

    it("github replaces an older copy of a workflow and keeps the workspace's .nvmrc and other workflows", async () => {
      tree.write('.github/workflows/deploy.yml', 'name: old deploy\n');
      tree.write('.github/workflows/lint.yml', 'name: lint\n');
      tree.write('.nvmrc', '22.11.0\n');
      await initGenerator(tree, { ci: 'github', skipFormat: true });
      expect(tree.read('.github/workflows/deploy.yml', 'utf-8')).toBe(
        readFileSync(join(REPO_WORKFLOWS, 'deploy.yml'), 'utf8'),
      );
      expect(tree.read('.github/workflows/lint.yml', 'utf-8')).toBe('name: lint\n');
      expect(tree.read('.nvmrc', 'utf-8')).toBe('22.11.0\n');
    });

    it('none (the default) writes no CI file', async () => {
      await initGenerator(tree, { skipFormat: true });
      await initGenerator(tree, { ci: 'none', skipFormat: true });
      expect(tree.exists('.github')).toBe(false);
      expect(tree.exists('.nvmrc')).toBe(false);
    });
  });

  it('declares what `nx add` passes (--keepExistingVersions), a ci prompt nx add shows, and nothing undeclared', async () => {
    expect(SCHEMA.properties.keepExistingVersions?.type).toBe('boolean');
    expect(SCHEMA.properties.ci).toMatchObject({
      enum: ['none', 'github'],
      default: 'none',
      'x-prompt': { type: 'list' },
    });
    expect(SCHEMA.additionalProperties).toBe(false);
    const before = snapshot(tree);
    await initGenerator(tree, { keepExistingVersions: true, skipFormat: true });
    const after = createTreeWithEmptyWorkspace();
    await initGenerator(after, { skipFormat: true });
    expect(snapshot(tree)).toEqual(snapshot(after));
    expect(snapshot(tree)).not.toEqual(before);
  });
});
