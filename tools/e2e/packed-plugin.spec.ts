/*
 * End to end: the plugin as another team gets it. The seven packages are compiled and packed (tools/publish), an empty
 * Nx workspace is made in a temporary folder, npm installs the tarballs into it (the registry is the only network:
 * nx, the AWS SDK and the rest come from it), `nx add` runs the init generator, the cluster generator scaffolds a
 * cluster, and the whole sandbox pipeline (this repository's stand-ins, the AWS emulator) installs, verifies and
 * destroys it there; `init --ci=github` writes the workflows, whose bins run from the package, and `nx migrate` runs
 * the plugin's migration. Nothing of this repository is linked into that workspace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { awsClients } from '@ocp-sts/aws';
import { findStsResources } from '@ocp-sts/sts';
import { buildPackages, packPackages } from '../publish/build.ts';
import type { PublishedManifest } from '../publish/manifest.ts';
import { STAND_IN_BIN, uniqueName } from '../testing/cluster-workspace.ts';
import { REPO_ROOT, workspaceAt, type TempWorkspace } from '../testing/workspace.ts';
import { ensureSandboxSecrets } from '../sandbox/secrets.ts';

const NX_VERSION = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/nx/package.json'), 'utf8')) as {
    version: string;
  }
).version;
const SETUP_TIMEOUT_MS = 10 * 60_000;
const REGION = 'us-east-1';

/** npm's own variables of the `npm test` that runs jest (its prefix is this repository): none reach the workspace. */
const withoutNpmVariables: NodeJS.ProcessEnv = Object.fromEntries(
  Object.keys(process.env)
    .filter((key) => /^npm_/i.test(key))
    .map((key) => [key, undefined]),
);

const tarList = (tarball: string) =>
  execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));
const tarRead = (tarball: string, file: string) =>
  execFileSync('tar', ['-xzOf', tarball, `package/${file.replace(/^\.\//, '')}`], { encoding: 'utf8' });

