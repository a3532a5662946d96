/*
 * Golden tests of the render step: __fixtures__/golden/<case>.cluster.yaml is rendered and must give
 * <case>.install-config.yaml byte for byte. After an intended change of the output, regenerate them with
 *   UPDATE_GOLDEN=1 npm run jest -- packages/installer/src/executors/render/render.spec.ts
 * and review the diff.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { ClusterConfigError } from '@ocp-sts/cluster-config';
import { parse } from 'yaml';
import renderExecutor, { type RenderExecutorOptions } from './executor.ts';
import { renderCluster } from './render.ts';

const GOLDEN = join(import.meta.dirname, '__fixtures__', 'golden');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/** Each case's cluster name is the case name, so that it lives in clusters/<case>/. */
const CASES = [
  'manual-sts-3-zones',
  'mint',
  'passthrough',
  'manual',
  'spot-compute',
  'single-node',
  'no-zones',
  'seed-full',
  'user-tags',
  'capabilities-none',
  'fips',
  'machines',
] as const;

interface InstallConfig {
  apiVersion: string;
  baseDomain: string;
  credentialsMode?: string;
  metadata: { name: string };
  controlPlane: Pool;
  compute: Pool[];
  platform: { aws: { region: string } };
  publish: string;
}
interface Pool {
  name: string;
  replicas: number;
  platform: { aws: { type: string; zones?: string[] } };
}

/** What each case is about, checked on the parsed output in addition to the golden bytes. */
interface Expected {
  credentialsMode: string | undefined;
  controlPlane: number;
  compute: number;
  /** Zones in each machine pool; undefined: no zones key at all. */
  zones: number | undefined;
}
const EXPECTED: Record<(typeof CASES)[number], Expected> = {
  'manual-sts-3-zones': { credentialsMode: 'Manual', controlPlane: 3, compute: 3, zones: 3 },
  mint: { credentialsMode: undefined, controlPlane: 3, compute: 2, zones: 2 },
  passthrough: { credentialsMode: 'Passthrough', controlPlane: 3, compute: 3, zones: 1 },
  manual: { credentialsMode: 'Manual', controlPlane: 3, compute: 4, zones: undefined },
  'spot-compute': { credentialsMode: 'Manual', controlPlane: 3, compute: 0, zones: 2 },
  'single-node': { credentialsMode: 'Manual', controlPlane: 1, compute: 0, zones: 1 },
  'no-zones': { credentialsMode: 'Manual', controlPlane: 3, compute: 3, zones: undefined },
  'seed-full': { credentialsMode: 'Manual', controlPlane: 3, compute: 2, zones: 2 },
  'user-tags': { credentialsMode: 'Manual', controlPlane: 3, compute: 3, zones: 1 },
  'capabilities-none': { credentialsMode: 'Manual', controlPlane: 3, compute: 3, zones: 1 },
  fips: { credentialsMode: 'Manual', controlPlane: 3, compute: 3, zones: 1 },
  machines: { credentialsMode: 'Manual', controlPlane: 3, compute: 3, zones: 1 },
};

const workspaces: string[] = [];

/** A fresh workspace folder holding `files` (workspace-relative paths). */
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'render-spec-'));
  workspaces.push(root);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  }
  return root;
}

afterAll(() => {
  for (const root of workspaces) rmSync(root, { recursive: true, force: true });
});

/** Renders clusters/<name>, with no release override from the environment. */
const render = (workspaceRoot: string, name: string) =>
  renderCluster({ workspaceRoot, projectName: name, projectRoot: `clusters/${name}` }, {});

/** Every file under `dir`, by relative path, with its bytes. */
function snapshot(dir: string): Record<string, Buffer> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(
    entries.map((e) => [relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name))]),
  );
}

const golden = (file: string) => readFileSync(join(GOLDEN, file), 'utf8');

/** The render* entries in the cluster's .work folder (the output and any partial sibling of it). */
function renderLeftovers(root: string, name: string): string[] {
  const work = join(root, 'clusters', name, '.work');
  return existsSync(work) ? readdirSync(work).filter((entry) => entry.startsWith('render')) : [];
}

