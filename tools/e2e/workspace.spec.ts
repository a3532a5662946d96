/*
 * End to end: real `nx` commands, as child processes on the pinned Node, in a temporary git copy of this workspace.
 * Covers project inference, the render target's caching, the cluster generator and `nx affected`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TARGET_NAMES } from '../../packages/nx-plugin/src/graph/targets.ts';
import { payloadOf, startUpdateService } from '../update-service/service.ts';
import { createTempWorkspace, REPO_ROOT, sampleClusterYaml, type TempWorkspace } from '../testing/workspace.ts';

const CACHED = /\[(local|remote) cache\]|existing outputs match the cache/;

/** Whether `nx run` took the task from the cache. */
function fromCache(output: string): boolean {
  return CACHED.test(output);
}

describe('the workspace, through real nx', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = createTempWorkspace({
      files: {
        'clusters/example/cluster.yaml': readFileSync(join(REPO_ROOT, 'clusters/example/cluster.yaml'), 'utf8'),
      },
    });
  });
  afterAll(() => {
    ws.remove();
  });

  it('infers the example cluster with the targets fully described', () => {
    expect(ws.nx('show', 'projects').split('\n')).toContain('example');
    const project = JSON.parse(ws.nx('show', 'project', 'example', '--json')) as {
      tags: string[];
      targets: Record<string, { dependsOn?: string[]; inputs?: unknown[]; outputs?: string[]; cache?: boolean }>;
    };
    expect(project.tags).toContain('type:cluster');
    expect(Object.keys(project.targets).sort()).toEqual([...TARGET_NAMES].sort());
    expect(project.targets.inject).toMatchObject({
      dependsOn: ['manifests', 'ccoctl'],
      cache: true,
      outputs: ['{projectRoot}/.work/staged'],
    });
    expect(project.targets.render?.inputs).toContain('{projectRoot}/cluster.yaml');
    expect(project.targets.install).toMatchObject({ dependsOn: ['preflight', 'inject', 'verify'], cache: false });
    expect(project.targets.unlock).toMatchObject({ executor: '@ocp-sts/state:unlock', cache: false });
    expect(project.targets.kubeconfig).toMatchObject({ executor: '@ocp-sts/installer:kubeconfig', cache: false });
    expect(project.targets.unlock?.dependsOn ?? []).toEqual([]);
  });

  it('renders once, then takes render from the cache until cluster.yaml, defaults.yaml or the plugin change', () => {
    const first = ws.nx('run', 'example:render');
    expect(fromCache(first)).toBe(false);
    expect(existsSync(join(ws.root, 'clusters/example/.work/render/install-config.yaml'))).toBe(true);
    expect(fromCache(ws.nx('run', 'example:render'))).toBe(true);

    const clusterFile = join(ws.root, 'clusters/example/cluster.yaml');
    ws.write(
      'clusters/example/cluster.yaml',
      readFileSync(clusterFile, 'utf8').replace(/compute_replicas: 3/, 'compute_replicas: 4'),
    );
    expect(fromCache(ws.nx('run', 'example:render'))).toBe(false);
    expect(fromCache(ws.nx('run', 'example:render'))).toBe(true);

    // example sets its instance types itself (the cluster wins), but not the market.
    ws.write('clusters/defaults.yaml', 'openshift:\n  compute_market: spot\n  instance_type_compute: m6i.2xlarge\n');
    expect(fromCache(ws.nx('run', 'example:render'))).toBe(false);
    const rendered = parse(readFileSync(join(ws.root, 'clusters/example/.work/render/install-config.yaml'), 'utf8'));
    expect(rendered.compute[0].platform.aws.type).toBe('m6i.xlarge');
    expect(rendered.compute[0].replicas).toBe(0);

    const source = join(ws.root, 'packages/cluster-config/src/install-config.ts');
    ws.write('packages/cluster-config/src/install-config.ts', `${readFileSync(source, 'utf8')}\n// touched\n`);
    expect(fromCache(ws.nx('run', 'example:render'))).toBe(false);
    expect(fromCache(ws.nx('run', 'example:render'))).toBe(true);
  });

  it('scaffolds a cluster with the generator that renders without secrets, pinning an X.Y version', async () => {
    ws.nx(
      'g',
      '@ocp-sts/nx-plugin:cluster',
      'demo2',
      '--region=eu-west-1',
      '--baseDomain=example.org',
      '--accountId=012345678901',
      '--openshiftVersion=4.10',
      '--no-interactive',
    );
    const written = parse(readFileSync(join(ws.root, 'clusters/demo2/cluster.yaml'), 'utf8'));
    expect(written.platform.account_id).toBe('012345678901');
    expect(written.openshift.version).toBe('4.10');

    // Unpinned, "4.10" names no single release: render says how to pin it, and writes nothing (it is cached on the pin).
    let unpinned = '';
    try {
      ws.nx('run', 'demo2:render');
    } catch (error) {
      unpinned = (error as { output: string }).output;
    }
    expect(unpinned).toContain(
      'openshift.version "4.10" is a minor version, and clusters/demo2/release.lock.json pins no release of stable-4.10: run nx run demo2:pin-release',
    );
    expect(existsSync(join(ws.root, 'clusters/demo2/release.lock.json'))).toBe(false);
    // pin-release pins it to the newest 4.10.z of stable-4.10, from an update service on loopback.
    const service = await startUpdateService({ 'stable-4.10': ['4.10.3', '4.10.67', '4.10.9'] });
    try {
      ws.run(join(ws.root, 'node_modules/.bin/nx'), ['run', 'demo2:pin-release'], {
        env: { OCP_STS_UPDATE_SERVICE: service.url },
      });
    } finally {
      service.stop();
    }
    ws.run(join(ws.root, 'node_modules/.bin/nx'), ['run', 'demo2:render']);
    const lock = JSON.parse(readFileSync(join(ws.root, 'clusters/demo2/release.lock.json'), 'utf8'));
    expect(lock).toEqual({ channel: 'stable-4.10', version: '4.10.67', image: payloadOf('4.10.67') });
    const text = readFileSync(join(ws.root, 'clusters/demo2/.work/render/install-config.yaml'), 'utf8');
    const installConfig = parse(text);
    expect(installConfig.credentialsMode).toBe('Manual');
    expect(installConfig).not.toHaveProperty('pullSecret');
    expect(installConfig).not.toHaveProperty('sshKey');
    // With the pin in place, render needs no update service (the one above is gone).
    const again = ws.run(join(ws.root, 'node_modules/.bin/nx'), ['run', 'demo2:render', '--skip-nx-cache'], {
      env: { OCP_STS_UPDATE_SERVICE: 'http://127.0.0.1:9/unreachable' },
    });
    expect(again).toContain('release 4.10.67');
  });
});

