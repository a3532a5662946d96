/*
 * The openshift-install stand-in against what the real installer does (tools/stand-ins/README.md, `openshift-install`),
 * run as a real child process in temporary folders.
 */
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateInfraID } from './installer-assets.ts';
import {
  BIN,
  PULL_SECRET,
  PULL_SECRET_MARKER,
  run,
  SSH_KEY,
  standInEnv,
  tempDir,
  writeInstallConfig,
} from './spec-helpers.ts';

const digestOf = (version: string) => `sha256:${createHash('sha256').update(version).digest('hex')}`;
const read = (...path: string[]) => readFileSync(join(...path), 'utf8');
const mode = (...path: string[]) => statSync(join(...path)).mode & 0o777;
const install = (dir: string, args: string[], env: Record<string, string> = {}) =>
  run('openshift-install', [...args, '--dir', dir], { env });

let scratch: ReturnType<typeof tempDir>;
beforeAll(() => {
  scratch = tempDir('openshift-install-');
});
afterAll(() => {
  scratch.remove();
});
function freshDir(name: string): string {
  const dir = join(scratch.path, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('openshift-install version', () => {
  it('reports the default 4.16 release by digest, and the release of STANDIN_RELEASE_IMAGE', () => {
    const byDefault = run('openshift-install', ['version']);
    expect(byDefault.status).toBe(0);
    const lines = byDefault.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('openshift-install 4.16.3');
    expect(lines[1]).toMatch(/^built from commit [0-9a-f]{40}$/);
    expect(lines[2]).toBe(`release image quay.io/openshift-release-dev/ocp-release@${digestOf('4.16.3')}`);
    expect(lines[3]).toBe('release architecture amd64');

    const other = run('openshift-install', ['version'], {
      env: { STANDIN_RELEASE_IMAGE: 'quay.io/openshift-release-dev/ocp-release:4.17.1-x86_64' },
    });
    expect(other.stdout).toContain('openshift-install 4.17.1\n');
    expect(other.stdout).toContain(`release image quay.io/openshift-release-dev/ocp-release@${digestOf('4.17.1')}\n`);

    const unknown = run('openshift-install', ['version'], {
      env: { STANDIN_RELEASE_IMAGE: 'quay.io/openshift-release-dev/ocp-release:4.99.0-x86_64' },
    });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^level=fatal msg=.*4\.99\.0/m);
  });
});

describe('infraID formula', () => {
  it('sanitises, collapses dashes, cuts to 21, trims trailing dashes, adds 5 random characters', () => {
    expect(generateInfraID('mycluster', () => 'abcde')).toBe('mycluster-abcde');
    expect(generateInfraID('prod.east--cluster-01-x-long', () => 'abcde')).toBe('prod-east-cluster-01-abcde');
    expect(generateInfraID('a_b__c', () => 'xxxxx')).toBe('a-b-c-xxxxx');
    expect(generateInfraID('abcdefghijklmnopqrstuvwxyz', () => 'xxxxx')).toBe('abcdefghijklmnopqrstu-xxxxx');
    expect(generateInfraID('mycluster')).toMatch(/^mycluster-[a-z0-9]{5}$/);
  });
});

describe('openshift-install create manifests', () => {
  let dir: string;
  let first: ReturnType<typeof run>;
  beforeAll(() => {
    dir = freshDir('manifests');
    writeInstallConfig(dir, { unknownKey: 'only a warning' });
    first = install(dir, ['create', 'manifests']);
  });

  it('consumes install-config.yaml, logs the key lines, exits 0', () => {
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('level=info msg=Consuming Install Config from target directory\n');
    expect(first.stderr).toContain(
      `level=info msg=Manifests created in: ${dir}/cluster-api, ${dir}/manifests and ${dir}/openshift\n`,
    );
    expect(first.stderr).toMatch(/^level=warning msg=.*unknown field "unknownKey"/m);
    expect(existsSync(join(dir, 'install-config.yaml'))).toBe(false);
    expect(first.stderr).not.toContain(PULL_SECRET_MARKER);
  });

  it('writes the manifests, openshift and cluster-api folders, the state, but no metadata.json', () => {
    const manifests = readdirSync(join(dir, 'manifests'));
    expect(manifests).toEqual(
      expect.arrayContaining([
        'cluster-config.yaml',
        'cluster-infrastructure-02-config.yml',
        'openshift-config-secret-pull-secret.yaml',
        'cvo-overrides.yaml',
        'cluster-dns-02-config.yml',
        'cluster-ingress-02-config.yml',
        'cluster-network-02-config.yml',
        'cluster-proxy-01-config.yaml',
        'cluster-scheduler-02-config.yml',
      ]),
    );
    const openshift = readdirSync(join(dir, 'openshift'));
    expect(openshift).toEqual(
      expect.arrayContaining([
        '99_kubeadmin-password-secret.yaml',
        '99_openshift-machineconfig_99-master-ssh.yaml',
        '99_openshift-machineconfig_99-worker-ssh.yaml',
        '99_feature-gate.yaml',
        'openshift-install-manifests.yaml',
      ]),
    );
    // credentialsMode: Manual: no root credential in the cluster.
    expect(openshift).not.toContain('99_cloud-creds-secret.yaml');
    expect(readdirSync(join(dir, 'cluster-api')).length).toBeGreaterThan(0);
    expect(existsSync(join(dir, '.openshift_install_state.json'))).toBe(true);
    expect(existsSync(join(dir, 'metadata.json'))).toBe(false);
    // The log file's hook quotes values (logrus' default); only stderr's sets DisableQuote.
    expect(read(dir, '.openshift_install.log')).toMatch(
      /^time="[^"]+" level=info msg="Consuming Install Config from target directory"$/m,
    );
  });

  it('records the cluster id and the defaulted config (pull secret in plain text) in the state', () => {
    const state = JSON.parse(read(dir, '.openshift_install_state.json'));
    const { UUID, InfraID } = state['*installconfig.ClusterID'];
    expect(UUID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(InfraID).toMatch(/^mycluster-[a-z0-9]{5}$/);
    const config = state['*installconfig.InstallConfig'].config;
    expect(config.pullSecret).toBe(PULL_SECRET);
    expect(config.controlPlane).toMatchObject({ name: 'master', replicas: 3 });
    expect(config.compute[0]).toMatchObject({ name: 'worker', replicas: 3 });
    expect(config.networking.networkType).toBe('OVNKubernetes');
    expect(config.unknownKey).toBeUndefined();
  });

  it('writes the infrastructure, cluster-config, pull-secret, cvo-overrides and kubeadmin manifests', () => {
    const { UUID, InfraID } = JSON.parse(read(dir, '.openshift_install_state.json'))['*installconfig.ClusterID'];
    const infrastructure = parse(read(dir, 'manifests', 'cluster-infrastructure-02-config.yml'));
    expect(infrastructure).toMatchObject({
      apiVersion: 'config.openshift.io/v1',
      kind: 'Infrastructure',
      metadata: { name: 'cluster' },
      spec: { platformSpec: { type: 'AWS' } },
      status: {
        infrastructureName: InfraID,
        apiServerURL: 'https://api.mycluster.example.com:6443',
        platform: 'AWS',
        platformStatus: { type: 'AWS', aws: { region: 'us-east-1' } },
      },
    });

    const clusterConfig = parse(read(dir, 'manifests', 'cluster-config.yaml'));
    expect(clusterConfig).toMatchObject({
      kind: 'ConfigMap',
      metadata: { name: 'cluster-config-v1', namespace: 'kube-system' },
    });
    const embedded = parse(String(clusterConfig.data['install-config']));
    expect(embedded.pullSecret).toBe('');
    expect(embedded.metadata.name).toBe('mycluster');
    expect(embedded.sshKey).toBe(SSH_KEY);

    const pullSecret = parse(read(dir, 'manifests', 'openshift-config-secret-pull-secret.yaml'));
    expect(pullSecret).toMatchObject({
      kind: 'Secret',
      type: 'kubernetes.io/dockerconfigjson',
      metadata: { name: 'pull-secret', namespace: 'openshift-config' },
    });
    expect(Buffer.from(String(pullSecret.data['.dockerconfigjson']), 'base64').toString()).toBe(PULL_SECRET);

    expect(parse(read(dir, 'manifests', 'cvo-overrides.yaml')).spec.clusterID).toBe(UUID);
    const kubeadmin = parse(read(dir, 'openshift', '99_kubeadmin-password-secret.yaml'));
    expect(kubeadmin).toMatchObject({ kind: 'Secret', metadata: { name: 'kubeadmin', namespace: 'kube-system' } });
    expect(kubeadmin.data.kubeadmin.length).toBeGreaterThan(20);
    const ssh = parse(read(dir, 'openshift', '99_openshift-machineconfig_99-worker-ssh.yaml'));
    expect(ssh.spec.config.passwd.users[0].sshAuthorizedKeys).toEqual([SSH_KEY]);
  });

  it('reuses the state on a second run (same infraID), and regenerates it for a different install-config', () => {
    const { InfraID } = JSON.parse(read(dir, '.openshift_install_state.json'))['*installconfig.ClusterID'];
    const again = install(dir, ['create', 'manifests']);
    expect(again.status).toBe(0);
    expect(again.stderr).not.toContain('Consuming Install Config');
    expect(JSON.parse(read(dir, '.openshift_install_state.json'))['*installconfig.ClusterID'].InfraID).toBe(InfraID);

    writeInstallConfig(dir, { metadata: { name: 'other' } });
    const changed = install(dir, ['create', 'manifests']);
    expect(changed.status).toBe(0);
    expect(JSON.parse(read(dir, '.openshift_install_state.json'))['*installconfig.ClusterID'].InfraID).toMatch(
      /^other-[a-z0-9]{5}$/,
    );
  });

  it('writes 99_cloud-creds-secret.yaml without Manual mode and no ssh MachineConfigs without a key', () => {
    const mint = freshDir('mint');
    writeInstallConfig(mint, { credentialsMode: undefined, sshKey: undefined });
    expect(install(mint, ['create', 'manifests']).status).toBe(0);
    const openshift = readdirSync(join(mint, 'openshift'));
    expect(openshift).toContain('99_cloud-creds-secret.yaml');
    expect(openshift.filter((f) => f.includes('-ssh'))).toEqual([]);
  });
});

describe('openshift-install create manifests: bad input', () => {
  it('exits 3 with the field errors of an invalid install-config, and keeps the file', () => {
    const dir = freshDir('invalid');
    writeInstallConfig(dir, {
      baseDomain: undefined,
      platform: { aws: {} },
      pullSecret: '{"notAuths": {}}',
    });
    const result = install(dir, ['create', 'manifests']);
    expect(result.status).toBe(3);
    const fatal = result.stderr.split('\n').find((line) => line.startsWith('level=fatal msg='));
    expect(fatal).toContain('failed to create install config: invalid "install-config.yaml" file: [');
    expect(fatal).toContain('baseDomain: Required value');
    expect(fatal).toContain('platform.aws.region: Required value');
    expect(fatal).toContain('pullSecret: Invalid value');
    expect(existsSync(join(dir, 'install-config.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'manifests'))).toBe(false);
  });

  it('exits 3 on YAML it cannot parse', () => {
    const dir = freshDir('unparsable');
    writeFileSync(join(dir, 'install-config.yaml'), 'apiVersion: v1\nmetadata: [unclosed\n  name: x\n');
    const result = install(dir, ['create', 'manifests']);
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/^level=fatal msg=.*install-config\.yaml/m);
  });

  it('exits 1 without an install-config (no terminal to prompt on)', () => {
    const result = install(freshDir('empty'), ['create', 'manifests']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^level=fatal msg=.*Install Config/m);
  });
});

describe('openshift-install create cluster, wait-for, destroy', () => {
  let dir: string;
  let key: string;
  let created: ReturnType<typeof run>;
  beforeAll(() => {
    dir = freshDir('cluster');
    writeInstallConfig(dir);
    expect(install(dir, ['create', 'manifests']).status).toBe(0);
    // What the inject step copies in: ccoctl's Secret manifests and its tls/ signing key.
    writeFileSync(
      join(dir, 'manifests', 'openshift-machine-api-aws-cloud-credentials-credentials.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws-cloud-credentials\n  namespace: openshift-machine-api\n' +
        'stringData:\n  credentials: "[default]"\ntype: Opaque\n',
    );
    writeFileSync(
      join(dir, 'manifests', 'cluster-authentication-02-config.yaml'),
      'apiVersion: config.openshift.io/v1\nkind: Authentication\nmetadata:\n  name: cluster\n' +
        'spec:\n  serviceAccountIssuer: https://mysts-oidc.s3.us-east-1.amazonaws.com\n',
    );
    key = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    mkdirSync(join(dir, 'tls'));
    writeFileSync(join(dir, 'tls', 'bound-service-account-signing-key.key'), key, { mode: 0o600 });
    created = install(dir, ['create', 'cluster']);
  });

  it('logs the phases and ends with Install complete!, the kubeconfig, the console and the password', () => {
    expect(created.status).toBe(0);
    const password = read(dir, 'auth', 'kubeadmin-password');
    expect(password).toMatch(/^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}$/);
    const expected = [
      'Creating infrastructure resources...',
      'for the Kubernetes API at https://api.mycluster.example.com:6443...',
      'for bootstrapping to complete...',
      'Destroying the bootstrap resources...',
      'for the cluster at https://api.mycluster.example.com:6443 to initialize...',
      'Install complete!',
      `To access the cluster as the system:admin user when using 'oc', run 'export KUBECONFIG=${dir}/auth/kubeconfig'`,
      'Access the OpenShift web-console here: https://console-openshift-console.apps.mycluster.example.com',
      `Login to the console with user: "kubeadmin", and password: "${password}"`,
    ];
    let at = -1;
    for (const text of expected) {
      const next = created.stderr.indexOf(text, at + 1);
      expect({ text, found: next > at }).toEqual({ text, found: true });
      at = next;
    }
    expect(created.stderr).toMatch(
      /^level=info msg=Waiting up to 20m0s \(until \d{1,2}:\d\d[AP]M UTC\) for the Kubernetes/m,
    );
    expect(created.stderr).not.toMatch(/signing key/);
    // stderr is never quoted; the log file holds the same lines, each message Go-quoted after a time.
    expect(created.stderr).toContain(
      `\nlevel=info msg=Login to the console with user: "kubeadmin", and password: "${password}"\n`,
    );
    expect(read(dir, '.openshift_install.log')).toMatch(
      new RegExp(
        `^time="\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:Z|[+-]\\d\\d:\\d\\d)" level=info ` +
          `msg="Login to the console with user: \\\\"kubeadmin\\\\", and password: \\\\"${password}\\\\""$`,
        'm',
      ),
    );
    expect(read(dir, '.openshift_install.log')).toContain(
      'level=info msg="Access the OpenShift web-console here: https://console-openshift-console.apps.mycluster.example.com"\n',
    );
  });

  it('writes metadata.json in the AWS shape, and auth/ with mode 0600', () => {
    const { UUID, InfraID } = JSON.parse(read(dir, '.openshift_install_state.json'))['*installconfig.ClusterID'];
    expect(JSON.parse(read(dir, 'metadata.json'))).toEqual({
      clusterName: 'mycluster',
      clusterID: UUID,
      infraID: InfraID,
      aws: {
        region: 'us-east-1',
        identifier: [{ [`kubernetes.io/cluster/${InfraID}`]: 'owned' }, { openshiftClusterID: UUID }],
        clusterDomain: 'mycluster.example.com',
      },
    });
    expect(mode(dir, 'auth', 'kubeconfig')).toBe(0o600);
    expect(mode(dir, 'auth', 'kubeadmin-password')).toBe(0o600);
    const kubeconfig = parse(read(dir, 'auth', 'kubeconfig'));
    expect(kubeconfig.clusters[0].cluster.server).toBe('https://api.mycluster.example.com:6443');
    expect(kubeconfig['current-context']).toBe('admin');
  });

  it('consumes manifests/, openshift/ and the tls/ key, and records what it consumed', () => {
    expect(existsSync(join(dir, 'manifests'))).toBe(false);
    expect(existsSync(join(dir, 'openshift'))).toBe(false);
    expect(existsSync(join(dir, 'tls', 'bound-service-account-signing-key.key'))).toBe(false);
    const record = JSON.parse(read(dir, '.openshift_install_state.json')).standIn;
    expect(record.serviceAccountSigningKey).toBe('consumed');
    expect(record.serviceAccountSigningKeySha256).toBe(createHash('sha256').update(key).digest('hex'));
    expect(record.serviceAccountIssuer).toBe('https://mysts-oidc.s3.us-east-1.amazonaws.com');
    expect(record.manifestSecrets).toContain('openshift-machine-api/aws-cloud-credentials');
    expect(record.installPhase).toBe('complete');
  });

  it('wait-for install-complete prints the same ending; exits 6 when the install does not complete', () => {
    const ok = install(dir, ['wait-for', 'install-complete']);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toContain('level=info msg=Install complete!\n');
    expect(ok.stderr).toContain(`password: "${read(dir, 'auth', 'kubeadmin-password')}"`);
    const failed = install(dir, ['wait-for', 'install-complete'], {
      STANDIN_FAIL: 'openshift-install:install-complete',
    });
    expect(failed.status).toBe(6);
    expect(failed.stderr).toMatch(/^level=fatal msg=/m);
  });

  it('wait-for install-complete needs auth/kubeconfig', () => {
    const result = install(freshDir('no-kubeconfig'), ['wait-for', 'install-complete']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^level=fatal msg=loading kubeconfig: .*auth\/kubeconfig/m);
  });

  it('destroy cluster removes metadata.json, auth/ and the state, and says Uninstallation complete!', () => {
    const result = install(dir, ['destroy', 'cluster']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('level=info msg=Uninstallation complete!\n');
    for (const gone of ['metadata.json', 'auth', '.openshift_install_state.json']) {
      expect(existsSync(join(dir, gone))).toBe(false);
    }
    expect(existsSync(join(dir, '.openshift_install.log'))).toBe(true);
  });

  it('destroy cluster without metadata.json fails while preparing (exit 1)', () => {
    const result = install(dir, ['destroy', 'cluster']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^level=fatal msg=Failed while preparing to destroy cluster: .*metadata\.json/m);
  });
});

describe('openshift-install create cluster: the silent failures', () => {
  it('without tls/ it warns that it generates a new signing key and marks the state (stderr at --log-level warn)', () => {
    const dir = freshDir('no-tls');
    writeInstallConfig(dir);
    // No manifests run first: create cluster consumes install-config.yaml itself, as the real one does.
    const result = install(dir, ['create', 'cluster', '--log-level', 'warn']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^level=warning msg=.*generating a new service-account signing key/m);
    expect(result.stderr).not.toContain('level=info');
    expect(read(dir, '.openshift_install.log')).toContain('level=info msg="Install complete!"\n');
    const state = JSON.parse(read(dir, '.openshift_install_state.json'));
    expect(state.standIn.serviceAccountSigningKey).toBe('generated');
    expect(state['*tls.BoundSASigningKey'].Generated).toBe(true);
  });

  it('exits 1 without install-config and without state', () => {
    const result = install(freshDir('nothing'), ['create', 'cluster']);
    expect(result.status).toBe(1);
    expect(existsSync(join(scratch.path, 'nothing', 'metadata.json'))).toBe(false);
  });
});

describe('openshift-install fault injection', () => {
  it('fails a phase with the injected code, or the real code of that phase; metadata.json is already there', () => {
    const infra = freshDir('fail-infra');
    writeInstallConfig(infra);
    const four = install(infra, ['create', 'cluster'], { STANDIN_FAIL: 'openshift-install:infrastructure:4' });
    expect(four.status).toBe(4);
    expect(four.stderr).toMatch(/^level=fatal msg=.*injected/m);
    expect(four.stderr).not.toContain('Install complete!');
    expect(existsSync(join(infra, 'metadata.json'))).toBe(true);

    const boot = freshDir('fail-bootstrap');
    writeInstallConfig(boot);
    const five = install(boot, ['create', 'cluster'], { STANDIN_FAIL: 'openshift-install:bootstrap' });
    expect(five.status).toBe(5);

    const manifests = freshDir('fail-manifests');
    writeInstallConfig(manifests);
    const three = install(manifests, ['create', 'manifests'], { STANDIN_FAIL: 'openshift-install:create-manifests:3' });
    expect(three.status).toBe(3);
    expect(existsSync(join(manifests, 'install-config.yaml'))).toBe(true);
  });

  it('is slow when asked to be', () => {
    const slow = run('openshift-install', ['version'], { env: { STANDIN_SLOW: 'openshift-install:version:800' } });
    expect(slow.status).toBe(0);
    expect(slow.ms).toBeGreaterThanOrEqual(800);
  });

  it('exits 8 when interrupted', async () => {
    const dir = freshDir('interrupted');
    writeInstallConfig(dir);
    const child = spawn(join(BIN, 'openshift-install'), ['create', 'cluster', '--dir', dir], {
      env: standInEnv({ STANDIN_SLOW: 'openshift-install:infrastructure:20000' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let sent = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (!sent && stderr.includes('Creating infrastructure resources...')) sent = child.kill('SIGINT');
      });
      child.on('exit', resolve);
    });
    expect(code).toBe(8);
    expect(stderr).toMatch(/^level=fatal msg=interrupted/m);
  });
});

describe('openshift-install usage', () => {
  it('rejects an unknown command or flag with exit 1', () => {
    expect(run('openshift-install', ['create', 'nonsense']).status).toBe(1);
    const flag = run('openshift-install', ['version', '--bogus']);
    expect(flag.status).toBe(1);
    expect(flag.stderr).toContain('Error:');
  });
});
