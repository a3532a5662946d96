/*
 * What install does with an installer folder that a killed run left (kill -9 skips the redaction in its `finally`),
 * before it reads the folder or hands it to `openshift-install`. The full resume through nx, with the stand-in, is in
 * tools/e2e/crash-hygiene.spec.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDACTED, UserError } from '@ocp-sts/toolchain';
import { testWorkspace, uniqueName, type TestWorkspace } from '../../../../../tools/testing/cluster-workspace.ts';
import { INSTALLED_MARKER, INSTALLER_METADATA } from '../../installer-dir.ts';
import { installCluster } from './install.ts';

let ws: TestWorkspace;
beforeAll(() => {
  ws = testWorkspace('install-spec-');
});
afterAll(() => {
  ws.remove();
});

/** A cluster whose installer folder holds the log of a killed run, unredacted: the pull secret and the password. */
function killedInstall(): { name: string; log: string; auth: string; password: string } {
  const name = uniqueName('killed');
  ws.addCluster({ name });
  const pullSecret = JSON.parse(readFileSync(join(ws.root, 'secrets', name, 'pull-secret.json'), 'utf8')) as {
    auths: Record<string, { auth: string }>;
  };
  const auth = pullSecret.auths['quay.io']!.auth;
  const password = 'AbCdE-fGhIj-KlMnO-pQrSt';
  const installer = join(ws.root, 'clusters', name, '.work', 'installer');
  mkdirSync(installer, { recursive: true });
  writeFileSync(join(installer, INSTALLER_METADATA), '{"infraID":"x"}\n');
  const log = join(installer, '.openshift_install.log');
  writeFileSync(
    log,
    `time="2026-01-01T00:00:00Z" level=debug msg="pull secret ${auth}"\n` +
      `time="2026-01-01T00:00:01Z" level=info msg="Login to the console with user: \\"kubeadmin\\", and password: \\"${password}\\""\n`,
  );
  return { name, log, auth, password };
}

describe('install on the folder of a killed run', () => {
  it('redacts the installer log before it refuses to resume without --allowReuse', async () => {
    const { name, log, auth, password } = killedInstall();
    mkdirSync(join(ws.root, 'clusters', name, '.work', 'staged'), { recursive: true });
    await expect(installCluster(ws.step(name, 'install'), { allowReuse: false })).rejects.toThrow(UserError);
    const text = readFileSync(log, 'utf8');
    expect(text).not.toContain(auth);
    expect(text).not.toContain(password);
    expect(text).toContain(REDACTED);
  });

  it('redacts it on a cluster that the killed run had installed, too', async () => {
    const { name, log, auth, password } = killedInstall();
    writeFileSync(join(ws.root, 'clusters', name, '.work', 'installer', INSTALLED_MARKER), 'x\n');
    const outcome = await installCluster(ws.step(name, 'install'), {});
    expect(outcome.kind).toBe('already-installed');
    const text = readFileSync(log, 'utf8');
    expect([text.includes(auth), text.includes(password)]).toEqual([false, false]);
  });
});
