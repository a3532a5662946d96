/*
 * The credentials-diff step on the oc stand-in, in small temporary git workspaces: render's outputs and the head
 * release's requests made as render and extract make them, then a base from a git ref or from the state's installed
 * record. The stand-ins serve one payload for every 4.16 release, so 4.16.3 → 4.16.5 is the "no AWS change" case
 * (the diffs with changes are in diff.spec.ts, on requests of our own).
 */
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chooseRelease,
  extractInputs,
  INSTALL_CONFIG_FILE,
  RELEASE_FILE,
  renderInstallConfig,
  stableJson,
  SLICES_DIR,
} from '@ocp-sts/cluster-config';
import { openStateStore, STATE_RECORDS, writeRecord, type InstalledRecord } from '@ocp-sts/state';
import { buildOutputDir, registryAuthFile, type ClusterStep } from '@ocp-sts/toolchain';
import { releaseByVersion } from '../../../../tools/stand-ins/src/releases.ts';
import {
  clusterYaml,
  STAND_IN_BIN,
  testWorkspace,
  uniqueName,
  withEnv,
  type TestWorkspace,
} from '../../../../tools/testing/cluster-workspace.ts';
import { extractReleaseAwsRequests } from '../release-requests.ts';
import { RELEASE_REQUESTS_DIR } from '../release-requests.ts';
import { credentialsDiff, headRequestsNeedingRoles } from './credentials-diff.ts';
import { formatJson, formatTable } from './format.ts';

let ws: TestWorkspace;
let quiet: { mockRestore: () => void };
const withStandIns = <T>(fn: () => Promise<T>) =>
  withEnv({ PATH: `${STAND_IN_BIN}:${process.env.PATH ?? ''}`, OPENSHIFT_RELEASE_IMAGE: undefined }, fn);
/** Without the stand-ins on PATH: any oc call fails, so a step that passes made none. */
const withoutOc = <T>(fn: () => Promise<T>) =>
  withEnv({ PATH: '/nonexistent', OPENSHIFT_RELEASE_IMAGE: undefined }, fn);

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd: ws.root,
    encoding: 'utf8',
  });

beforeAll(() => {
  ws = testWorkspace('creddiff-spec-');
  ws.write('.gitignore', 'secrets/\nclusters/*/.work/\n');
  git('init', '-q', '-b', 'main');
  git('commit', '-q', '--allow-empty', '-m', 'empty');
  // oc's command lines, echoed by runTool, would only clutter the test output.
  quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  quiet.mockRestore();
  ws.remove();
});

const withVersion = (yaml: string, version: string) => yaml.replace('version: "4.16.3"', `version: "${version}"`);

/** Writes render's outputs for the cluster as cluster.yaml now says, and extracts its requests as extract does. */
async function renderAndExtract(step: ClusterStep): Promise<void> {
  const choice = chooseRelease(step.loaded.cluster, undefined, undefined);
  if (choice.kind !== 'release') throw new Error('the test clusters name X.Y.Z versions');
  const render = step.dir('render');
  mkdirSync(join(render, SLICES_DIR), { recursive: true });
  writeFileSync(join(render, INSTALL_CONFIG_FILE), renderInstallConfig(step.loaded.cluster));
  writeFileSync(join(render, RELEASE_FILE), stableJson(choice.release));
  writeFileSync(join(render, SLICES_DIR, 'extract.json'), stableJson(extractInputs(step.loaded, choice.release)));
  await buildOutputDir(step.dir('extract'), (to) =>
    extractReleaseAwsRequests(step, {
      releaseImage: choice.release.image,
      installConfig: join(render, INSTALL_CONFIG_FILE),
      authFile: registryAuthFile(step),
      to,
    }),
  );
}

/** A cluster committed at 4.16.3, then at `version`: the step of the second commit, rendered and extracted. */
async function clusterMovedTo(version: string): Promise<{ name: string; step: ClusterStep }> {
  const name = uniqueName('cd');
  ws.addCluster({ name });
  git('add', '-A');
  git('commit', '-qm', `${name} at 4.16.3`);
  const file = `clusters/${name}/cluster.yaml`;
  // Another edit with it, so that the same version still makes a second commit.
  ws.write(file, `${withVersion(clusterYaml({ name }), version)}# edited\n`);
  git('commit', '-qam', `${name} at ${version}`);
  const step = ws.step(name, 'credentials-diff');
  await withStandIns(() => renderAndExtract(step));
  return { name, step };
}