describe('render goldens', () => {
  it('has a cluster.yaml and an install-config.yaml for every case, and nothing else', () => {
    const expected = CASES.flatMap((c) => [`${c}.cluster.yaml`, `${c}.install-config.yaml`]);
    expect(readdirSync(GOLDEN).sort()).toEqual(expected.sort());
  });

  it.each(CASES)('%s renders byte for byte as the golden file', async (name) => {
    const root = workspace({ [`clusters/${name}/cluster.yaml`]: golden(`${name}.cluster.yaml`) });
    const result = await render(root, name);

    expect(result.installConfigPath).toBe(`clusters/${name}/.work/render/install-config.yaml`);
    const path = join(root, result.installConfigPath);
    const written = readFileSync(path);
    expect(written.toString('utf8')).toBe(result.installConfig);
    expect(readdirSync(join(root, 'clusters', name, '.work', 'render'))).toContain('install-config.yaml');

    const goldenFile = join(GOLDEN, `${name}.install-config.yaml`);
    if (UPDATE) writeFileSync(goldenFile, written);
    const expected = readFileSync(goldenFile);
    if (!written.equals(expected)) {
      // Show the difference as text, and say how to accept it if it is intended.
      try {
        expect(written.toString('utf8')).toBe(expected.toString('utf8'));
      } catch (error) {
        (error as Error).message =
          `${name}.install-config.yaml differs from the golden file. If the change is intended, run ` +
          `UPDATE_GOLDEN=1 npm run jest -- packages/installer/src/executors/render/render.spec.ts ` +
          `and review the diff.\n\n${(error as Error).message}`;
        throw error;
      }
      throw new Error(`${name}.install-config.yaml differs from the golden file in its bytes (encoding?)`);
    }
  });

  it.each(CASES)('%s gives the same bytes when rendered again, here or in another workspace', async (name) => {
    const input = golden(`${name}.cluster.yaml`);
    const output = (root: string) => join(root, 'clusters', name, '.work', 'render');
    const first = workspace({ [`clusters/${name}/cluster.yaml`]: input });
    await render(first, name);
    const once = snapshot(output(first));
    expect(Object.keys(once)).toContain('install-config.yaml');
    await render(first, name);
    expect(snapshot(output(first))).toEqual(once);
    expect(renderLeftovers(first, name)).toEqual(['render']);

    const second = workspace({ [`clusters/${name}/cluster.yaml`]: input });
    await render(second, name);
    expect(snapshot(output(second))).toEqual(once);
  });

  it.each(CASES)('%s holds no secret and nothing the installer must not see', (name) => {
    const text = golden(`${name}.install-config.yaml`);
    expect(text).not.toMatch(/^\s*"?(pullSecret|sshKey)"?\s*:/m);
    const config = parse(text) as InstallConfig & Record<string, unknown>;
    expect(Object.keys(config)).not.toContain('pullSecret');
    expect(Object.keys(config)).not.toContain('sshKey');
    // Values of the keys that are for this tool alone (secret paths, profile, STS name, gitops, hosted zone).
    const input = golden(`${name}.cluster.yaml`);
    const privateValues = [
      ...input.matchAll(
        /(?:pull_secret_file|ssh_public_key_file|aws_profile|sts_name|repo_url|hosted_zone_id|permissions_boundary_arn): ([^,}\n]+)/g,
      ),
    ]
      .map((m) => m[1]!.trim())
      .filter((v) => v !== 'null');
    for (const value of privateValues) expect(text).not.toContain(value);
  });

  it.each(CASES)('%s renders what the case is about', (name) => {
    const config = parse(golden(`${name}.install-config.yaml`)) as InstallConfig;
    const want = EXPECTED[name];
    expect(config.metadata.name).toBe(name);
    expect(config.credentialsMode).toBe(want.credentialsMode);
    expect(config.controlPlane.replicas).toBe(want.controlPlane);
    expect(config.compute.map((p) => p.replicas)).toEqual([want.compute]);
    for (const pool of [config.controlPlane, ...config.compute]) {
      expect(pool.platform.aws.zones?.length).toBe(want.zones);
      if (want.zones === undefined) expect(Object.keys(pool.platform.aws)).toEqual(['type']);
    }
  });
});

