/*
 * The oc stand-in's cluster commands against stand-in clusters (src/oc/cluster.ts, src/cluster/): apply -f of Secret
 * manifests, annotate of the CloudCredential, get -o json, and adm upgrade with the cloud-credential operator's
 * Upgradeable gate and the walk of an update. Each test installs its own cluster in the AWS emulator of the jest
 * global setup; the walk takes STANDIN_UPDATE_STEPS oc calls, so nothing here waits.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MISSING_UPGRADEABLE_ANNOTATION_MESSAGE, NO_UPDATE_SERVICE_MESSAGE } from './cluster/cvo.ts';
import { LAST_APPLIED } from './oc/cluster.ts';
import { releaseByVersion } from './releases.ts';
import {
  ccoctlSecretYaml,
  conditionOf,
  installSandboxCluster,
  kubeJson,
  run,
  tempDir,
  type KubeJson,
  type RunResult,
} from './spec-helpers.ts';

const scratch = tempDir('oc-cluster-');
afterAll(() => {
  scratch.remove();
});

let count = 0;
function freshDir(): string {
  const dir = join(scratch.path, `d${++count}`);
  mkdirSync(dir);
  return dir;
}

const STEPS = { STANDIN_UPDATE_STEPS: '3' };
const ANNOTATION = 'cloudcredential.openshift.io/upgradeable-to';
const image = (version: string) => releaseByVersion(version)!.digestPullSpec;

/** A cluster of `version` (the installer of that release) and an `oc` bound to its kubeconfig. */
function cluster(version = '4.16.3', env: Record<string, string> = {}) {
  const installed = installSandboxCluster(freshDir(), {
    env: { STANDIN_RELEASE_IMAGE: image(version), ...env },
  });
  expect(installed.result.status).toBe(0);
  const oc = (args: string[], extra: Record<string, string> = {}): RunResult =>
    run('oc', args, { env: { KUBECONFIG: installed.kubeconfig, ...STEPS, ...extra } });
  const clusterVersion = (extra: Record<string, string> = {}): KubeJson =>
    kubeJson(oc(['get', 'clusterversion', 'version', '-o', 'json'], extra));
  return { oc, clusterVersion, kubeconfig: installed.kubeconfig };
}

