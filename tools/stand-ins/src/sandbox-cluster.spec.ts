/*
 * The stand-in cluster that `openshift-install create cluster` brings up (src/cluster/), reached by the `oc` stand-in
 * through the installer's kubeconfig. It lives in the AWS emulator of the jest global setup, so these tests run as
 * child processes against it, each on clusters of its own (random infraIDs), beside other test files.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MISSING_UPGRADEABLE_ANNOTATION_MESSAGE } from './cluster/cvo.ts';
import { CLUSTER_EXTENSION, MISSING_CONFIGURATION } from './cluster/kubeconfig.ts';
import { releaseByVersion } from './releases.ts';
import { conditionOf, installSandboxCluster, kubeJson, run, tempDir, type RunResult } from './spec-helpers.ts';

const scratch = tempDir('sandbox-cluster-');
afterAll(() => {
  scratch.remove();
});

let count = 0;
function freshDir(): string {
  const dir = join(scratch.path, `c${++count}`);
  mkdirSync(dir);
  return dir;
}

function oc(kubeconfig: string, args: string[], env: Record<string, string | undefined> = {}): RunResult {
  return run('oc', args, { env: { KUBECONFIG: kubeconfig, ...env } });
}

describe('openshift-install create cluster brings up a cluster that oc reaches with its kubeconfig', () => {
  let dir: string;
  let kubeconfig: string;
  let infraID: string;

  beforeAll(() => {
    dir = freshDir();
    const installed = installSandboxCluster(dir);
    expect(installed.result.status).toBe(0);
    ({ kubeconfig, infraID } = installed);
  });

  it('names the cluster in a valid kubeconfig: an extension of its cluster entry with the infraID and region', () => {
    const config = parse(readFileSync(kubeconfig, 'utf8'));
    expect(config.clusters[0].cluster.extensions).toEqual([
      { name: CLUSTER_EXTENSION, extension: { infraID, region: 'us-east-1' } },
    ]);
    expect(config.clusters[0].cluster.server).toBe('https://api.example.example.com:6443');
  });

  it('ClusterVersion version: the installed release completed, its channel, conditions, no update in stable-4.16', () => {
    const cv = kubeJson(oc(kubeconfig, ['get', 'clusterversion', 'version', '-o', 'json']));
    const release = releaseByVersion('4.16.3')!;
    expect(cv.apiVersion).toBe('config.openshift.io/v1');
    expect(cv.kind).toBe('ClusterVersion');
    expect(cv.spec.channel).toBe('stable-4.16');
    expect(cv.status.desired).toEqual({
      version: '4.16.3',
      image: release.digestPullSpec,
      url: 'https://access.redhat.com/errata/stand-in-4.16.3',
      channels: ['stable-4.16', 'stable-4.17'],
    });
    expect(cv.status.history).toHaveLength(1);
    expect(cv.status.history[0]).toMatchObject({
      state: 'Completed',
      version: '4.16.3',
      image: release.digestPullSpec,
    });
    expect(cv.status.history[0]!.completionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(conditionOf(cv, 'Available')).toMatchObject({ status: 'True', message: 'Done applying 4.16.3' });
    expect(conditionOf(cv, 'Progressing')).toMatchObject({ status: 'False', message: 'Cluster version is 4.16.3' });
    expect(conditionOf(cv, 'Failing')?.status).toBe('False');
    expect(conditionOf(cv, 'RetrievedUpdates')?.status).toBe('True');
    expect(cv.status.availableUpdates).toBeNull();
    expect(conditionOf(cv, 'Upgradeable')).toMatchObject({
      status: 'False',
      reason: 'MissingUpgradeableAnnotation',
      message: `Cluster operator cloud-credential should not be upgraded between minor versions: ${MISSING_UPGRADEABLE_ANNOTATION_MESSAGE}`,
    });
  });

  it('CloudCredential cluster in Manual mode, with the annotations of its manifest', () => {
    const cc = kubeJson(oc(kubeconfig, ['get', 'cloudcredential', 'cluster', '-o', 'json']));
    expect(cc.apiVersion).toBe('operator.openshift.io/v1');
    expect(cc.spec.credentialsMode).toBe('Manual');
    expect(cc.metadata.annotations['include.release.openshift.io/self-managed-high-availability']).toBe('true');
    expect(cc.metadata.annotations['cloudcredential.openshift.io/upgradeable-to']).toBeUndefined();
  });

  it('the cloud-credential ClusterOperator: Upgradeable=False in Manual mode with the CCO message', () => {
    const co = kubeJson(oc(kubeconfig, ['get', 'clusteroperator', 'cloud-credential', '-o', 'json']));
    expect(conditionOf(co, 'Upgradeable')).toEqual({
      type: 'Upgradeable',
      status: 'False',
      reason: 'MissingUpgradeableAnnotation',
      message:
        'Upgradeable annotation cloudcredential.openshift.io/upgradeable-to on cloudcredential.operator.openshift.io/cluster ' +
        'object needs updating before upgrade. See Manually Creating IAM documentation for instructions on preparing a ' +
        'cluster for upgrade.',
      lastTransitionTime: expect.any(String),
    });
    expect(conditionOf(co, 'Available')?.status).toBe('True');
    expect(co.status.versions).toEqual([{ name: 'operator', version: '4.16.3' }]);
  });

  it('holds the Secrets of the manifests: the ccoctl Secret with stringData stored as data, the pull secret', () => {
    const secret = kubeJson(
      oc(kubeconfig, ['get', 'secret', 'aws-cloud-credentials', '-n', 'openshift-machine-api', '-o', 'json']),
    );
    expect(secret.kind).toBe('Secret');
    expect(secret.type).toBe('Opaque');
    expect(secret.stringData).toBeUndefined();
    expect(Buffer.from(secret.data.credentials!, 'base64').toString()).toContain(
      'role_arn = arn:aws:iam::123456789012:role/example-mapi',
    );
    const pull = kubeJson(oc(kubeconfig, ['get', 'secret', 'pull-secret', '-n', 'openshift-config', '-o', 'json']));
    expect(pull.type).toBe('kubernetes.io/dockerconfigjson');
    const missing = oc(kubeconfig, ['get', 'secret', 'nothing-here', '-n', 'openshift-config', '-o', 'json']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): secrets "nothing-here" not found\n');
    const table = oc(kubeconfig, ['get', 'clusterversion']);
    expect(table.stdout).toMatch(
      /^NAME {6}VERSION {3}AVAILABLE {3}PROGRESSING {3}SINCE {3}STATUS\nversion {3}4\.16\.3 /,
    );
  });

  it('any copy of the kubeconfig reaches the same cluster (--kubeconfig or KUBECONFIG)', () => {
    const elsewhere = join(freshDir(), 'kubeconfig');
    copyFileSync(kubeconfig, elsewhere);
    const annotated = oc(elsewhere, ['annotate', 'secret', 'pull-secret', '-n', 'openshift-config', 'seen-by=copy']);
    expect(annotated.stdout).toBe('secret/pull-secret annotated\n');
    const viaFlag = run(
      'oc',
      ['get', 'secret/pull-secret', '-n', 'openshift-config', '-o', 'json', '--kubeconfig', kubeconfig],
      {
        env: { KUBECONFIG: '' },
      },
    );
    expect(kubeJson(viaFlag).metadata.annotations['seen-by']).toBe('copy');
    const before = run('oc', [`--kubeconfig=${elsewhere}`, 'get', 'cloudcredential', 'cluster', '-o', 'name'], {
      env: { KUBECONFIG: '' },
    });
    expect(before.stdout).toBe('cloudcredential.operator.openshift.io/cluster\n');
  });
});

describe('clusters of the same name and base domain never meet', () => {
  it('two installs of `example` are two clusters; destroy cluster removes one, and oc then cannot reach it', () => {
    const first = installSandboxCluster(freshDir());
    const secondDir = freshDir();
    const second = installSandboxCluster(secondDir);
    expect(first.infraID).not.toBe(second.infraID);
    expect(oc(first.kubeconfig, ['annotate', 'cloudcredential', 'cluster', 'only-in=first']).status).toBe(0);
    const other = kubeJson(oc(second.kubeconfig, ['get', 'cloudcredential', 'cluster', '-o', 'json']));
    expect(other.metadata.annotations['only-in']).toBeUndefined();

    const kept = join(freshDir(), 'kubeconfig');
    copyFileSync(second.kubeconfig, kept);
    expect(run('openshift-install', ['destroy', 'cluster', '--dir', secondDir]).status).toBe(0);
    const gone = oc(kept, ['get', 'clusterversion', 'version', '-o', 'json']);
    expect(gone.status).toBe(1);
    expect(gone.stderr).toBe(
      'Unable to connect to the server: dial tcp: lookup api.example.example.com: no such host\n',
    );
    expect(oc(first.kubeconfig, ['get', 'clusterversion', 'version', '-o', 'json']).status).toBe(0);
  });

  it('without a kubeconfig oc says what the real one says', () => {
    const home = freshDir();
    const none = run('oc', ['get', 'clusterversion', 'version'], { env: { KUBECONFIG: '', HOME: home } });
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(`error: ${MISSING_CONFIGURATION}\n`);
    const missing = run('oc', ['get', 'clusterversion', '--kubeconfig', join(home, 'nope')]);
    expect(missing.stderr).toBe(`error: stat ${join(home, 'nope')}: no such file or directory\n`);
  });
});

describe('an install that did not complete', () => {
  it('has its install Partial and no Upgradeable=False until wait-for install-complete sees it through', () => {
    const dir = freshDir();
    const failed = installSandboxCluster(dir, { env: { STANDIN_FAIL: 'openshift-install:install-complete' } });
    expect(failed.result.status).toBe(6);
    const cv = kubeJson(oc(failed.kubeconfig, ['get', 'clusterversion', 'version', '-o', 'json']));
    expect(cv.status.history.map((h) => h.state)).toEqual(['Partial']);
    expect(conditionOf(cv, 'Available')?.status).toBe('False');
    expect(conditionOf(cv, 'Upgradeable')).toBeUndefined();
    const co = kubeJson(oc(failed.kubeconfig, ['get', 'co', 'cloud-credential', '-o', 'json']));
    expect(conditionOf(co, 'Upgradeable')).toMatchObject({ status: 'True', reason: 'AsExpected' });

    expect(run('openshift-install', ['wait-for', 'install-complete', '--dir', dir]).status).toBe(0);
    const done = kubeJson(oc(failed.kubeconfig, ['get', 'clusterversion', 'version', '-o', 'json']));
    expect(done.status.history.map((h) => h.state)).toEqual(['Completed']);
    expect(conditionOf(done, 'Upgradeable')?.reason).toBe('MissingUpgradeableAnnotation');
  });
});
