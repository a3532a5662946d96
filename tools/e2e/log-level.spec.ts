/*
 * End to end: the tools' log level through real `nx` in a temporary workspace with the stand-ins. `nx run …
 * --verbose` and OCP_STS_LOG_LEVEL=debug give openshift-install `--log-level debug`, whose debug lines reach the
 * terminal and .work/logs/manifests.log, redacted; without either the step keeps its own level. Only render and
 * manifests run: no AWS. The pull secret is compared by presence, never printed by a matcher.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineWorkspace, sandboxNx } from '../testing/pipeline.ts';
import type { TempWorkspace } from '../testing/workspace.ts';

const DEBUG = /level=debug msg="?OpenShift Installer/;

describe('log levels through nx', () => {
  let ws: TempWorkspace;
  const manifestsLog = () => readFileSync(join(ws.root, 'clusters/example/.work/logs/manifests.log'), 'utf8');
  const pullSecretAuths = () =>
    Object.values(
      (
        JSON.parse(readFileSync(join(ws.root, 'secrets/example/pull-secret.json'), 'utf8')) as {
          auths: Record<string, { auth: string }>;
        }
      ).auths,
    ).map((a) => a.auth);
  beforeAll(() => {
    ws = pipelineWorkspace();
  });
  afterAll(() => {
    ws.remove();
  });

  it('runs openshift-install at the step level by default: no debug lines', () => {
    const output = sandboxNx(ws, ['run', 'example:manifests', '--skip-nx-cache']);
    expect(output).toMatch(/\$ openshift-install create manifests .*--log-level info/);
    expect(DEBUG.test(output)).toBe(false);
  });

  it('shows the debug output with --verbose, in the log too, and still redacted', () => {
    const output = sandboxNx(ws, ['run', 'example:manifests', '--skip-nx-cache', '--verbose']);
    expect(output).toMatch(/\$ openshift-install create manifests .*--log-level debug/);
    expect(DEBUG.test(output)).toBe(true);
    const log = manifestsLog();
    expect(DEBUG.test(log)).toBe(true);
    const auths = pullSecretAuths();
    expect(auths.length).toBeGreaterThan(0);
    expect(auths.some((auth) => output.includes(auth) || log.includes(auth))).toBe(false);
  });

  it('takes OCP_STS_LOG_LEVEL, and the logLevel option over it', () => {
    const fromEnv = sandboxNx(ws, ['run', 'example:manifests', '--skip-nx-cache'], { OCP_STS_LOG_LEVEL: 'debug' });
    expect(DEBUG.test(fromEnv)).toBe(true);
    const option = sandboxNx(ws, ['run', 'example:manifests', '--skip-nx-cache', '--logLevel=warn'], {
      OCP_STS_LOG_LEVEL: 'debug',
    });
    expect(option).toMatch(/\$ openshift-install create manifests .*--log-level warn/);
    expect(DEBUG.test(option)).toBe(false);
  });
});