describe('render records where the secret files are (the manifests target hashes a digest of each)', () => {
  const good = golden('manual-sts-3-zones.cluster.yaml').replaceAll('manual-sts-3-zones', 'c');
  const recorded = (root: string) =>
    JSON.parse(readFileSync(join(root, 'clusters/c/.work/render/slices/manifests.json'), 'utf8')) as unknown;

  it('records the default paths, workspace-relative, and no content', async () => {
    const root = workspace({ 'clusters/c/cluster.yaml': good, 'secrets/c/pull-secret.json': '{"auths":{}}' });
    await render(root, 'c');
    expect(recorded(root)).toEqual({ pullSecret: 'secrets/c/pull-secret.json', sshPublicKey: 'secrets/c/ssh.pub' });
  });

  it('records the paths cluster.yaml or clusters/defaults.yaml name instead (an absolute one as it is)', async () => {
    const root = workspace({
      'clusters/c/cluster.yaml': `${good}secrets:\n  ssh_public_key_file: /etc/keys/c.pub\n`,
      'clusters/defaults.yaml': 'secrets:\n  pull_secret_file: shared/pull-secret.json\n',
    });
    await render(root, 'c');
    expect(recorded(root)).toEqual({ pullSecret: 'shared/pull-secret.json', sshPublicKey: '/etc/keys/c.pub' });
  });
});

describe('render of a bad cluster.yaml', () => {
  const good = golden('manual-sts-3-zones.cluster.yaml').replaceAll('manual-sts-3-zones', 'c');
  const bad = good.replace('compute_replicas: 3\n', 'compute_replicas: three\n');

  it('removes the previous output and writes nothing', async () => {
    const root = workspace({ 'clusters/c/cluster.yaml': good });
    await render(root, 'c');
    expect(renderLeftovers(root, 'c')).toEqual(['render']);

    writeFileSync(join(root, 'clusters', 'c', 'cluster.yaml'), bad);
    await expect(render(root, 'c')).rejects.toThrow(ClusterConfigError);
    expect(renderLeftovers(root, 'c')).toEqual([]);
  });

  it('writes nothing when it was never rendered', async () => {
    const root = workspace({ 'clusters/c/cluster.yaml': bad });
    await expect(render(root, 'c')).rejects.toThrow(
      'clusters/c/cluster.yaml:14:3 openshift.compute_replicas: expected a whole number >= 0, got "three"',
    );
    expect(renderLeftovers(root, 'c')).toEqual([]);
  });

  it('removes the previous output when the problem is in clusters/defaults.yaml', async () => {
    const root = workspace({ 'clusters/c/cluster.yaml': good });
    await render(root, 'c');
    writeFileSync(join(root, 'clusters', 'defaults.yaml'), 'name: shared\n');
    await expect(render(root, 'c')).rejects.toThrow('clusters/defaults.yaml:1:1 name:');
    expect(renderLeftovers(root, 'c')).toEqual([]);
  });
});

