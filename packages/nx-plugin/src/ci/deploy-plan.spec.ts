import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withinMatrixLimit, type DeployEntry } from './deploy-plan.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const PLAN = join(import.meta.dirname, 'deploy-plan.ts');
const EXAMPLE = readFileSync(join(REPO_ROOT, 'clusters', 'example', 'cluster.yaml'), 'utf8');

/** The example's cluster.yaml renamed, with another env and version. */
function clusterYaml(name: string, env: string, version: string): string {
  return EXAMPLE.replace(/^name: .*$/m, `name: ${name}`)
    .replace(/^env: .*$/m, `env: ${env}`)
    .replace(/^ {2}version: .*$/m, `  version: "${version}"`)
    .replace(/^ {2}sts_name: .*$/m, `  sts_name: ${name}-k3x9q`)
    .concat('state:\n  backend: s3\n  bucket: team-state\n  region: us-east-1\n');
}

describe('ocp-sts-deploy-plan', () => {
  let dir: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
  const write = (file: string, text: string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  const runPlan = (base: string, head: string, projects: string[], cwd = dir) => {
    const result = spawnSync(process.execPath, [PLAN, '--base', base, '--head', head], {
      cwd,
      input: JSON.stringify(projects),
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    stderr = result.stderr;
    return JSON.parse(result.stdout) as { include: Record<string, string>[] };
  };
  let stderr = '';

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ci-plan-'));
    git('init', '-q');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('upgrades the cluster whose openshift.version changed and installs the others, with env and secret paths', () => {
    write('clusters/prod-east/cluster.yaml', clusterYaml('prod-east', 'prod', '4.16.3'));
    write('clusters/dev/cluster.yaml', clusterYaml('dev', 'dev', '4.16.3'));
    git('add', '.');
    git('commit', '-qm', 'base');
    const base = git('rev-parse', 'HEAD');
    write('clusters/prod-east/cluster.yaml', clusterYaml('prod-east', 'prod', '4.16.9'));
    write(
      'clusters/dev/cluster.yaml',
      clusterYaml('dev', 'dev', '4.16.3').replace('compute_replicas: 3', 'compute_replicas: 2'),
    );
    write('clusters/new/cluster.yaml', clusterYaml('new', 'dev', '4.16.9'));
    git('add', '.');
    git('commit', '-qm', 'head');
    const head = git('rev-parse', 'HEAD');

    expect(runPlan(base, head, ['prod-east', 'new', 'dev'])).toEqual({
      include: [
        {
          cluster: 'dev',
          env: 'dev',
          region: 'us-east-1',
          target: 'install',
          pullSecretFile: 'secrets/dev/pull-secret.json',
          sshPublicKeyFile: 'secrets/dev/ssh.pub',
        },
        {
          cluster: 'new',
          env: 'dev',
          region: 'us-east-1',
          target: 'install',
          pullSecretFile: 'secrets/new/pull-secret.json',
          sshPublicKeyFile: 'secrets/new/ssh.pub',
        },
        {
          cluster: 'prod-east',
          env: 'prod',
          region: 'us-east-1',
          target: 'upgrade',
          pullSecretFile: 'secrets/prod-east/pull-secret.json',
          sshPublicKeyFile: 'secrets/prod-east/ssh.pub',
        },
      ],
    });
  });

  it('takes the pull secret path cluster.yaml names, and is empty for no affected cluster', () => {
    write(
      'clusters/a/cluster.yaml',
      `${clusterYaml('a', 'stage', '4.16.3')}secrets:\n  pull_secret_file: vault/a-pull.json\n`,
    );
    git('add', '.');
    git('commit', '-qm', 'one');
    const sha = git('rev-parse', 'HEAD');
    expect(runPlan(sha, sha, ['a']).include).toEqual([
      {
        cluster: 'a',
        env: 'stage',
        region: 'us-east-1',
        target: 'install',
        pullSecretFile: 'vault/a-pull.json',
        sshPublicKeyFile: 'secrets/a/ssh.pub',
      },
    ]);
    expect(runPlan(sha, sha, [])).toEqual({ include: [] });
  });

  it('reads cluster.yaml at both commits where the Nx workspace is a folder of the repository', () => {
    write('infra/clusters/prod-east/cluster.yaml', clusterYaml('prod-east', 'prod', '4.16.3'));
    git('add', '.');
    git('commit', '-qm', 'base');
    const base = git('rev-parse', 'HEAD');
    write('infra/clusters/prod-east/cluster.yaml', clusterYaml('prod-east', 'prod', '4.16.9'));
    git('commit', '-qam', 'head');
    const head = git('rev-parse', 'HEAD');
    expect(runPlan(base, head, ['prod-east'], join(dir, 'infra')).include).toEqual([
      expect.objectContaining({ cluster: 'prod-east', target: 'upgrade' }),
    ]);
  });

  it('leaves out a cluster whose state is local, with a warning line for the log', () => {
    write('clusters/lab/cluster.yaml', EXAMPLE.replace(/^name: .*$/m, 'name: lab'));
    git('add', '.');
    git('commit', '-qm', 'lab');
    const sha = git('rev-parse', 'HEAD');
    expect(runPlan(sha, sha, ['lab'])).toEqual({ include: [] });
    expect(stderr).toContain('::warning::lab not deployed: state backend local');
  });

  it('says in one line, exit 2, when stdin is not a JSON list or --head is missing', () => {
    const bad = spawnSync(process.execPath, [PLAN, '--base', 'HEAD', '--head', 'HEAD'], {
      cwd: dir,
      input: 'dev\n',
      encoding: 'utf8',
    });
    expect([bad.status, bad.stderr, bad.stdout]).toEqual([
      2,
      'ocp-sts-deploy-plan: stdin: expected a JSON list of project names, as nx show projects --json prints it; got "dev"\n',
      '',
    ]);
    const usage = spawnSync(process.execPath, [PLAN, '--base', 'HEAD'], { cwd: dir, input: '[]', encoding: 'utf8' });
    expect([usage.status, usage.stderr]).toEqual([
      2,
      'ocp-sts-deploy-plan: usage: ocp-sts-deploy-plan --base <sha> --head <sha> < projects.json\n',
    ]);
  });

  it('refuses a plan beyond the 256 jobs of a GitHub matrix, in one line', () => {
    const entry = (i: number): DeployEntry => ({
      cluster: `c${i}`,
      env: 'dev',
      region: 'us-east-1',
      target: 'install',
      pullSecretFile: `secrets/c${i}/pull-secret.json`,
      sshPublicKeyFile: `secrets/c${i}/ssh.pub`,
    });
    expect(() => {
      withinMatrixLimit(Array.from({ length: 256 }, (_, i) => entry(i)));
    }).not.toThrow();
    expect(() => {
      withinMatrixLimit(Array.from({ length: 257 }, (_, i) => entry(i)));
    }).toThrow(
      /^257 clusters to deploy, and a GitHub matrix runs at most 256 jobs: nothing was deployed\. Push the change in parts/,
    );
  });

  it('loads no AWS SDK module, directly or through the packages it imports', () => {
    // A resolve hook in the child writes each module Node resolves for the bin (static imports all resolve before
    // main runs); without --base the bin then stops at its usage line.
    const hook = [
      "import { registerHooks } from 'node:module';",
      'registerHooks({ resolve(specifier, context, next) {',
      '  const resolved = next(specifier, context);',
      '  process.stderr.write(`resolved ${resolved.url}\\n`);',
      '  return resolved;',
      '} });',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, PLAN], {
      cwd: dir,
      input: '[]',
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    const resolved = run.stderr.split('\n').flatMap((line) => (line.startsWith('resolved ') ? [line.slice(9)] : []));
    // The hook saw the bin's imports through the workspace packages, down to toolchain's git helpers.
    expect(resolved).toContainEqual(expect.stringMatching(/\/packages\/toolchain\/src\/git\.ts$/));
    expect(resolved.filter((url) => url.includes('/@aws-sdk/'))).toEqual([]);
  });
});
