/*
 * End to end, through real `nx` on the stand-ins and the emulator: what a step killed outright (kill -9 of the nx
 * process group: no signal handler, no `finally` runs) leaves, and what the next run does with it; the modes of the
 * secret-bearing outputs after Nx restores them from its cache; and the exit code when a dependency fails.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDACTED } from '@ocp-sts/toolchain';
import {
  pipelineWorkspace,
  sandboxNx,
  sandboxNxStatus,
  startSandboxNx,
  taskStates,
  type RunningNx,
} from '../testing/pipeline.ts';
import type { TempWorkspace } from '../testing/workspace.ts';

/** kill -9 of the whole process group: nx, the executor and the tool it runs. */
async function killNine(run: RunningNx): Promise<void> {
  process.kill(-run.child.pid!, 'SIGKILL');
  await run.exited;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const mode = (path: string) => statSync(path).mode & 0o777;

describe('crash hygiene through nx: kill -9, cache restores, failed dependencies', () => {
  let ws: TempWorkspace;
  const work = (...parts: string[]) => join(ws.root, 'clusters/example/.work', ...parts);

  beforeAll(() => {
    ws = pipelineWorkspace();
    // Its own sts name, so that this workspace's roles are its own in the shared emulator.
    const file = join(ws.root, 'clusters/example/cluster.yaml');
    const stsName = `e2e-ch-${randomBytes(3).toString('hex')}`;
    ws.write(
      'clusters/example/cluster.yaml',
      readFileSync(file, 'utf8').replace(/sts_name: \S+/, `sts_name: ${stsName}`),
    );
  });
  afterAll(() => {
    ws.remove();
  });

  it('removes the partial folder of a manifests step killed with kill -9 at its next run', async () => {
    const run = startSandboxNx(ws, ['run', 'example:manifests'], {
      STANDIN_SLOW: 'openshift-install:create-manifests:60000',
    });
    await run.waitFor('$ openshift-install create manifests');
    await killNine(run);
    const partials = readdirSync(work()).filter((d) => d.startsWith('manifests.partial-'));
    expect(partials).toHaveLength(1);
    // The executor that made it is dead; until init reaps it, it is a zombie that still answers kill(pid, 0).
    const pid = Number(/(\d+)$/.exec(partials[0]!)![1]);
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(pid)).toBe(false);
    // What it was building holds the pull secret: the install-config.yaml handed to openshift-install.
    expect(existsSync(work(partials[0]!, 'install-config.yaml'))).toBe(true);

    expect(sandboxNx(ws, ['run', 'example:manifests'])).toMatch(/manifests: \d+ manifests/);
    expect(readdirSync(work()).filter((d) => d.includes('.partial-'))).toEqual([]);
  }, 180_000);

  it('redacts the installer log of an install killed with kill -9 before the resume reads it', async () => {
    const run = startSandboxNx(ws, ['run', 'example:install'], { STANDIN_SLOW: 'openshift-install:bootstrap:60000' });
    await run.waitFor('for bootstrapping to complete');
    await killNine(run);
    expect(existsSync(work('installer/metadata.json'))).toBe(true);
    // What the installer writes when it completes, had kill -9 landed after it and before install's redaction; and
    // the pull secret, as any line could hold it.
    const log = work('installer/.openshift_install.log');
    const password = `KiLlD-${randomBytes(4).toString('hex')}-NiNe-pQrSt`;
    const pullSecret = JSON.parse(readFileSync(join(ws.root, 'secrets/example/pull-secret.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    const auth = pullSecret.auths['quay.io']!.auth;
    appendFileSync(
      log,
      `time="2026-01-01T00:00:00Z" level=debug msg="auths ${auth}"\n` +
        `time="2026-01-01T00:00:01Z" level=info msg="Login to the console with user: \\"kubeadmin\\", and password: \\"${password}\\""\n`,
    );

    // kill -9 left the install's lock behind: the resume is refused, naming it, until it is removed by its id.
    const refused = startSandboxNx(ws, ['run', 'example:install', '--allowReuse'], {});
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('example is locked by');
    const lockId = /unlock --lockId=(\S+)/.exec(refused.output())?.[1];
    expect(lockId).toBeDefined();
    sandboxNx(ws, ['run', 'example:unlock', `--lockId=${lockId!}`]);

    const resume = startSandboxNx(ws, ['run', 'example:install', '--allowReuse'], {
      STANDIN_SLOW: 'openshift-install:wait-for-install-complete:5000',
    });
    await resume.waitFor('$ openshift-install wait-for install-complete');
    // The installer is running (held 5 s by the stand-in): the log it appends to is already redacted.
    const text = readFileSync(log, 'utf8');
    expect([text.includes(password), text.includes(auth)]).toEqual([false, false]);
    expect(text).toContain(REDACTED);
    expect(await resume.exited).toBe(0);
    expect(resume.output()).toContain('install: example is installed (resumed)');
  }, 300_000);

  it('makes the secret folders owner-only again after Nx restores them from its cache', () => {
    for (const dir of ['manifests', 'ccoctl', 'staged']) rmSync(work(dir), { recursive: true, force: true });
    const states = taskStates(sandboxNx(ws, ['run', 'example:inject']));
    for (const step of ['manifests', 'ccoctl', 'inject']) expect([step, states[step]]).toEqual([step, 'cache']);
    const key = work('ccoctl/tls/bound-service-account-signing-key.key');
    // Nx keeps a cached file's mode; it makes the folders anew (0755 with umask 022). No executor runs on a hit.
    expect(mode(key)).toBe(0o600);

    // The next step that runs (verify reads ccoctl's output) makes them owner-only before anything else.
    sandboxNx(ws, ['run', 'example:verify']);
    const folders = [
      '',
      'manifests',
      'manifests/manifests',
      'ccoctl',
      'ccoctl/tls',
      'staged',
      'staged/tls',
      'installer',
    ];
    for (const dir of folders) expect([dir, mode(work(dir))]).toEqual([dir, 0o700]);
    for (const file of [key, work('staged/tls/bound-service-account-signing-key.key')]) {
      expect([file, mode(file)]).toEqual([file, 0o600]);
    }
  }, 180_000);

  it('exits 1, not 130, when a dependency of install or destroy fails', () => {
    const file = join(ws.root, 'secrets/example/pull-secret.json');
    const pullSecret = JSON.parse(readFileSync(file, 'utf8')) as { auths: Record<string, unknown> };
    delete pullSecret.auths['registry.redhat.io'];
    writeFileSync(file, JSON.stringify(pullSecret));
    // preflight (and ccoctl, which runs its checks) fail; Nx skips the tasks after them.
    for (const target of [['example:install'], ['example:destroy', '--yes']]) {
      const { status, output } = sandboxNxStatus(ws, ['run', ...target]);
      expect(output).toMatch(/Failed tasks:[\s\S]*- example:preflight/);
      expect(output).toContain('has no credentials for registry.redhat.io');
      expect([target[0], status]).toEqual([target[0], 1]);
    }
  }, 180_000);
});
