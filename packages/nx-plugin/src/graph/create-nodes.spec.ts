import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CreateNodesContext } from '@nx/devkit';
import { createNodes, createNodesV2, pluginInputs, pluginIsLocal } from './create-nodes.ts';
import { PLUGIN_PACKAGES } from './constants.ts';
import { TARGET_NAMES } from './targets.ts';

const [glob, createNodesFunction] = createNodes;

function context(workspaceRoot: string, namedInputs: Record<string, string[]> = { production: ['default'] }) {
  return { workspaceRoot, nxJsonConfiguration: { namedInputs } } as CreateNodesContext;
}

async function projectsFor(files: string[], ctx = context('/repo')) {
  const results = await createNodesFunction(files, {}, ctx);
  return results.map(([file, result]) => ({ file, projects: result.projects ?? {} }));
}

describe('createNodes', () => {
  it('matches clusters/*/cluster.yaml and is exported under both names', () => {
    expect(glob).toBe('clusters/*/cluster.yaml');
    expect(createNodesV2).toBe(createNodes);
  });

  it('makes one project per cluster folder, named after it, with all the targets', async () => {
    const results = await projectsFor(['clusters/prod-east/cluster.yaml', 'clusters/dev/cluster.yaml']);
    expect(results.map((r) => r.file)).toEqual(['clusters/prod-east/cluster.yaml', 'clusters/dev/cluster.yaml']);
    const prod = results[0]!.projects['clusters/prod-east']!;
    expect(prod.name).toBe('prod-east');
    expect(prod.tags).toEqual(['type:cluster']);
    expect(Object.keys(prod.targets ?? {})).toEqual([...TARGET_NAMES]);
  });

  it('describes every target fully and wires the manual-STS order', async () => {
    const [result] = await projectsFor(['clusters/a/cluster.yaml']);
    const targets = result!.projects['clusters/a']!.targets!;
    for (const [name, target] of Object.entries(targets)) {
      expect(target.executor).toMatch(/^@ocp-sts\/(installer|sts|state):/);
      expect(typeof target.cache).toBe('boolean');
      expect(target.metadata?.description).toEqual(expect.any(String));
      if (target.cache) {
        expect(target.inputs?.length).toBeGreaterThan(0);
        expect(target.outputs).toEqual([expect.stringMatching(/^\{projectRoot\}\/\.work\//)]);
      }
      expect(name).toBeTruthy();
    }
    // The manual-STS pipeline and the tools around it (a new target, declared in its folder, needs no line here).
    const dependsOn = Object.fromEntries(Object.entries(targets).map(([k, t]) => [k, t.dependsOn ?? []]));
    expect(dependsOn).toMatchObject({
      render: [],
      manifests: ['render'],
      extract: ['render'],
      ccoctl: ['extract'],
      inject: ['manifests', 'ccoctl'],
      verify: ['ccoctl'],
      install: ['preflight', 'inject', 'verify'],
      destroy: ['preflight'],
      'credentials-diff': ['extract'],
      kubeconfig: [],
      upgrade: ['extract'],
      preflight: [],
      'pin-release': [],
      unlock: [],
    });
    const pipeline = ['preflight', 'render', 'manifests', 'extract', 'ccoctl', 'inject', 'verify', 'install'];
    expect(pipeline.filter((name) => targets[name]!.cache)).toEqual([
      'render',
      'manifests',
      'extract',
      'ccoctl',
      'inject',
    ]);
    expect(targets.render!.inputs).toEqual(
      expect.arrayContaining(['{projectRoot}/cluster.yaml', '{workspaceRoot}/clusters/defaults.yaml']),
    );
  });

  it('hashes a digest of the secret files into manifests (a runtime input), not git-ignored files', async () => {
    const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
    const [result] = await projectsFor(['clusters/prod-east/cluster.yaml'], context(repoRoot));
    const targets = result!.projects['clusters/prod-east']!.targets!;
    const script = 'packages/nx-plugin/src/graph/secret-digests.js';
    expect(existsSync(join(repoRoot, script))).toBe(true);
    // The paths render recorded (cluster.yaml may move the files), read after render ran: manifests depends on it.
    expect(targets.manifests!.inputs).toContainEqual({
      runtime: `node ${script} clusters/prod-east/.work/render/slices/manifests.json`,
    });
    expect(targets.manifests!.dependsOn).toEqual(['render']);
    // Nx never hashes a git-ignored file: an input under secrets/ would hash nothing.
    for (const target of Object.values(targets)) expect(JSON.stringify(target.inputs ?? [])).not.toContain('secrets/');
  });

  it('names the digest script relative to the workspace root, wherever the plugin is', async () => {
    const [result] = await projectsFor(['clusters/a/cluster.yaml'], context('/elsewhere/ws'));
    const runtime = result!.projects['clusters/a']!.targets!.manifests!.inputs!.find(
      (input): input is { runtime: string } => typeof input === 'object' && 'runtime' in input,
    )!.runtime;
    const [, script] = /^node (\S+) clusters\/a\/\.work\/render\/slices\/manifests\.json$/.exec(runtime)!;
    expect(resolve('/elsewhere/ws', script!)).toBe(join(import.meta.dirname, 'secret-digests.js'));
  });

  it('gives every output folder to exactly one target', async () => {
    const [result] = await projectsFor(['clusters/a/cluster.yaml']);
    const outputs = Object.values(result!.projects['clusters/a']!.targets!).flatMap((t) => t.outputs ?? []);
    expect(new Set(outputs).size).toBe(outputs.length);
  });

  it('does not validate cluster.yaml: a missing or broken file still gives a project', async () => {
    const results = await projectsFor(['clusters/broken/cluster.yaml'], context('/does/not/exist'));
    expect(results[0]!.projects['clusters/broken']!.name).toBe('broken');
  });

  it('is deterministic', async () => {
    const files = ['clusters/a/cluster.yaml', 'clusters/b/cluster.yaml'];
    expect(JSON.stringify(await projectsFor(files))).toEqual(JSON.stringify(await projectsFor(files)));
  });

  it('depends on the plugin packages only when they are part of the workspace', async () => {
    const repoRoot = `${import.meta.dirname}/../../../..`;
    const [local] = await projectsFor(['clusters/a/cluster.yaml'], context(repoRoot));
    expect(local!.projects['clusters/a']!.implicitDependencies).toEqual([...PLUGIN_PACKAGES]);
    expect(local!.projects['clusters/a']!.targets!.render!.inputs).toContain('^production');

    const [installed] = await projectsFor(['clusters/a/cluster.yaml'], context('/elsewhere'));
    expect(installed!.projects['clusters/a']!.implicitDependencies).toEqual([]);
    expect(installed!.projects['clusters/a']!.targets!.render!.inputs).toContainEqual({
      externalDependencies: [...PLUGIN_PACKAGES],
    });
  });
});

describe('pluginIsLocal', () => {
  it('is true for packages inside the workspace and false under node_modules or outside', () => {
    expect(pluginIsLocal('/ws', '/ws/packages')).toBe(true);
    expect(pluginIsLocal('/ws', '/ws/node_modules/@ocp-sts')).toBe(false);
    expect(pluginIsLocal('/ws', '/other/packages')).toBe(false);
    expect(pluginIsLocal('/ws', '/ws')).toBe(false);
  });
});

describe('pluginInputs', () => {
  it('falls back to ^default where nx.json names no production input', () => {
    expect(pluginInputs(true, context('/ws', {}))).toEqual(['^default']);
    expect(pluginInputs(true, context('/ws'))).toEqual(['^production']);
  });
});

describe('createNodes: clusters that claim the same sts name', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  /** A workspace holding `files`, and the render target createNodes gives each cluster in it. */
  async function renders(files: Record<string, string>, order = Object.keys(files)) {
    const root = mkdtempSync(join(tmpdir(), 'create-nodes-spec-'));
    roots.push(root);
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), content);
    }
    const results = await projectsFor(order, context(root));
    return Object.fromEntries(
      results.map(({ file, projects }) => [dirname(file).split('/')[1]!, projects[dirname(file)]!.targets!]),
    );
  }
  const cluster = (name: string, credentials: string) =>
    `name: ${name}\nplatform: { type: aws, account_id: "123456789012", region: us-east-1 }\n${credentials}`;

  const FLEET = {
    'clusters/a/cluster.yaml': cluster('a', 'credentials: { cco_mode: manual-sts, sts_name: shared-x }\n'),
    'clusters/b/cluster.yaml': cluster('b', 'credentials:\n  sts_name: shared-x\n'),
    'clusters/c/cluster.yaml': cluster('c', 'credentials: { sts_name: c-k3x9q }\n'),
    // No sts_name: the cluster name is its sts name, which e takes.
    'clusters/d/cluster.yaml': cluster('d', ''),
    // Outside the scanner's subset (a quoted key): parsed.
    'clusters/e/cluster.yaml': cluster('e', 'credentials:\n  "sts_name": d\n'),
    // Does not parse: claims nothing, and breaks nothing.
    'clusters/f/cluster.yaml': 'name: [f\ncredentials: { sts_name: c-k3x9q }\n',
    // Over the size limit: render refuses it before reading it, so it claims nothing either.
    'clusters/g/cluster.yaml': `${cluster('g', 'credentials: { sts_name: c-k3x9q }\n')}# ${'x'.repeat(1024 * 1024)}\n`,
  };

  it("gives render the other clusters' files as an option and as inputs, only where they collide", async () => {
    const targets = await renders(FLEET);
    expect(targets['a']!.render!.options).toEqual({ stsNameSharedWith: ['clusters/b/cluster.yaml'] });
    expect(targets['b']!.render!.options).toEqual({ stsNameSharedWith: ['clusters/a/cluster.yaml'] });
    expect(targets['d']!.render!.options).toEqual({ stsNameSharedWith: ['clusters/e/cluster.yaml'] });
    expect(targets['e']!.render!.options).toEqual({ stsNameSharedWith: ['clusters/d/cluster.yaml'] });
    expect(targets['a']!.render!.inputs).toContain('{workspaceRoot}/clusters/b/cluster.yaml');
    expect(targets['b']!.render!.inputs).toContain('{workspaceRoot}/clusters/a/cluster.yaml');
    // No collision: the very targets of a workspace without the others, so no other file is in the key.
    const alone = await renders({ 'clusters/c/cluster.yaml': FLEET['clusters/c/cluster.yaml'] });
    expect(targets['c']).toEqual(alone['c']);
    expect(targets['c']!.render!.options).toBeUndefined();
    expect(targets['g']!.render!.options).toBeUndefined();
    expect(targets['f']).toEqual((await renders({ 'clusters/f/cluster.yaml': FLEET['clusters/f/cluster.yaml'] }))['f']);
    // Only render changes for a collision.
    const aAlone = (await renders({ 'clusters/a/cluster.yaml': FLEET['clusters/a/cluster.yaml'] }))['a']!;
    expect(aAlone.render!.options).toBeUndefined();
    for (const step of TARGET_NAMES.filter((s) => s !== 'render')) expect(targets['a']![step]).toEqual(aAlone[step]);
  });

  it('names all the others when three clusters claim one sts name', async () => {
    const targets = await renders({
      'clusters/x/cluster.yaml': cluster('x', 'credentials: { sts_name: one }\n'),
      'clusters/y/cluster.yaml': cluster('y', 'credentials: { sts_name: one }\n'),
      'clusters/z/cluster.yaml': cluster('z', 'credentials: { sts_name: one }\n'),
    });
    expect(targets['y']!.render!.options).toEqual({
      stsNameSharedWith: ['clusters/x/cluster.yaml', 'clusters/z/cluster.yaml'],
    });
  });

  it('is deterministic whatever the order of the files', async () => {
    const files = Object.keys(FLEET);
    const forward = await renders(FLEET, files);
    const backward = await renders(FLEET, [...files].reverse());
    for (const name of Object.keys(forward)) expect(JSON.stringify(backward[name])).toBe(JSON.stringify(forward[name]));
  });
});
