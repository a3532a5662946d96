/*
 * End to end: upgrades of the example cluster through nx, on the stand-ins (the sandbox cluster, its cloud-credential
 * and cluster-version operators), the emulator and the loopback update service with the sandbox's edges
 * 4.16.3 -> 4.17.9 -> 4.18.6 -> 4.18.40. Credentials first: credentials-diff says what changes, upgrade updates the
 * roles and Secrets, sets the annotation of a minor update, updates the cluster and verifies the roles.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startUpdateService } from '../update-service/service.ts';
import { standInChannels } from '../update-service/run.ts';
import { pipelineWorkspace, sandboxNx, sandboxNxStatus, taskStates } from '../testing/pipeline.ts';
import type { TempWorkspace } from '../testing/workspace.ts';

const CLUSTER_YAML = 'clusters/example/cluster.yaml';

describe('upgrade through nx', () => {
  let ws: TempWorkspace;
  let service: { url: string; stop: () => void };
  let env: NodeJS.ProcessEnv;

  const setVersion = (version: string) => {
    const file = join(ws.root, CLUSTER_YAML);
    writeVersion(file, version);
  };
  const nx = (...args: string[]) => sandboxNx(ws, args, env);
  const failing = (...args: string[]) => {
    const { status, output } = sandboxNxStatus(ws, args, env);
    expect(status).not.toBe(0);
    return output;
  };
  const installed = () =>
    JSON.parse(readFileSync(join(ws.root, 'clusters/example/.work/state/installed.json'), 'utf8')) as {
      version: string;
    };
  const oc = (...args: string[]) =>
    ws.run(
      join(ws.root, 'tools/stand-ins/bin/oc'),
      ['--kubeconfig', join(ws.root, 'clusters/example/.work/kubeconfig'), ...args],
      {
        env,
      },
    );

  beforeAll(async () => {
    service = await startUpdateService(standInChannels());
    env = { OCP_STS_UPDATE_SERVICE: service.url };
    ws = pipelineWorkspace();
  });
  afterAll(() => {
    ws.remove();
    service.stop();
  });

  it('installs 4.16.3, refuses 4.18.40 (a skipped minor), and upgrades to 4.17.9 with no AWS change', () => {
    expect(nx('run', 'example:install')).toContain('install: example is installed');
    expect(installed().version).toBe('4.16.3');

    setVersion('4.18.40');
    const skipped = failing('run', 'example:upgrade', '--pollSeconds=0');
    expect(skipped).toContain('upgrade of example: 4.16.3 -> 4.18.40 skips a minor release');
    expect(skipped).toContain('Nothing was changed; --force overrides this');
    expect(installed().version).toBe('4.16.3');

    setVersion('4.17.9');
    expect(nx('run', 'example:credentials-diff')).toContain(
      'credentials-diff: no AWS CredentialsRequest changed between 4.16.3 and 4.17.9',
    );
    const upgraded = nx('run', 'example:upgrade', '--pollSeconds=0');
    expect(upgraded).toContain('upgrade: example 4.16.3 -> 4.17.9 (minor update)');
    expect(upgraded).toContain('no AWS CredentialsRequest is new or changed from 4.16.3 to 4.17.9');
    expect(upgraded).toContain('upgrade: example runs 4.17.9');
    expect(upgraded).toContain('upgrade: example is at 4.17.9, its roles match the requests of 4.17.9');
    expect(installed().version).toBe('4.17.9');
    const cloudCredential = JSON.parse(oc('get', 'cloudcredential', 'cluster', '-o', 'json')) as {
      metadata: { annotations: Record<string, string> };
    };
    expect(cloudCredential.metadata.annotations['cloudcredential.openshift.io/upgradeable-to']).toBe('4.17.9');

    expect(nx('run', 'example:upgrade', '--pollSeconds=0')).toContain(
      'upgrade: example already runs 4.17.9, the release this commit names; nothing to do',
    );
  });

  it('goes on to 4.18.6, then the patch 4.18.40 updates the machine-api role, resuming after a failure', () => {
    setVersion('4.18.6');
    // An update that stalls: upgrade says why while it waits, gives up at its timeout, and a re-run sees it through.
    const stalled = sandboxNxStatus(ws, ['run', 'example:upgrade', '--pollSeconds=0', '--timeoutMinutes=0.05'], {
      ...env,
      STANDIN_FAIL: 'oc:update-stall',
    });
    expect(stalled.status).not.toBe(0);
    expect(stalled.output).toContain('upgrade: failing: Cluster operator machine-api is degraded');
    expect(stalled.output).toContain('the update to 4.18.6 did not complete within 0.05 minutes');
    expect(installed().version).toBe('4.17.9');
    const finished = nx('run', 'example:upgrade', '--pollSeconds=0');
    expect(finished).toContain('going on with the upgrade of example to 4.18.6');
    expect(finished).toContain('upgrade: example is at 4.18.6');

    setVersion('4.18.40');
    const diff = nx('run', 'example:credentials-diff');
    expect(diff).toContain('openshift-cloud-credential-operator/openshift-machine-api-aws');
    expect(diff).toContain('kms:ReEncrypt*');
    // Until the upgrade, the cluster runs 4.18.6: verify holds its roles to 4.18.6's requests, not this commit's.
    const verified = nx('run', 'example:verify');
    expect(verified).toContain(
      'verify: against the requests of 4.18.6, the installed release (this commit names 4.18.40: nx run example:upgrade moves it)',
    );

    // Interrupted while ccoctl updates the roles: nothing is recorded as done, and a re-run finishes.
    const broken = sandboxNxStatus(ws, ['run', 'example:upgrade', '--pollSeconds=0'], {
      ...env,
      STANDIN_FAIL: 'ccoctl:iam-roles',
    });
    expect(broken.status).not.toBe(0);
    expect(broken.output).toContain('ccoctl aws create-iam-roles` exited');
    expect(installed().version).toBe('4.18.6');

    const resumed = nx('run', 'example:upgrade', '--pollSeconds=0');
    expect(resumed).toContain('going on with the upgrade of example to 4.18.40');
    expect(resumed).toContain(
      'roles created or updated for 1 request(s): openshift-cloud-credential-operator/openshift-machine-api-aws',
    );
    expect(resumed).toContain('upgrade: example is at 4.18.40, its roles match the requests of 4.18.40');
    expect(installed().version).toBe('4.18.40');

    // ccoctl last ran for 4.18.6's roles (under the verify above): its cache key holds the installed release, so the
    // upgrade makes it run again for 4.18.40's, with no --skip-nx-cache; then it is cached again.
    const after = nx('run', 'example:verify');
    expect(taskStates(after).ccoctl).toBe('ran');
    expect(after).not.toContain('verify: against the requests of');
    expect(taskStates(nx('run', 'example:verify')).ccoctl).toBe('cache');
  });

  it('names a target release that does not exist, and changes nothing', () => {
    setVersion('4.18.99');
    const output = failing('run', 'example:upgrade', '--pollSeconds=0');
    expect(output).toMatch(/extract failed: `oc adm release extract` exited 1/);
    expect(output).not.toContain('    at ');
    expect(installed().version).toBe('4.18.40');
  });

  it('refuses a downgrade', () => {
    setVersion('4.18.6');
    expect(failing('run', 'example:upgrade', '--pollSeconds=0')).toContain(
      'upgrade of example: 4.18.40 -> 4.18.6 is a downgrade',
    );
    expect(installed().version).toBe('4.18.40');
  });
});

describe('upgrade along the edge 4.17.9 -> 4.18.40, of a cluster that reads no update service', () => {
  it('updates the machine-api role for kms:ReEncrypt*, asks for the release by digest, and verifies clean', async () => {
    const service = await startUpdateService(standInChannels());
    const ws = pipelineWorkspace();
    // Installed at 4.17.9 with that release's own openshift-install (the one on PATH is 4.16.3's); the cluster itself
    // reaches no update service, as in a disconnected site.
    const env = { OCP_STS_UPDATE_SERVICE: service.url, OCP_STS_USE_RELEASE_TOOLS: 'true' };
    try {
      writeVersion(join(ws.root, CLUSTER_YAML), '4.17.9');
      const install = sandboxNx(ws, ['run', 'example:install'], { ...env, STANDIN_CLUSTER_UPDATE_SERVICE: 'none' });
      expect(install).toContain('install: example is installed');
      writeVersion(join(ws.root, CLUSTER_YAML), '4.18.40');
      expect(sandboxNx(ws, ['run', 'example:credentials-diff'], env)).toContain('kms:ReEncrypt*');

      // Without the kubeconfig in the state the cluster cannot be reached: refused before anything is recorded.
      const kubeconfig = join(ws.root, 'clusters/example/.work/state/installer/auth/kubeconfig');
      renameSync(kubeconfig, `${kubeconfig}.away`);
      const unreachable = sandboxNxStatus(ws, ['run', 'example:upgrade', '--pollSeconds=0'], env);
      expect(unreachable.status).toBe(1);
      expect(unreachable.output).toContain(
        'example has no kubeconfig in its state (clusters/example/.work/state/): the cluster cannot be reached to upgrade it',
      );
      expect(existsSync(join(ws.root, 'clusters/example/.work/state/upgrading.json'))).toBe(false);
      renameSync(`${kubeconfig}.away`, kubeconfig);

      const upgraded = sandboxNx(ws, ['run', 'example:upgrade', '--pollSeconds=0'], env);
      expect(upgraded).toContain('upgrade: example 4.17.9 -> 4.18.40 (minor update)');
      expect(upgraded).toMatch(
        /\$ oc --kubeconfig \S+ adm upgrade --to-image=quay\.io\/openshift-release-dev\/ocp-release@sha256:[0-9a-f]{64} --allow-explicit-upgrade/,
      );
      expect(upgraded).toContain(
        'roles created or updated for 1 request(s): openshift-cloud-credential-operator/openshift-machine-api-aws',
      );
      expect(upgraded).toContain('upgrade: example is at 4.18.40, its roles match the requests of 4.18.40');
    } finally {
      ws.remove();
      service.stop();
    }
  });
});

describe('upgrade of a cluster that is not installed', () => {
  it('says so in one line and changes nothing', () => {
    const fresh = pipelineWorkspace();
    try {
      const { status, output } = sandboxNxStatus(fresh, ['run', 'example:upgrade']);
      expect(status).toBe(1);
      expect(output).toContain(
        'upgrade failed: example is not installed (its state, clusters/example/.work/state/, has no installed record): ' +
          'nothing to upgrade. Install it: nx run example:install',
      );
      expect(output).not.toContain('    at ');
    } finally {
      fresh.remove();
    }
  });
});

function writeVersion(file: string, version: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(/^(\s*version:) .*$/m, `$1 "${version}"`);
  if (next === text && !text.includes(`"${version}"`)) throw new Error(`no openshift.version in ${file}`);
  writeFileSync(file, next);
}