describe('render of clusters that claim the same sts name', () => {
  const base = golden('manual-sts-3-zones.cluster.yaml');
  /** clusters/<name>/cluster.yaml with that name and sts_name (none: the line removed). */
  const cluster = (name: string, stsName: string | undefined) =>
    base
      .replace('name: manual-sts-3-zones', `name: ${name}`)
      .replace('  sts_name: manual-sts-3-zones-k3x9q\n', stsName === undefined ? '' : `  sts_name: ${stsName}\n`);
  const renderSharing = (root: string, name: string, shared: string[]) =>
    renderCluster({ workspaceRoot: root, projectName: name, projectRoot: `clusters/${name}` }, {}, shared);

  it('fails for both, naming each file and line and the fix, and leaves no output', async () => {
    const root = workspace({
      'clusters/a/cluster.yaml': cluster('a', 'shared-x'),
      'clusters/b/cluster.yaml': `# b came second\n${cluster('b', 'shared-x')}`,
    });
    await render(root, 'a'); // an earlier render, before the graph knew of b
    for (const [name, other] of [
      ['a', 'clusters/b/cluster.yaml'],
      ['b', 'clusters/a/cluster.yaml'],
    ] as const) {
      const error = await renderSharing(root, name, [other]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClusterConfigError);
      const { message, problems } = error as ClusterConfigError;
      expect(message.split('\n')[0]).toBe('2 problems in clusters/a/cluster.yaml, clusters/b/cluster.yaml:');
      expect(problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.key}`)).toEqual([
        'clusters/a/cluster.yaml:19:3 credentials.sts_name',
        'clusters/b/cluster.yaml:20:3 credentials.sts_name',
      ]);
      expect(problems[0]!.message).toMatch(
        /^"shared-x" is also the sts name of clusters\/b\/cluster\.yaml:20:3: one sts name is one OIDC issuer \(bucket "shared-x-oidc"\) .* destroying either cluster would delete the other's\. .* here e\.g\. "a-[a-z0-9]{5}" \(the generator's way/,
      );
      expect(problems[1]!.message).toMatch(/^"shared-x" is also the sts name of clusters\/a\/cluster\.yaml:19:3: /);
      expect(problems[1]!.message).toMatch(/e\.g\. "b-[a-z0-9]{5}"/);
      expect(renderLeftovers(root, name)).toEqual([]);
    }
  });

  it('locates a cluster without sts_name at its name, whose sts name it is', async () => {
    const root = workspace({
      'clusters/d/cluster.yaml': cluster('d', undefined),
      'clusters/e/cluster.yaml': cluster('e', 'd'),
    });
    await expect(renderSharing(root, 'e', ['clusters/d/cluster.yaml'])).rejects.toThrow(
      'clusters/d/cluster.yaml:2:1 name: sets no credentials.sts_name, so its sts name is the cluster name "d", which is also the sts name of clusters/e/cluster.yaml:19:3: one sts name',
    );
  });

  it('renders when the named files do not claim its sts name (or are gone)', async () => {
    const root = workspace({
      'clusters/a/cluster.yaml': cluster('a', 'a-k3x9q'),
      'clusters/b/cluster.yaml': cluster('b', 'b-k3x9q'),
      'clusters/c/cluster.yaml': 'name: [c\n',
    });
    const shared = ['clusters/b/cluster.yaml', 'clusters/c/cluster.yaml', 'clusters/gone/cluster.yaml'];
    const result = await renderSharing(root, 'a', shared);
    expect(result.loaded.stsName).toBe('a-k3x9q');
  });
});

describe('render executor', () => {
  /** Runs the executor for clusters/<name>, capturing what it prints. */
  async function runExecutor(root: string, name: string, options: RenderExecutorOptions = {}) {
    const context = {
      root,
      cwd: root,
      isVerbose: false,
      projectName: name,
      targetName: 'render',
      projectsConfigurations: { version: 2, projects: { [name]: { root: `clusters/${name}` } } },
    } as unknown as ExecutorContext;
    const stdout: string[] = [];
    const stderr: string[] = [];
    const log = console.log;
    const write = process.stderr.write.bind(process.stderr);
    console.log = (...args: unknown[]) => {
      stdout.push(`${args.map(String).join(' ')}\n`);
    };
    process.stderr.write = (chunk: string | Uint8Array) => {
      stderr.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    try {
      const result = await renderExecutor(options, context);
      return { result, stdout: stdout.join(''), stderr: stderr.join('') };
    } finally {
      console.log = log;
      process.stderr.write = write;
    }
  }

  it('reports success, and prints the config only when asked', async () => {
    const name = 'manual-sts-3-zones';
    const root = workspace({ [`clusters/${name}/cluster.yaml`]: golden(`${name}.cluster.yaml`) });
    const quiet = await runExecutor(root, name);
    expect(quiet.result).toEqual({ success: true });
    expect(quiet.stdout.split('\n')[0]).toBe(
      `rendered clusters/${name}/.work/render/install-config.yaml (us-east-1, cco_mode manual-sts, 3 control plane + 3 compute)`,
    );
    expect(quiet.stdout).not.toContain('apiVersion');
    expect(quiet.stderr).toBe('');
    const loud = await runExecutor(root, name, { print: true });
    expect(loud.stdout).toContain(golden(`${name}.install-config.yaml`));
  });

  it('logs what it rendered to .work/logs/render.log, and a failure, without the pull secret', async () => {
    const name = 'manual-sts-3-zones';
    const root = workspace({
      [`clusters/${name}/cluster.yaml`]: golden(`${name}.cluster.yaml`),
      [`secrets/${name}/pull-secret.json`]: '{"auths":{"quay.io":{"auth":"c2VjcmV0LXB1bGwtdG9rZW4="}}}',
    });
    const logFile = join(root, 'clusters', name, '.work', 'logs', 'render.log');
    await runExecutor(root, name);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toMatch(/^# \S+ render$/m);
    expect(log).toContain(
      `rendered clusters/${name}/.work/render/install-config.yaml (us-east-1, cco_mode manual-sts, 3 control plane + 3 compute)`,
    );
    expect(log).toMatch(/^release \S+: \S+ \(from /m);
    expect(log).not.toContain('c2VjcmV0LXB1bGwtdG9rZW4=');
    expect(log).not.toContain('auths');

    writeFileSync(join(root, 'clusters', name, 'cluster.yaml'), 'name: nope\n');
    expect((await runExecutor(root, name)).result).toEqual({ success: false });
    expect(readFileSync(logFile, 'utf8')).toMatch(/^failed: /m);
    expect(readFileSync(logFile, 'utf8').match(/^# \S+ render$/gm)).toHaveLength(2);
  });

  it('prints the machine counts of the install-config it wrote: 0 compute for spot', async () => {
    const name = 'spot-compute';
    const root = workspace({ [`clusters/${name}/cluster.yaml`]: golden(`${name}.cluster.yaml`) });
    expect(golden(`${name}.cluster.yaml`)).toContain('compute_replicas: 6');
    const { result, stdout } = await runExecutor(root, name);
    expect(result).toEqual({ success: true });
    expect(stdout.split('\n')[0]).toBe(
      `rendered clusters/${name}/.work/render/install-config.yaml (us-east-1, cco_mode manual-sts, 3 control plane + 0 compute)`,
    );
  });

  it('prints the single-node counts and renders its default 8-vCPU type', async () => {
    const name = 'single-node';
    const root = workspace({ [`clusters/${name}/cluster.yaml`]: golden(`${name}.cluster.yaml`) });
    const { result, stdout } = await runExecutor(root, name);
    expect(result).toEqual({ success: true });
    expect(stdout.split('\n')[0]).toBe(
      `rendered clusters/${name}/.work/render/install-config.yaml (ap-southeast-2, cco_mode manual-sts, 1 control plane + 0 compute)`,
    );
    const written = parse(readFileSync(join(root, 'clusters', name, '.work', 'render', 'install-config.yaml'), 'utf8'));
    expect((written as InstallConfig).controlPlane.platform.aws.type).toBe('m6i.2xlarge');
  });

  it('prints the sts_name warning on stderr', async () => {
    const input = golden('mint.cluster.yaml').replace('cco_mode: mint', 'cco_mode: manual-sts');
    const root = workspace({ 'clusters/mint/cluster.yaml': input });
    const { result, stderr } = await runExecutor(root, 'mint');
    expect(result).toEqual({ success: true });
    expect(stderr).toMatch(/^warning: clusters\/mint\/cluster\.yaml: credentials\.sts_name is not set/);
  });

  it('fails on the stsNameSharedWith option the plugin sets when another cluster claims the sts name', async () => {
    const input = golden('manual-sts-3-zones.cluster.yaml');
    const root = workspace({
      'clusters/manual-sts-3-zones/cluster.yaml': input,
      'clusters/twin/cluster.yaml': input.replace('name: manual-sts-3-zones', 'name: twin'),
    });
    const { result, stdout, stderr } = await runExecutor(root, 'twin', {
      stsNameSharedWith: ['clusters/manual-sts-3-zones/cluster.yaml'],
    });
    expect(result).toEqual({ success: false });
    expect(stdout).toBe('');
    const lines = stderr.split('\n');
    expect(lines[1]).toBe(
      'render failed: 2 problems in clusters/manual-sts-3-zones/cluster.yaml, clusters/twin/cluster.yaml:',
    );
    expect(lines[2]).toMatch(
      /^ {2}clusters\/manual-sts-3-zones\/cluster\.yaml:19:3 credentials\.sts_name: "manual-sts-3-zones-k3x9q" is also the sts name of clusters\/twin\/cluster\.yaml:19:3: /,
    );
    expect(lines[3]).toMatch(/^ {2}clusters\/twin\/cluster\.yaml:19:3 credentials\.sts_name: /);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  });

  it('fails with every problem located and no stack trace', async () => {
    const root = workspace({
      'clusters/c/cluster.yaml': golden('mint.cluster.yaml')
        .replace('name: mint', 'name: c')
        .replace("version: '4.15.38'", 'version: 4.10')
        .replace('cco_mode: mint', 'cco_mode: mintt'),
    });
    const { result, stdout, stderr } = await runExecutor(root, 'c');
    expect(result).toEqual({ success: false });
    expect(stdout).toBe('');
    expect(stderr).toBe(
      '\nrender failed: 2 problems in clusters/c/cluster.yaml:\n' +
        '  clusters/c/cluster.yaml:6:3 openshift.version: expected an OpenShift version as a quoted string like "4.16" or "4.16.3", got 4.10 (a number; if it is meant as text, quote it: "4.10")\n' +
        '  clusters/c/cluster.yaml:10:3 credentials.cco_mode: expected one of "mint", "passthrough", "manual", "manual-sts", got "mintt"\n\n',
    );
    expect(renderLeftovers(root, 'c')).toEqual([]);
  });
});