describe('oc apply -f', () => {
  it('creates, configures and leaves unchanged Secrets as oc apply reports them, from a file or a folder', () => {
    const { oc } = cluster();
    const manifests = freshDir();
    // The installer made this one (no last-applied annotation); ccoctl writes it again for the new release.
    writeFileSync(
      join(manifests, 'openshift-machine-api-aws-cloud-credentials-credentials.yaml'),
      ccoctlSecretYaml('openshift-machine-api', 'aws-cloud-credentials', 'arn:aws:iam::123456789012:role/example-mapi'),
    );
    writeFileSync(
      join(manifests, 'openshift-new-thing-credentials.yaml'),
      ccoctlSecretYaml('openshift-new', 'thing-credentials', 'arn:aws:iam::123456789012:role/example-new'),
    );
    writeFileSync(join(manifests, 'notes.txt'), 'not a manifest');

    const first = oc(['apply', '-f', manifests]);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe('secret/aws-cloud-credentials configured\nsecret/thing-credentials created\n');
    expect(first.stderr).toBe(
      `Warning: resource secrets/aws-cloud-credentials is missing the ${LAST_APPLIED} annotation which is required ` +
        'by oc apply. oc apply should only be used on resources created declaratively by either oc create ' +
        '--save-config or oc apply. The missing annotation will be patched automatically.\n',
    );
    expect(oc(['apply', '-f', manifests]).stdout).toBe(
      'secret/aws-cloud-credentials unchanged\nsecret/thing-credentials unchanged\n',
    );

    const changed = join(manifests, 'openshift-new-thing-credentials.yaml');
    writeFileSync(
      changed,
      ccoctlSecretYaml('openshift-new', 'thing-credentials', 'arn:aws:iam::123456789012:role/other'),
    );
    expect(oc(['apply', '-f', changed]).stdout).toBe('secret/thing-credentials configured\n');
    const secret = kubeJson(oc(['get', 'secret', 'thing-credentials', '-n', 'openshift-new', '-o', 'json']));
    expect(Buffer.from(secret.data.credentials!, 'base64').toString()).toContain(
      'role_arn = arn:aws:iam::123456789012:role/other',
    );
    expect(secret.metadata.annotations[LAST_APPLIED]).toContain('"stringData"');
  });

  it('refuses what it cannot apply, after applying the rest (exit 1), and a path that does not exist', () => {
    const { oc } = cluster();
    const dir = freshDir();
    writeFileSync(
      join(dir, 'a-config.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: y\n',
    );
    writeFileSync(join(dir, 'b-secret.yaml'), ccoctlSecretYaml('ns', 'b', 'arn:aws:iam::123456789012:role/b'));
    const result = oc(['apply', '-f', dir]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('secret/b created\n');
    expect(result.stderr).toMatch(/^error: the oc stand-in applies Secrets only; .*a-config\.yaml has ConfigMap x/);
    const missing = oc(['apply', '-f', join(dir, 'nope')]);
    expect(missing.stderr).toBe(`error: the path "${join(dir, 'nope')}" does not exist\n`);
  });
});

describe('oc annotate and the cloud-credential operator', () => {
  it('sets the upgradeable-to annotation; Upgradeable turns True only for a higher minor; --overwrite as kubectl', () => {
    const { oc } = cluster();
    const upgradeable = () => conditionOf(kubeJson(oc(['get', 'co', 'cloud-credential', '-o', 'json'])), 'Upgradeable');

    const same = oc(['annotate', 'cloudcredential.operator.openshift.io/cluster', `${ANNOTATION}=4.16`]);
    expect(same.stdout).toBe('cloudcredential.operator.openshift.io/cluster annotated\n');
    expect(upgradeable()).toMatchObject({
      status: 'False',
      reason: 'MissingUpgradeableAnnotation',
      message: MISSING_UPGRADEABLE_ANNOTATION_MESSAGE,
    });

    const refused = oc(['annotate', 'cloudcredential', 'cluster', `${ANNOTATION}=4.17`]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `error: --overwrite is false but found the following declared annotation(s): '${ANNOTATION}' already has a value (4.16)\n`,
    );
    expect(oc(['annotate', 'cloudcredential', 'cluster', `${ANNOTATION}=4.16`]).status).toBe(0); // same value: fine
    expect(oc(['annotate', 'cloudcredential', 'cluster', `${ANNOTATION}=v4.17`, '--overwrite']).status).toBe(0);
    expect(upgradeable()).toMatchObject({ status: 'True', reason: 'AsExpected' });
    const cv = kubeJson(oc(['get', 'clusterversion', 'version', '-o', 'json']));
    expect(conditionOf(cv, 'Upgradeable')).toBeUndefined();
    const cc = kubeJson(oc(['get', 'cloudcredential', 'cluster', '-o', 'json']));
    expect(cc.metadata.annotations[ANNOTATION]).toBe('v4.17');

    // Only major.minor counts: a patch version in the annotation is the same as its minor.
    expect(oc(['annotate', 'cloudcredential', 'cluster', `${ANNOTATION}=4.16.99`, '--overwrite']).status).toBe(0);
    expect(upgradeable()?.status).toBe('False');
    expect(oc(['annotate', 'cloudcredential', 'cluster', `${ANNOTATION}-`]).status).toBe(0);
    expect(upgradeable()?.status).toBe('False');
    expect(oc(['annotate', 'cloudcredential', 'nope', 'a=b']).stderr).toBe(
      'Error from server (NotFound): cloudcredentials.operator.openshift.io "nope" not found\n',
    );
  });
});

describe('oc adm upgrade', () => {
  it('a minor update: needs the channel and an edge, is refused by the CVO until the annotation, then walks', () => {
    const { oc, clusterVersion } = cluster();
    const status = oc(['adm', 'upgrade']);
    expect(status.stdout).toBe(
      'Cluster version is 4.16.3\n\n' +
        'Upgradeable=False\n\n  Reason: MissingUpgradeableAnnotation\n' +
        `  Message: Cluster operator cloud-credential should not be upgraded between minor versions: ${MISSING_UPGRADEABLE_ANNOTATION_MESSAGE}\n\n` +
        'Upstream is unset, so the cluster will use an appropriate default.\n' +
        'Channel: stable-4.16 (available channels: stable-4.16, stable-4.17)\n' +
        'No updates available. You may still upgrade to a specific release image with --to-image or wait for new updates to be available.\n',
    );
    expect(oc(['adm', 'upgrade', '--to=4.17.9']).stderr).toBe(
      'error: no recommended updates, specify --to-image to continue with the update or wait for new updates to be available.\n',
    );
    expect(oc(['adm', 'upgrade', 'channel', 'stable-4.18']).stderr).toBe(
      'error: the requested channel "stable-4.18" is not one of the available channels (stable-4.16, stable-4.17), you must pass --allow-explicit-channel to continue\n\n',
    );
    expect(oc(['adm', 'upgrade', 'channel', 'stable-4.17']).status).toBe(0);
    expect(oc(['adm', 'upgrade']).stdout).toContain(
      `\nRecommended updates:\n\n  VERSION     IMAGE\n  4.17.9      ${image('4.17.9')}\n`,
    );
    expect(oc(['adm', 'upgrade', '--to=4.18.40']).stderr).toBe(
      'error: the update is not one of the possible targets: 4.17.9. specify --to-image to continue with the update.\n',
    );

    // oc asks; the CVO's precondition refuses a minor update while the CCO is not Upgradeable.
    const requested = oc(['adm', 'upgrade', '--to=4.17.9']);
    expect(requested.status).toBe(0);
    expect(requested.stdout).toBe('Requested update to 4.17.9\n');
    const refused = clusterVersion();
    expect(refused.spec.desiredUpdate).toEqual({ version: '4.17.9', image: image('4.17.9') });
    expect(refused.status.desired.version).toBe('4.16.3');
    expect(refused.status.history).toHaveLength(1);
    expect(conditionOf(refused, 'ReleaseAccepted')).toMatchObject({
      status: 'False',
      reason: 'PreconditionChecks',
      message:
        `Preconditions failed for payload loaded version="4.17.9" image="${image('4.17.9')}": ` +
        'Precondition "ClusterVersionUpgradeable" failed because of "MissingUpgradeableAnnotation": ' +
        `Cluster operator cloud-credential should not be upgraded between minor versions: ${MISSING_UPGRADEABLE_ANNOTATION_MESSAGE}`,
    });
    expect(oc(['adm', 'upgrade']).stdout).toContain('ReleaseAccepted=False\n\n  Reason: PreconditionChecks\n');

    // The annotation lets the CVO accept it; then every oc call is one step of STANDIN_UPDATE_STEPS.
    expect(oc(['annotate', 'cloudcredential', 'cluster', `${ANNOTATION}=4.17`]).status).toBe(0);
    const accepted = clusterVersion();
    expect(accepted.status.desired.version).toBe('4.17.9');
    expect(accepted.status.history.map((h) => `${h.state} ${h.version}`)).toEqual([
      'Partial 4.17.9',
      'Completed 4.16.3',
    ]);
    expect(conditionOf(accepted, 'Progressing')).toMatchObject({
      status: 'True',
      message: 'Working towards 4.17.9: 287 of 863 done (33% complete)',
    });
    expect(conditionOf(accepted, 'ReleaseAccepted')?.status).toBe('True');
    expect(oc(['adm', 'upgrade']).stdout).toMatch(
      /^info: An upgrade is in progress\. Working towards 4\.17\.9: 575 of 863 done \(66% complete\)\n/,
    );
    const busy = oc(['adm', 'upgrade', '--to=4.17.9']);
    expect(busy.stdout).toBe('info: Cluster is already at version 4.17.9\n');
    const done = clusterVersion();
    expect(done.status.history.map((h) => `${h.state} ${h.version}`)).toEqual(['Completed 4.17.9', 'Completed 4.16.3']);
    expect(conditionOf(done, 'Progressing')).toMatchObject({ status: 'False', message: 'Cluster version is 4.17.9' });
    expect(conditionOf(done, 'Available')).toMatchObject({ status: 'True', message: 'Done applying 4.17.9' });
    expect(done.status.desired.channels).toEqual(['stable-4.17', 'stable-4.18']);
    // At 4.17 the annotation 4.17 no longer lifts the gate: the next minor needs it raised again.
    expect(conditionOf(done, 'Upgradeable')?.reason).toBe('MissingUpgradeableAnnotation');
    const co = kubeJson(oc(['get', 'clusteroperator', 'cloud-credential', '-o', 'json']));
    expect(co.status.versions).toEqual([{ name: 'operator', version: '4.17.9' }]);
  });

  it('a patch update is never blocked by the CCO, and a second request at the target is a no-op', () => {
    const { oc, clusterVersion } = cluster('4.18.6');
    expect(conditionOf(clusterVersion(), 'Upgradeable')?.status).toBe('False');
    expect(oc(['adm', 'upgrade', '--to=4.18.40']).stdout).toBe('Requested update to 4.18.40\n');
    for (let i = 0; i < 3; i++) clusterVersion();
    const done = clusterVersion();
    expect(done.status.history.map((h) => `${h.state} ${h.version}`)).toEqual([
      'Completed 4.18.40',
      'Completed 4.18.6',
    ]);
    expect(oc(['adm', 'upgrade', '--to=4.18.40']).stdout).toBe('info: Cluster is already at version 4.18.40\n');
  });

  it('--force waives the precondition (recorded as accepted risks) and warns as oc does', () => {
    const { oc, clusterVersion } = cluster();
    expect(oc(['adm', 'upgrade', 'channel', 'stable-4.17']).status).toBe(0);
    const forced = oc(['adm', 'upgrade', '--to=4.17.9', '--force']);
    expect(forced.stdout).toBe('Requested update to 4.17.9\n');
    expect(forced.stderr).toMatch(/^warning: --force overrides cluster verification of your supplied release image/);
    const entry = clusterVersion().status.history[0]!;
    expect(entry).toMatchObject({ state: 'Partial', version: '4.17.9', verified: false });
    expect(entry.acceptedRisks).toMatch(
      /^Forced through blocking failures: Precondition "ClusterVersionUpgradeable" failed because of "MissingUpgradeableAnnotation": /,
    );
  });

  it('without an update service: --to cannot refresh, --to-image by digest needs --allow-explicit-upgrade', () => {
    const { oc, clusterVersion } = cluster('4.16.3', { STANDIN_CLUSTER_UPDATE_SERVICE: 'none' });
    expect(oc(['annotate', 'cloudcredential', 'cluster', `${ANNOTATION}=4.17`]).status).toBe(0);
    expect(oc(['adm', 'upgrade', '--to=4.17.9']).stderr).toBe(
      `error: cannot refresh available updates:\n  Reason: RemoteFailed\n  Message: ${NO_UPDATE_SERVICE_MESSAGE}\n\n` +
        'specify --to-image to continue with the update.\n',
    );
    expect(oc(['adm', 'upgrade', `--to-image=${image('4.17.9')}`]).stderr).toMatch(
      /specify --allow-explicit-upgrade to continue with the update\.\n$/,
    );
    expect(
      oc([
        'adm',
        'upgrade',
        '--to-image=quay.io/openshift-release-dev/ocp-release:4.17.9-x86_64',
        '--allow-explicit-upgrade',
      ]).stderr,
    ).toMatch(/^error: --to-image must be a by-digest pull spec, unless --force is also set/);
    const explicit = oc(['adm', 'upgrade', `--to-image=${image('4.17.9')}`, '--allow-explicit-upgrade']);
    expect(explicit.stdout).toBe(`Requested update to release image ${image('4.17.9')}\n`);
    expect(explicit.stderr).toBe(
      'warning: The requested upgrade image is not one of the available updates. You have used --allow-explicit-upgrade for the update to proceed anyway\n',
    );
    const cv = clusterVersion();
    expect(cv.spec.desiredUpdate).toEqual({ image: image('4.17.9') });
    expect(cv.status.desired.version).toBe('4.17.9');

    const unknown = cluster('4.16.3', { STANDIN_CLUSTER_UPDATE_SERVICE: 'none' });
    const digest = `quay.io/openshift-release-dev/ocp-release@sha256:${'0'.repeat(64)}`;
    expect(unknown.oc(['adm', 'upgrade', `--to-image=${digest}`, '--allow-explicit-upgrade']).status).toBe(0);
    expect(conditionOf(unknown.clusterVersion(), 'ReleaseAccepted')).toMatchObject({
      status: 'False',
      reason: 'RetrievePayload',
    });
  });

  it('STANDIN_FAIL=oc:update-stall stalls the walk with a Failing condition; without it the update completes', () => {
    const { oc, clusterVersion } = cluster('4.18.6');
    const stall = { STANDIN_FAIL: 'oc:update-stall' };
    expect(oc(['adm', 'upgrade', '--to=4.18.40']).status).toBe(0);
    for (let i = 0; i < 4; i++) clusterVersion(stall);
    const stalled = clusterVersion(stall);
    expect(stalled.status.history[0]).toMatchObject({ state: 'Partial', version: '4.18.40' });
    expect(conditionOf(stalled, 'Failing')).toMatchObject({
      status: 'True',
      reason: 'ClusterOperatorDegraded',
      message: 'Cluster operator machine-api is degraded',
    });
    expect(conditionOf(stalled, 'Progressing')?.message).toBe(
      'Unable to apply 4.18.40: the cluster operator machine-api is degraded',
    );
    const status = oc(['adm', 'upgrade'], stall);
    expect(status.stdout).toMatch(
      /^Failing=True:\n\n {2}Reason: ClusterOperatorDegraded\n {2}Message: Cluster operator machine-api is degraded\n\n/,
    );
    // A fault of every oc step (`oc:*`) is not the stall: the walk goes on.
    clusterVersion({ STANDIN_FAIL: 'oc:*' });
    clusterVersion();
    const done = clusterVersion();
    expect(done.status.history[0]).toMatchObject({ state: 'Completed', version: '4.18.40' });
    expect(conditionOf(done, 'Failing')?.status).toBe('False');
  });

  it('refuses a bad --to, --to with --to-image, and a request while an update is in progress', () => {
    const { oc } = cluster('4.17.9');
    expect(oc(['adm', 'upgrade', '--to=4.18']).stderr).toBe(
      'error: --to must be a semantic version (e.g. 4.0.1 or 4.1.0-nightly-20181104): No Major.Minor.Patch elements found\n',
    );
    expect(oc(['adm', 'upgrade', '--to=4.18.6', `--to-image=${image('4.18.6')}`]).stderr).toBe(
      'error: only one of --to or --to-image may be provided\n',
    );
    expect(oc(['adm', 'upgrade', 'channel', 'stable-4.18']).status).toBe(0);
    expect(oc(['annotate', 'cloudcredential', 'cluster', `${ANNOTATION}=4.18`]).status).toBe(0);
    expect(oc(['adm', 'upgrade', '--to=4.18.6']).stdout).toBe('Requested update to 4.18.6\n');
    const busy = oc(['adm', 'upgrade', '--to=4.18.40']);
    expect(busy.status).toBe(1);
    expect(busy.stderr).toMatch(
      /^error: the cluster is already upgrading:\n\n {2}Reason: \n {2}Message: Working towards 4\.18\.6: .*\n\nIf you want to upgrade anyway, use --allow-upgrade-with-warnings\.\n$/,
    );
  });
});