describe('the packed plugin in a new Nx workspace', () => {
  let scratch: string;
  let tarballs: string[];
  let ws: TempWorkspace;
  /** nx of the new workspace, in the sandbox setup: the stand-ins first on PATH, the emulator's AWS variables. */
  let nx: (...args: string[]) => string;

  beforeAll(() => {
    ws = workspaceAt(mkdtempSync(join(tmpdir(), 'ocp-sts-newcomer-')));
    scratch = mkdtempSync(join(tmpdir(), 'ocp-sts-packed-'));
    tarballs = packPackages(buildPackages(join(scratch, 'packages')), join(scratch, 'tarballs'));
    const env = {
      ...withoutNpmVariables,
      PATH: `${STAND_IN_BIN}:${join(ws.root, 'node_modules/.bin')}:${ws.env().PATH ?? ''}`,
    };
    nx = (...args) => ws.run(join(ws.root, 'node_modules/.bin/nx'), args, { env });
    // An empty Nx workspace, as `npx create-nx-workspace --preset=npm` leaves it; CommonJS, unlike this repository.
    ws.write('package.json', `${JSON.stringify({ name: 'platform-clusters', private: true }, null, 2)}\n`);
    ws.write('nx.json', `${JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json' }, null, 2)}\n`);
    ws.write('.gitignore', 'node_modules\n');
    ws.git('init', '-q', '-b', 'main');
    const npm = (...args: string[]) =>
      ws.run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { env: withoutNpmVariables });
    npm('install', '--save-dev', `nx@${NX_VERSION}`);
    ws.git('add', '-A');
    ws.git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-qm', 'empty Nx workspace');
    // The plugin's dependencies first: with no registry holding them, each tarball is named once.
    npm('install', '--save-dev', ...tarballs.filter((t) => !basename(t).startsWith('ocp-sts-nx-plugin-')));
  }, SETUP_TIMEOUT_MS);

  afterAll(() => {
    ws.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('packs seven packages of compiled JavaScript and types, no tests, every file their manifests name', () => {
    expect(tarballs.map((t) => basename(t))).toHaveLength(7);
    for (const tarball of tarballs) {
      const files = tarList(tarball);
      const manifest = JSON.parse(tarRead(tarball, 'package.json')) as PublishedManifest;
      const name = manifest.name;
      expect([name, files.filter((f) => /\.spec\.|__fixtures__|testdata|(?<!\.d)\.ts$/.test(f))]).toEqual([name, []]);
      const named: string[] = [];
      for (const target of Object.values(manifest.exports ?? {})) {
        if (typeof target === 'string') named.push(target);
        else named.push(target.types, target.default);
      }
      named.push(...Object.values(manifest.bin ?? {}));
      for (const collection of [manifest.executors, manifest.generators, manifest['nx-migrations']?.migrations]) {
        if (!collection) continue;
        named.push(collection);
        const entries = Object.values(
          JSON.parse(tarRead(tarball, collection)) as Record<string, Record<string, Record<string, string>>>,
        ).flatMap((group) => Object.values(group));
        for (const entry of entries) {
          const code = entry['implementation'] ?? entry['factory'];
          expect([name, code]).toEqual([name, expect.stringMatching(/\.js$/)]);
          named.push(code!, ...(entry['schema'] ? [entry['schema']] : []));
        }
      }
      // A subpath pattern's `*` (`./src/executors/*/target.js`) stands for any string: it names the files it matches.
      const shipped = (path: string) => {
        const [before, after] = path.split('*') as [string, string?];
        return after === undefined
          ? files.includes(before)
          : files.some((f) => f.length > before.length + after.length && f.startsWith(before) && f.endsWith(after));
      };
      const missing = named.map((f) => f.replace(/^\.\//, '')).filter((f) => !shipped(f));
      expect([name, missing]).toEqual([name, []]);
      for (const bin of Object.values(manifest.bin ?? {})) {
        expect(tarRead(tarball, bin).startsWith('#!/usr/bin/env node\n')).toBe(true);
      }
      // Ranges for Nx, so that a workspace on a newer 23.x keeps one copy of it; the siblings at exactly this version.
      for (const range of Object.values(manifest.peerDependencies ?? {})) expect(range).toMatch(/^\^23\./);
      for (const [dep, version] of Object.entries(manifest.dependencies ?? {})) {
        if (dep.startsWith('@ocp-sts/')) expect([dep, version]).toEqual([dep, manifest.version]);
      }
    }
  });

  it('is added with nx add, whose init registers the plugin and keeps secrets and work dirs out of git', () => {
    const nxPlugin = tarballs.find((t) => basename(t).startsWith('ocp-sts-nx-plugin-'))!;
    const added = nx('add', `@ocp-sts/nx-plugin@file:${nxPlugin}`);
    expect(added).toContain('Package @ocp-sts/nx-plugin added successfully.');
    const nxJson = JSON.parse(readFileSync(join(ws.root, 'nx.json'), 'utf8')) as Record<string, unknown>;
    expect(nxJson['plugins']).toEqual(['@ocp-sts/nx-plugin']);
    expect(nxJson['cacheDirectory']).toBe('.nx/cache');
    const ignored = readFileSync(join(ws.root, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['secrets/', 'clusters/*/.work/', '.nx/cache/']));
    // Installed, not linked: Node strips no types under node_modules, so this loads only the compiled plugin.
    expect(statSync(join(ws.root, 'node_modules/@ocp-sts/nx-plugin')).isDirectory()).toBe(true);
    const projects = nx('show', 'projects');
    expect(projects).not.toContain('Failed to load');
    // Comments only: it sets nothing until the team uncomments what its clusters share.
    expect(readFileSync(join(ws.root, 'clusters/defaults.yaml'), 'utf8')).toMatch(/^(#.*)?(\n(#.*)?)*$/);
  });

  it('writes the GitHub workflows with init --ci=github, and their bins run from the installed package', () => {
    const written = nx('g', '@ocp-sts/nx-plugin:init', '--ci=github', '--no-interactive');
    expect(written).toContain('CREATE .github/workflows/deploy.yml');
    const ours = join(REPO_ROOT, '.github/workflows');
    for (const file of readdirSync(ours)) {
      expect([file, readFileSync(join(ws.root, '.github/workflows', file), 'utf8')]).toEqual([
        file,
        readFileSync(join(ours, file), 'utf8'),
      ]);
    }
    expect(readFileSync(join(ws.root, '.nvmrc'), 'utf8')).toBe('24\n');
    // As the workflows call them: npx --no-install, in the workspace root, reading stdin.
    const bin = (name: string, args: string[], input: string) =>
      spawnSync('npx', ['--no-install', name, ...args], {
        cwd: ws.root,
        env: ws.env(withoutNpmVariables),
        input,
        encoding: 'utf8',
      });
    const plan = bin('ocp-sts-deploy-plan', ['--base', 'HEAD', '--head', 'HEAD'], '[]');
    expect([plan.status, plan.stdout]).toEqual([0, '{"include":[]}\n']);
    const drift = bin('ocp-sts-drift-table', ['--expect', '["silent"]'], '');
    expect([drift.status, drift.stdout]).toEqual([1, expect.stringContaining('| silent | ❌') as unknown]);
    const oc = bin('ocp-sts-get-oc', ['--version', 'newest', '--dir', 'bin'], '');
    expect([oc.status, oc.stderr]).toEqual([
      2,
      expect.stringContaining('--version newest: expected a release') as unknown,
    ]);
  });

  it(
    'scaffolds a cluster and installs, verifies and destroys it on the stand-ins and the emulator',
    async () => {
      const cluster = uniqueName('fleet');
      const generated = nx(
        'g',
        '@ocp-sts/nx-plugin:cluster',
        cluster,
        `--region=${REGION}`,
        '--baseDomain=sandbox.example.com',
        '--accountId=123456789012',
        '--openshiftVersion=4.16.3',
        '--no-interactive',
      );
      expect(generated).toContain(`CREATE clusters/${cluster}/cluster.yaml`);
      const clusterYaml = readFileSync(join(ws.root, `clusters/${cluster}/cluster.yaml`), 'utf8');
      // The editor's schema is the installed package's.
      expect(clusterYaml).toContain('$schema=../../node_modules/@ocp-sts/cluster-config/cluster.schema.json');
      const stsName = /^\s*sts_name: (\S+)/m.exec(clusterYaml)![1]!;
      ensureSandboxSecrets(ws.root, cluster);
      ws.git('add', '-A');
      ws.git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-qm', `cluster ${cluster}`);

      const project = JSON.parse(nx('show', 'project', cluster, '--json')) as {
        targets: Record<string, { inputs?: unknown[] }>;
      };
      expect(Object.keys(project.targets)).toEqual(
        expect.arrayContaining(['render', 'manifests', 'extract', 'ccoctl', 'inject', 'install', 'verify', 'destroy']),
      );
      // Installed from a registry, the plugin's versions stand for its code in every hash.
      expect(project.targets['render']!.inputs).toContainEqual({
        externalDependencies: expect.arrayContaining(['@ocp-sts/nx-plugin', '@ocp-sts/installer']) as unknown,
      });

      const installed = nx('run', `${cluster}:install`);
      expect(installed).toContain(`install: ${cluster} is installed`);
      const password = readFileSync(
        join(ws.root, `clusters/${cluster}/.work/installer/auth/kubeadmin-password`),
        'utf8',
      );
      expect(installed).not.toContain(password.trim());
      expect(nx('run', `${cluster}:verify`)).toContain(`Successfully ran target verify for project ${cluster}`);
      const again = nx('run', `${cluster}:install`);
      for (const step of ['render', 'manifests', 'extract', 'ccoctl', 'inject']) {
        expect(again).toMatch(new RegExp(`> nx run ${cluster}:${step} +\\[local cache\\]`));
      }

      const destroyed = nx('run', `${cluster}:destroy`, '--yes');
      expect(destroyed).toContain(`destroy: the cluster ${cluster} is destroyed`);
      expect(await findStsResources(awsClients({ region: REGION }), { stsName })).toEqual([]);
    },
    SETUP_TIMEOUT_MS,
  );

  it('runs its migration with nx migrate: a workspace of an older init gets the cache pinned and ignored', () => {
    const nxJson = JSON.parse(readFileSync(join(ws.root, 'nx.json'), 'utf8')) as Record<string, unknown>;
    delete nxJson['cacheDirectory'];
    ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
    const gitignore = readFileSync(join(ws.root, '.gitignore'), 'utf8');
    ws.write('.gitignore', gitignore.replace('.nx/cache/\n', ''));
    // What `nx migrate @ocp-sts/nx-plugin@<next>` writes when it finds the plugin's migrations.json.
    ws.write(
      'migrations.json',
      JSON.stringify({ migrations: [{ package: '@ocp-sts/nx-plugin', name: 'cache-in-workspace', version: '0.2.0' }] }),
    );
    // The workspace's own Nx runs it (by default nx migrate fetches nx@latest, and checks its provenance, first).
    const migrated = ws.run(join(ws.root, 'node_modules/.bin/nx'), ['migrate', '--run-migrations=migrations.json'], {
      env: { ...withoutNpmVariables, NX_MIGRATE_USE_LOCAL: 'true' },
    });
    expect(migrated).toContain('cache-in-workspace');
    const pinned = JSON.parse(readFileSync(join(ws.root, 'nx.json'), 'utf8')) as Record<string, unknown>;
    expect(pinned['cacheDirectory']).toBe('.nx/cache');
    expect(readFileSync(join(ws.root, '.gitignore'), 'utf8').split('\n')).toContain('.nx/cache/');
  });
});