describe('nx affected with three clusters', () => {
  let ws: TempWorkspace;
  const affectedClusters = () =>
    ws
      .nx('show', 'projects', '--affected', '--base=HEAD', '--projects=tag:type:cluster')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort();

  beforeAll(() => {
    ws = createTempWorkspace({
      files: Object.fromEntries(
        ['one', 'two', 'three'].map((n) => [`clusters/${n}/cluster.yaml`, sampleClusterYaml(n)]),
      ),
    });
  });
  afterAll(() => {
    ws.remove();
  });
  afterEach(() => {
    ws.git('checkout', '--', '.');
    ws.git('clean', '-fdq', 'clusters');
  });

  it('with --dry-run, lists the file without claiming it was created; refuses a region that does not exist', () => {
    const flags = ['--baseDomain=example.org', '--accountId=012345678901', '--openshiftVersion=4.16.3'];
    const dry = ws.nx('g', '@ocp-sts/nx-plugin:cluster', 'dry', '--region=eu-west-1', ...flags, '--dry-run');
    expect(dry).toMatch(/CREATE clusters\/dry\/cluster\.yaml/);
    expect(dry).not.toContain('Created');
    expect(existsSync(join(ws.root, 'clusters/dry/cluster.yaml'))).toBe(false);
    const error = (() => {
      try {
        ws.nx('g', '@ocp-sts/nx-plugin:cluster', 'moon', '--region=us-moon-1', ...flags, '--no-interactive');
      } catch (e) {
        return (e as { output: string }).output;
      }
      return 'accepted';
    })();
    expect(error).toMatch(/--region: us-moon-1 is not a region of the AWS partition aws \(did you mean/);
    expect(existsSync(join(ws.root, 'clusters/moon'))).toBe(false);
  });

  it('marks exactly the edited cluster affected, and renders only it', () => {
    ws.write('clusters/two/cluster.yaml', sampleClusterYaml('two', { compute_replicas: 6 }));
    expect(affectedClusters()).toEqual(['two']);
    const output = ws.nx('affected', '-t', 'render', '--base=HEAD');
    expect(output).toContain('nx run two:render');
    expect(output).not.toMatch(/nx run (one|three):render/);
  });

  it('marks every cluster affected when the plugin source changes', () => {
    const source = join(ws.root, 'packages/toolchain/src/output-dir.ts');
    ws.write('packages/toolchain/src/output-dir.ts', `${readFileSync(source, 'utf8')}\n// touched\n`);
    expect(affectedClusters()).toEqual(['one', 'three', 'two']);
  });

  it('marks every cluster affected when clusters/defaults.yaml changes', () => {
    ws.write('clusters/defaults.yaml', 'openshift:\n  compute_replicas: 2\n');
    expect(affectedClusters()).toEqual(['one', 'three', 'two']);
  });

  /** Cluster `one` taking the sts name of `two`. */
  const oneTakesTwosStsName = () => sampleClusterYaml('one').replace('sts_name: one-abcde', 'sts_name: two-abcde');
  const nxFails = (...args: string[]) => {
    try {
      ws.nx(...args);
    } catch (error) {
      return (error as { output: string }).output;
    }
    throw new Error(`nx ${args.join(' ')} succeeded`);
  };

  it('fails render of both clusters that claim one sts name, naming both files; the other stays cached', () => {
    ws.nx('run-many', '-t', 'render');
    expect(fromCache(ws.nx('run', 'two:render'))).toBe(true);

    ws.write('clusters/one/cluster.yaml', oneTakesTwosStsName());
    const output = nxFails('run-many', '-t', 'render');
    const one =
      'clusters/one/cluster.yaml:6:38 credentials.sts_name: "two-abcde" is also the sts name of clusters/two/cluster.yaml:6:38:';
    const two =
      'clusters/two/cluster.yaml:6:38 credentials.sts_name: "two-abcde" is also the sts name of clusters/one/cluster.yaml:6:38:';
    // Each render prints both problems: two's, whose cluster.yaml did not change, fails too.
    expect(output.split('\n').filter((line) => line.includes(one))).toHaveLength(2);
    expect(output.split('\n').filter((line) => line.includes(two))).toHaveLength(2);
    expect(output).toMatch(/Failed tasks:\n\n(- (one|two):render\n){2}/);
    expect(output).toMatch(/nx run three:render {2}\[local cache\]/);

    // Back: two's render key is the one before the collision again.
    ws.write('clusters/one/cluster.yaml', sampleClusterYaml('one'));
    expect(fromCache(ws.nx('run', 'two:render'))).toBe(true);
    expect(fromCache(ws.nx('run', 'one:render'))).toBe(true);
  });

  it('marks the cluster whose sts name is taken affected too, and not once the collision is gone', () => {
    ws.write('clusters/one/cluster.yaml', oneTakesTwosStsName());
    // two's render now hashes clusters/one/cluster.yaml (a {workspaceRoot} input), so editing it affects two.
    expect(affectedClusters()).toEqual(['one', 'two']);
    // The same with Nx's task selection, which matches changed files against each task's inputs.
    const tasks = ws.run(
      join(ws.root, 'node_modules', '.bin', 'nx'),
      ['show', 'projects', '--affected', '--base=HEAD', '-t', 'render'],
      {
        env: { NX_LEGACY_AFFECTED: 'false' },
      },
    );
    expect(
      tasks
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .sort(),
    ).toEqual(['one', 'two']);
    const output = nxFails('affected', '-t', 'render', '--base=HEAD');
    expect(output).toMatch(/Failed tasks:\n\n(- (one|two):render\n){2}/);
    expect(output).not.toContain('three:render');

    // The fix of a committed collision: two no longer reads one's file, so only one is affected.
    ws.git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-qam', 'collision');
    try {
      ws.write('clusters/one/cluster.yaml', sampleClusterYaml('one'));
      expect(affectedClusters()).toEqual(['one']);
    } finally {
      ws.git('reset', '-q', '--hard', 'HEAD~1');
    }
  });
});
