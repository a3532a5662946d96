/*
 * End to end: the whole manual-STS pipeline through real `nx`, on the stand-ins (tools/stand-ins/bin first on PATH)
 * and the AWS emulator that jest's global setup started (AWS_ENDPOINT_URL). Checks what Nx runs and what it takes
 * from its cache, failures in every step and the re-run that completes, and that no secret leaks.
 */
import { spawn, spawnSync } from 'node:child_process';
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REDACTED } from '@ocp-sts/toolchain';
import { ensureSandboxSecrets } from '../sandbox/secrets.ts';
import { pipelineWorkspace, sandboxNx, taskStates } from '../testing/pipeline.ts';
import { REPO_ROOT, sampleClusterYaml, type TempWorkspace } from '../testing/workspace.ts';

const CACHEABLE = ['render', 'manifests', 'extract', 'ccoctl', 'inject'] as const;
type Cacheable = (typeof CACHEABLE)[number];

function failingNx(ws: TempWorkspace, args: string[], extraEnv: NodeJS.ProcessEnv): string {
  try {
    sandboxNx(ws, args, extraEnv);
  } catch (error) {
    return (error as { output: string }).output;
  }
  throw new Error(`nx ${args.join(' ')} succeeded although a failure was injected`);
}

function editCluster(ws: TempWorkspace, from: RegExp, to: string): void {
  const file = join(ws.root, 'clusters/example/cluster.yaml');
  const text = readFileSync(file, 'utf8');
  expect(text).toMatch(from);
  ws.write('clusters/example/cluster.yaml', text.replace(from, to));
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('the manual-STS pipeline through nx, on the stand-ins and the emulator', () => {
  let ws: TempWorkspace;
  const outputs: string[] = [];
  const run = (...args: string[]) => {
    const out = sandboxNx(ws, args);
    outputs.push(out);
    return out;
  };
  const runWith = (env: NodeJS.ProcessEnv, ...args: string[]) => {
    const out = sandboxNx(ws, args, env);
    outputs.push(out);
    return out;
  };
  const work = (...parts: string[]) => join(ws.root, 'clusters/example/.work', ...parts);

  beforeAll(() => {
    ws = pipelineWorkspace();
  });
  afterAll(() => {
    ws.remove();
  });

  it('installs the example cluster end to end and ends with a kubeconfig', () => {
    const out = run('run', 'example:install');
    expect(Object.keys(taskStates(out)).sort()).toEqual(
      ['ccoctl', 'extract', 'inject', 'install', 'manifests', 'preflight', 'render', 'verify'].sort(),
    );
    expect(Object.values(taskStates(out)).every((s) => s === 'ran')).toBe(true);
    expect(out).toContain('install: example is installed');
    expect(readFileSync(work('kubeconfig'), 'utf8')).toContain('https://api.example.sandbox.example.com:6443');
    // What was installed is what ccoctl made: the installer consumed the injected signing key.
    const state = JSON.parse(readFileSync(work('installer/.openshift_install_state.json'), 'utf8')) as {
      standIn?: { serviceAccountSigningKey?: string };
    };
    expect(state.standIn?.serviceAccountSigningKey).toBe('consumed');
  });

  it('takes every cacheable step from the cache on the second run', () => {
    const states = taskStates(run('run', 'example:install'));
    for (const step of CACHEABLE) expect([step, states[step]]).toEqual([step, 'cache']);
    expect(states.install).toBe('ran');
  });

  it('re-runs render, manifests, inject and install after compute_replicas changes, not extract or ccoctl', () => {
    editCluster(ws, /compute_replicas: 3/, 'compute_replicas: 4');
    const out = run('run', 'example:install');
    const states = taskStates(out);
    const expected: Record<Cacheable, 'cache' | 'ran'> = {
      render: 'ran',
      manifests: 'ran',
      extract: 'cache',
      ccoctl: 'cache',
      inject: 'ran',
    };
    for (const step of CACHEABLE) expect([step, states[step]]).toEqual([step, expected[step]]);
    expect(states.install).toBe('ran');
    // The cluster was installed before: install says so and leaves it alone.
    expect(out).toContain('already installed');
  });

  it('re-runs extract and ccoctl when the release changes', () => {
    editCluster(ws, /version: "4\.16\.3"/, 'version: "4.16.4"');
    // The openshift-install on PATH is built for 4.16.3 (and is refused for 4.16.4): use the release's own tools.
    const states = taskStates(runWith({ OCP_STS_USE_RELEASE_TOOLS: 'true' }, 'run', 'example:inject'));
    expect(states.extract).toBe('ran');
    expect(states.ccoctl).toBe('ran');
    expect(readFileSync(work('render/release.json'), 'utf8')).toContain('4.16.4');
  });

  it('keeps the pull secret, the signing key and the kubeadmin password out of outputs and logs', () => {
    const pullSecret = JSON.parse(readFileSync(join(ws.root, 'secrets/example/pull-secret.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    const auths = Object.values(pullSecret.auths).map((a) => a.auth);
    const keyLines = readFileSync(join(ws.root, 'secrets/example/serviceaccount-signer.private'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 40 && !l.startsWith('-----'));
    const password = readFileSync(work('installer/auth/kubeadmin-password'), 'utf8').trim();
    const secrets = [...auths, ...keyLines.slice(0, 3), password];
    expect(secrets.length).toBeGreaterThan(5);

    const shared = [...filesUnder(work('logs')), ...filesUnder(work('render')), ...filesUnder(work('credrequests'))];
    // Nx keeps each cached task's terminal output as .nx/cache/terminalOutputs/<hash>.
    const cachedTerminal = filesUnder(join(ws.root, '.nx/cache/terminalOutputs'));
    // openshift-install's own logs (manifests/, staged/, installer/), kept redacted beside its other files.
    const installerLogs = filesUnder(work()).filter((f) => f.endsWith('.openshift_install.log'));
    const texts = [...outputs, ...[...shared, ...cachedTerminal, ...installerLogs].map((f) => readFileSync(f, 'utf8'))];
    expect(shared.length).toBeGreaterThan(5);
    // One per cacheable step at least (render, manifests, extract, ccoctl, inject), or this reads nothing.
    expect(cachedTerminal.length).toBeGreaterThanOrEqual(5);
    expect(installerLogs).toContain(work('installer/.openshift_install.log'));
    // The password line was there in both of the installer's forms: unquoted on stderr (the terminal, Nx's cache,
    // .work/logs/) and Go-quoted by logrus in .openshift_install.log.
    const loginLine = 'Login to the console with user: "kubeadmin", and password: ';
    expect(readFileSync(work('logs/install.log'), 'utf8')).toContain(`level=info msg=${loginLine}"${REDACTED}"\n`);
    expect(readFileSync(work('installer/.openshift_install.log'), 'utf8')).toContain(
      `level=info msg="${loginLine.replaceAll('"', '\\"')}\\"${REDACTED}\\""\n`,
    );
    for (const secret of secrets) {
      for (const text of texts) expect(text.includes(secret)).toBe(false);
    }
    // ...and everything that holds them is owner-only.
    const holders = [
      join(ws.root, 'secrets/example/pull-secret.json'),
      join(ws.root, 'secrets/example/serviceaccount-signer.private'),
      work('manifests/.openshift_install_state.json'),
      work('manifests/manifests/openshift-config-secret-pull-secret.yaml'),
      work('ccoctl/tls/bound-service-account-signing-key.key'),
      work('ccoctl/serviceaccount-signer.private'),
      work('staged/tls/bound-service-account-signing-key.key'),
      work('kubeconfig'),
      work('installer/auth/kubeadmin-password'),
      work('installer/auth/kubeconfig'),
    ];
    for (const file of holders) expect([file, statSync(file).mode & 0o777]).toEqual([file, 0o600]);
  });
});

describe('a failing tool in each step', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = pipelineWorkspace();
  });
  afterAll(() => {
    ws.remove();
  });

  // From the last step back, so that each re-run completes the pipeline and the next fault has a step to break.
  const faults: [string, string, RegExp][] = [
    [
      'install',
      'openshift-install:bootstrap',
      /install failed: `openshift-install create cluster` exited 5 \(bootstrapping failed\)/,
    ],
    ['ccoctl', 'ccoctl:iam-roles', /ccoctl failed: `ccoctl aws create-all` exited 1 \(stopped at the first error/],
    ['extract', 'oc:release-extract', /extract failed: `oc adm release extract` exited 1 \(oc reported an error\)/],
    [
      'manifests',
      'openshift-install:create-manifests:3',
      /manifests failed: `openshift-install create manifests` exited 3 \(install-config\.yaml is invalid\)/,
    ],
  ];

  it.each(faults)(
    'fails the run at %s, names the step, and a re-run without the fault completes',
    (step, fault, message) => {
      const args = step === 'install' ? ['run', 'example:install'] : ['run', 'example:install', '--skip-nx-cache'];
      const failed = failingNx(ws, args, { STANDIN_FAIL: fault, ALLOW_INSTALLER_REUSE: undefined });
      expect(failed).toMatch(message);
      expect(failed).toMatch(new RegExp(`Failed tasks:\\s+- example:${step}`));
      expect(failed).toMatch(/Full log: clusters\/example\/\.work\/logs\/\w+\.log/);
      expect(failed).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      // Nothing half-written is left for a later run to take for finished.
      const leftovers = readdirSync(join(ws.root, 'clusters/example/.work')).filter((d) => d.includes('.partial-'));
      expect(leftovers).toEqual([]);
      if (step !== 'install') {
        const dir = { manifests: 'manifests', extract: 'credrequests', ccoctl: 'ccoctl' }[step]!;
        expect(existsSync(join(ws.root, 'clusters/example/.work', dir))).toBe(false);
      }

      const env = step === 'install' ? { ALLOW_INSTALLER_REUSE: '1' } : {};
      const out = sandboxNx(ws, ['run', 'example:install'], env);
      expect(out).toMatch(/install: example is (installed|already installed)/);
    },
  );
});

describe('Ctrl-C during a step', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = pipelineWorkspace();
  });
  afterAll(() => {
    ws.remove();
  });

  it('stops the tool and leaves no output that a re-run would take for finished', async () => {
    const env = {
      ...process.env,
      PATH: `${join(ws.root, 'tools/stand-ins/bin')}:${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
      NX_DAEMON: 'false',
      NX_TUI: 'false',
      STANDIN_SLOW: 'openshift-install:create-manifests:20000',
    };
    // Its own process group, as a terminal's foreground job: Ctrl-C reaches nx, the executor and the tool.
    const child = spawn(join(ws.root, 'node_modules/.bin/nx'), ['run', 'example:manifests'], {
      cwd: ws.root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const started = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('$ openshift-install create manifests')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await started;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    process.kill(-child.pid!, 'SIGINT');
    const code = await exited;
    expect(code).not.toBe(0);
    // nx may exit before its task process has finished its own cleanup after the signal: wait for the whole process
    // group to end (a guard, not a timed assertion: what is checked below is what they left).
    await processGroupEnded(child.pid!, 30_000);

    const work = join(ws.root, 'clusters/example/.work');
    expect(readdirSync(work).filter((d) => d.startsWith('manifests'))).toEqual([]);
    // The slow stand-in was stopped too, not left running in the background.
    const stillRunning = spawnSyncText('pgrep', ['-f', `openshift-install.ts create manifests --dir ${work}`]);
    expect(stillRunning).toBe('');
    // And a re-run completes.
    expect(sandboxNx(ws, ['run', 'example:manifests'])).toMatch(/manifests: \d+ manifests/);
  }, 120_000);
});

/** Resolves once no process is left in the group (signal 0 finds none), or after `guardMs`. */
async function processGroupEnded(pgid: number, guardMs: number): Promise<void> {
  const until = Date.now() + guardMs;
  while (Date.now() < until) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function spawnSyncText(command: string, args: string[]): string {
  return spawnSync(command, args, { encoding: 'utf8' }).stdout.trim();
}

describe('guards of the pipeline', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = pipelineWorkspace();
    ws.write(
      'clusters/minty/cluster.yaml',
      sampleClusterYaml('minty').replace('cco_mode: manual-sts', 'cco_mode: mint'),
    );
    ensureSandboxSecrets(ws.root, 'minty');
  });
  afterAll(() => {
    ws.remove();
  });

  it('refuses an openshift-install built for another release, and uses the release own tools when asked', () => {
    const other = { STANDIN_RELEASE_IMAGE: 'quay.io/openshift-release-dev/ocp-release:4.16.5-x86_64' };
    const failed = failingNx(ws, ['run', 'example:manifests'], other);
    expect(failed).toMatch(
      /manifests failed: openshift-install is built for quay\.io\/openshift-release-dev\/ocp-release\S+, but the cluster installs quay\.io\/openshift-release-dev\/ocp-release:4\.16\.3-x86_64 \(openshift\.version\)\. Use the installer of the release/,
    );
    const out = sandboxNx(ws, ['run', 'example:manifests', '--useReleaseTools'], other);
    expect(out).toMatch(/oc adm release extract --command=openshift-install --to=clusters\/example\/\.work\/bin\//);
    const bin = join(ws.root, 'clusters/example/.work/bin');
    expect(readdirSync(bin)).toHaveLength(1);
    expect(readdirSync(join(bin, readdirSync(bin)[0]!)).sort()).toEqual(['ccoctl', 'openshift-install']);
  });

  it('refuses the placeholder Secrets of a ccoctl dry run at inject', () => {
    // A ccoctl with create-all --dry-run (4.19), as `oc adm release extract --command=ccoctl` writes it: the default
    // stand-in is 4.16's, whose dry run needs the identity provider of an earlier real run (see the ccoctl step).
    const ccoctl419 = join(ws.root, 'ccoctl-4.19');
    const extracted = spawnSync(
      join(ws.root, 'tools/stand-ins/bin/oc'),
      [
        'adm',
        'release',
        'extract',
        '--command=ccoctl',
        `--to=${ccoctl419}`,
        '-a',
        join(ws.root, 'secrets/example/pull-secret.json'),
        'quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64',
      ],
      { encoding: 'utf8' },
    );
    expect({ status: extracted.status, stderr: extracted.stderr }).toEqual({ status: 0, stderr: '' });
    const failed = failingNx(ws, ['run', 'example:inject'], { CCO_DRY_RUN: '1', OCP_STS_BIN_DIR: ccoctl419 });
    expect(failed).toMatch(/Failed tasks:\s+- example:inject/);
    expect(failed).toMatch(/is a dry-run placeholder \(no role ARN\)/);
    expect(existsSync(join(ws.root, 'clusters/example/.work/staged'))).toBe(false);
    // Without the switch, ccoctl's inputs differ: it runs for real, and inject stages.
    expect(sandboxNx(ws, ['run', 'example:inject'])).toMatch(/inject: staged clusters\/example\/\.work\/staged/);
    // The default ccoctl (4.16) has no create-all --dry-run: now that its identity provider exists, the step dry-runs
    // with its subcommands, and inject refuses their placeholders the same way.
    const again = failingNx(ws, ['run', 'example:inject', '--skip-nx-cache'], { CCO_DRY_RUN: '1' });
    expect(again).toMatch(
      /ccoctl aws create-iam-roles --name=\S+ .*--identity-provider-arn=arn:aws:iam::\d{12}:oidc-provider\//,
    );
    expect(again).toMatch(/is a dry-run placeholder \(no role ARN\)/);
  });

  it('has nothing to do in the STS steps for another cco_mode', () => {
    const out = sandboxNx(ws, ['run', 'minty:inject']);
    expect(out).toContain('extract: nothing to do: cco_mode is mint, not manual-sts');
    expect(out).toContain('ccoctl: nothing to do: cco_mode is mint, not manual-sts');
    expect(out).toMatch(/inject: staged clusters\/minty\/\.work\/staged from the manifests \(cco_mode mint/);
  });
});

describe('verify and destroy through nx', () => {
  let ws: TempWorkspace;
  const iam = new IAMClient({ region: 'us-east-1' });
  beforeAll(() => {
    ws = pipelineWorkspace();
    // Its own sts name, so that this workspace's roles are its own in the shared emulator.
    ws.write(
      'clusters/example/cluster.yaml',
      readFileSync(join(ws.root, 'clusters/example/cluster.yaml'), 'utf8').replace(
        /sts_name: \S+/,
        'sts_name: e2e-vd-7q2m',
      ),
    );
  });
  afterAll(() => {
    iam.destroy();
    ws.remove();
  });

  it('stops the install at verify when a role was deleted behind a cached ccoctl, before openshift-install runs', async () => {
    sandboxNx(ws, ['run', 'example:inject']);
    const role = 'e2e-vd-7q2m-openshift-image-registry-installer-cloud-credentials';
    const roleName = role.slice(0, 64);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: roleName }));
    await iam.send(new DeleteRoleCommand({ RoleName: roleName }));

    const failed = failingNx(ws, ['run', 'example:install'], {});
    const states = taskStates(failed);
    expect(states.ccoctl).toBe('cache');
    expect(failed).toMatch(/Failed tasks:\s+- example:verify/);
    expect(failed).toContain(roleName);
    expect(failed).not.toContain('$ openshift-install create cluster');
    expect(existsSync(join(ws.root, 'clusters/example/.work/installer'))).toBe(false);

    // Re-running ccoctl (its output is cached) puts the role back; then the install goes through.
    sandboxNx(ws, ['run', 'example:ccoctl', '--skip-nx-cache']);
    expect(sandboxNx(ws, ['run', 'example:install'])).toContain('install: example is installed');
  });

  it('refuses a new signing key for the installed cluster whose local key is gone, and leaves keys.json alone', async () => {
    const keysJson = { Bucket: 'e2e-vd-7q2m-oidc', Key: 'keys.json' };
    const s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
    const published = await (await s3.send(new GetObjectCommand(keysJson))).Body!.transformToString();
    const keyDir = join(ws.root, 'secrets/example');
    const moved = join(ws.root, 'key-backup');
    renameSync(keyDir, moved);
    mkdirSync(keyDir);
    for (const file of ['pull-secret.json', 'ssh.pub']) copyFileSync(join(moved, file), join(keyDir, file));

    const failed = failingNx(ws, ['run', 'example:install', '--skip-nx-cache'], {});
    expect(failed).toMatch(/Failed tasks:\s+- example:ccoctl/);
    expect(failed).toContain(
      'refusing to make a new service-account signing key for example: the OIDC issuer of sts_name e2e-vd-7q2m',
    );
    expect(failed).not.toContain('$ ccoctl aws create-all');
    expect(await (await s3.send(new GetObjectCommand(keysJson))).Body!.transformToString()).toBe(published);
    s3.destroy();

    rmSync(keyDir, { recursive: true });
    renameSync(moved, keyDir);
  });

  it('destroy fails naming a role that ccoctl aws delete left behind, and a second destroy finishes the job', async () => {
    const left = 'e2e-vd-7q2m-openshift-ingress-operator-cloud-credentials';
    const failed = failingNx(ws, ['run', 'example:destroy', '--yes'], { STANDIN_CCOCTL_DELETE_SKIP_ROLE: left });
    expect(failed).toMatch(/Failed tasks:\s+- example:destroy/);
    expect(failed).toContain(left);
    await expect(iam.send(new GetRoleCommand({ RoleName: left }))).resolves.toBeDefined();

    sandboxNx(ws, ['run', 'example:destroy', '--yes']);
    await expect(iam.send(new GetRoleCommand({ RoleName: left }))).rejects.toMatchObject({
      name: expect.stringMatching(/^NoSuchEntity/) as unknown,
    });
    expect(existsSync(join(ws.root, 'clusters/example/.work/kubeconfig'))).toBe(false);
  });
});