describe('credentials-diff --base', () => {
  it('says no AWS request changed from 4.16.3 to 4.16.5, and reuses the base extraction on a second run', async () => {
    const { name, step } = await clusterMovedTo('4.16.5');
    const outcome = await withStandIns(() => credentialsDiff(step, { base: 'HEAD~1' }));
    expect(outcome).toMatchObject({
      status: 'unchanged',
      cluster: name,
      from: { version: '4.16.3', releaseImage: releaseByVersion('4.16.3')!.tagPullSpec, source: 'git HEAD~1' },
      to: { version: '4.16.5', releaseImage: releaseByVersion('4.16.5')!.tagPullSpec, source: 'this commit' },
    });
    expect(formatTable(outcome)).toMatch(
      /^credentials-diff: no AWS CredentialsRequest changed between 4\.16\.3 and 4\.16\.5 \(\d+ compared; git HEAD~1 → this commit\)$/,
    );
    expect(headRequestsNeedingRoles(step, outcome)).toEqual([]);
    // One content-addressed folder holding the base's install-config (as HEAD~1's cluster.yaml renders) and requests.
    const [key, ...more] = readdirSync(step.work(RELEASE_REQUESTS_DIR));
    expect(more).toEqual([]);
    const kept = step.work(RELEASE_REQUESTS_DIR, key!);
    expect(readFileSync(join(kept, INSTALL_CONFIG_FILE), 'utf8')).toBe(
      readFileSync(join(step.dir('render'), INSTALL_CONFIG_FILE), 'utf8'),
    );
    expect(readdirSync(join(kept, 'credrequests')).length).toBeGreaterThan(0);

    // No oc on PATH: a second run that extracted again would fail.
    const again = await withoutOc(() => credentialsDiff(step, { base: 'HEAD~1' }));
    expect(again).toEqual(outcome);
    expect(JSON.parse(formatJson(again))).toMatchObject({ status: 'unchanged', changed: [], needRoles: [] });
  });

  it('has nothing to compare when the ref names the same release, or the cluster is new at the ref', async () => {
    const { step } = await clusterMovedTo('4.16.3');
    const same = await withoutOc(() => credentialsDiff(step, { base: 'HEAD~1' }));
    expect(same).toMatchObject({ status: 'nothing-to-compare' });
    expect(formatTable(same)).toBe(
      'credentials-diff: nothing to compare: git HEAD~1 and this commit name the same release, 4.16.3',
    );
    const fresh = await withoutOc(() => credentialsDiff(step, { base: 'HEAD~2' }));
    expect(formatTable(fresh)).toBe(
      `credentials-diff: nothing to compare: clusters/${step.projectName}/cluster.yaml does not exist at HEAD~2: the cluster is new there`,
    );
  });

  it('refuses a ref that names no commit, or looks like an option, in one line', async () => {
    const { step } = await clusterMovedTo('4.16.4');
    await expect(withoutOc(() => credentialsDiff(step, { base: 'no-such-branch' }))).rejects.toThrow(
      /^--base=no-such-branch: no such commit, branch or tag in this repository \(in CI, fetch it first/,
    );
    await expect(withoutOc(() => credentialsDiff(step, { base: '--output=/tmp/x' }))).rejects.toThrow(
      '--base must name a git commit, branch or tag, got "--output=/tmp/x"',
    );
  });

  it('refuses a ref whose cluster.yaml does not load, naming the ref and the problem', async () => {
    const { step } = await clusterMovedTo('4.16.4');
    const file = `clusters/${step.projectName}/cluster.yaml`;
    ws.write(file, readFileSync(join(ws.root, file), 'utf8').replace('version: "4.16.4"', 'version: [1]'));
    git('commit', '-qam', 'broken');
    ws.write(file, withVersion(clusterYaml({ name: step.projectName }), '4.16.4'));
    git('commit', '-qam', 'fixed');
    await expect(withoutOc(() => credentialsDiff(step, { base: 'HEAD~1' }))).rejects.toThrow(
      /^--base=HEAD~1: the cluster's configuration at that ref does not load: 1 problem in [\s\S]*openshift\.version: expected an OpenShift version/,
    );
  });

  it("takes a minor-only version at the ref from that ref's release.lock.json, and refuses one without a pin", async () => {
    const name = uniqueName('cd');
    ws.addCluster({ name });
    const file = `clusters/${name}/cluster.yaml`;
    const pinned = releaseByVersion('4.16.3')!;
    ws.write(file, withVersion(clusterYaml({ name }), '4.16'));
    git('add', '-A');
    git('commit', '-qm', `${name} at 4.16, unpinned`);
    ws.write(
      `clusters/${name}/release.lock.json`,
      stableJson({ channel: 'stable-4.16', version: '4.16.3', image: pinned.digestPullSpec }),
    );
    git('add', '-A');
    git('commit', '-qm', `${name} pinned`);
    ws.write(file, withVersion(clusterYaml({ name }), '4.16.5'));
    git('commit', '-qam', `${name} at 4.16.5`);
    const step = ws.step(name, 'credentials-diff');
    await withStandIns(() => renderAndExtract(step));
    const outcome = await withStandIns(() => credentialsDiff(step, { base: 'HEAD~1' }));
    expect(outcome).toMatchObject({
      status: 'unchanged',
      from: { version: '4.16.3', releaseImage: pinned.digestPullSpec, source: 'git HEAD~1' },
    });
    await expect(withoutOc(() => credentialsDiff(step, { base: 'HEAD~2' }))).rejects.toThrow(
      `--base=HEAD~2: openshift.version "4.16" at that ref is a minor version without a pin for stable-4.16 in clusters/${name}/release.lock.json, so it names no single release`,
    );
  });

  it('fails naming oc when the base release cannot be read, and keeps no folder for it', async () => {
    const { step } = await clusterMovedTo('4.16.5');
    const file = `clusters/${step.projectName}/cluster.yaml`;
    ws.write(file, withVersion(clusterYaml({ name: step.projectName }), '4.99.0'));
    git('commit', '-qam', 'no such release');
    ws.write(file, withVersion(clusterYaml({ name: step.projectName }), '4.16.5'));
    git('commit', '-qam', 'back to 4.16.5');
    await expect(withStandIns(() => credentialsDiff(step, { base: 'HEAD~1' }))).rejects.toThrow(
      /^extracting the AWS requests of the base release \(git HEAD~1: 4\.99\.0\): `oc adm release extract` exited 1 \(.*\)\.\n[\s\S]*4\.99\.0[\s\S]*\nFull log: clusters\/cd-[0-9a-f]+\/\.work\/logs\/credentials-diff\.log$/,
    );
    // Nothing kept for 4.99.0, not even half-built: a later run extracts it anew.
    expect(readdirSync(step.work(RELEASE_REQUESTS_DIR))).toHaveLength(0);
  });
});

describe('credentials-diff against the installed release', () => {
  it('says the cluster is not installed when the state has no installed record', async () => {
    const { name, step } = await clusterMovedTo('4.16.5');
    const outcome = await withoutOc(() => credentialsDiff(step));
    expect(outcome).toMatchObject({ status: 'nothing-to-compare', from: null });
    expect(formatTable(outcome)).toBe(
      `credentials-diff: nothing to compare: ${name} is not installed (no installed.json in clusters/${name}/.work/state/); give --base=<git ref> to compare with the release a commit names`,
    );
  });

  it("compares with the installed record's release", async () => {
    const { step } = await clusterMovedTo('4.16.5');
    const installed = releaseByVersion('4.16.3')!;
    const store = openStateStore(step);
    const record: InstalledRecord = {
      version: '4.16.3',
      releaseImage: installed.digestPullSpec,
      at: new Date(0).toISOString(),
      by: 'test@host',
      infraID: 'x-abcde',
    };
    await writeRecord(store, STATE_RECORDS.installed, record);
    const outcome = await withStandIns(() => credentialsDiff(step));
    expect(outcome).toMatchObject({
      status: 'unchanged',
      from: { version: '4.16.3', releaseImage: installed.digestPullSpec, source: 'installed' },
      to: { version: '4.16.5' },
    });
    expect(formatTable(outcome)).toContain('between 4.16.3 and 4.16.5');

    await writeRecord(store, STATE_RECORDS.installed, { ...record, version: '4.16.5', releaseImage: 'x' });
    const same = await withoutOc(() => credentialsDiff(step));
    expect(formatTable(same)).toBe(
      'credentials-diff: nothing to compare: installed and this commit name the same release, 4.16.5',
    );
  });

  it('has nothing to compare for a cluster that is not manual-sts', async () => {
    const name = uniqueName('cd');
    ws.addCluster({ name, ccoMode: 'mint' });
    const outcome = await withoutOc(() => credentialsDiff(ws.step(name, 'credentials-diff')));
    expect(formatTable(outcome)).toMatch(/nothing to compare: cco_mode is mint, not manual-sts/);
    expect(existsSync(join(ws.root, `clusters/${name}/.work/${RELEASE_REQUESTS_DIR}`))).toBe(false);
  });
});
