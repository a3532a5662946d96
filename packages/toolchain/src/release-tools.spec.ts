/*
 * Which tool folders a step uses. The release here is named by digest and its tools are already extracted in
 * .work/bin/<digest>/, so no oc runs: what is tested is the choice and the order of the folders.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Release } from '@ocp-sts/cluster-config';
import { testWorkspace, type TestWorkspace } from '../../../tools/testing/cluster-workspace.ts';
import type { ClusterStep } from './cluster-step.ts';
import { BIN_DIR_ENV, toolDirs, USE_RELEASE_TOOLS_ENV, wantsReleaseTools } from './release-tools.ts';

const DIGEST = 'ab'.repeat(32);
const release: Release = {
  image: `quay.io/openshift-release-dev/ocp-release@sha256:${DIGEST}`,
  version: '4.16.3',
  source: 'openshift.release_image',
};

let ws: TestWorkspace;
let step: ClusterStep;
let extracted: string;

beforeAll(() => {
  ws = testWorkspace('release-tools-spec-');
  ws.addCluster({ name: 'tools' });
  step = ws.step('tools', 'manifests');
  extracted = step.work('bin', DIGEST.slice(0, 16));
  mkdirSync(extracted, { recursive: true });
  for (const tool of ['openshift-install', 'ccoctl']) writeFileSync(join(extracted, tool), '', { mode: 0o755 });
});
afterAll(() => {
  ws.remove();
});

describe('wantsReleaseTools: the switch, read as every compatibility variable', () => {
  it.each(['1', 'true', 'yes', 'TRUE', 'Yes'])('%s turns it on', (value) => {
    expect(wantsReleaseTools({}, { [USE_RELEASE_TOOLS_ENV]: value })).toBe(true);
  });

  it.each(['', '0', 'false', 'no', 'on'])('%j leaves it off', (value) => {
    expect(wantsReleaseTools({}, { [USE_RELEASE_TOOLS_ENV]: value })).toBe(false);
  });

  it('is off when unset, and the option wins over the variable', () => {
    expect(wantsReleaseTools({}, {})).toBe(false);
    expect(wantsReleaseTools({ useReleaseTools: false }, { [USE_RELEASE_TOOLS_ENV]: 'yes' })).toBe(false);
    expect(wantsReleaseTools({ useReleaseTools: true }, { [USE_RELEASE_TOOLS_ENV]: '0' })).toBe(true);
  });
});

describe('toolDirs: which tool folders, for this step', () => {
  it('is the binDir option, then $OCP_STS_BIN_DIR', async () => {
    expect(await toolDirs(step, release, { binDir: '/opt/a' }, { [BIN_DIR_ENV]: '/opt/b' })).toEqual([
      '/opt/a',
      '/opt/b',
    ]);
    expect(await toolDirs(step, release, {}, { [BIN_DIR_ENV]: '/opt/b' })).toEqual(['/opt/b']);
    expect(await toolDirs(step, release, {}, {})).toEqual([]);
  });

  it("puts the release's own tools first when the switch is on", async () => {
    const env = { [USE_RELEASE_TOOLS_ENV]: 'yes', [BIN_DIR_ENV]: '/opt/b' };
    expect(await toolDirs(step, release, { binDir: '/opt/a' }, env)).toEqual([extracted, '/opt/a', '/opt/b']);
    expect(await toolDirs(step, release, { useReleaseTools: true }, {})).toEqual([extracted]);
  });

  it('extracts nothing without a release (destroy before render, preflight)', async () => {
    expect(await toolDirs(step, undefined, { useReleaseTools: true }, { [BIN_DIR_ENV]: '/opt/b' })).toEqual(['/opt/b']);
  });
});
