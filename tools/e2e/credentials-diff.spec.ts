/*
 * End to end: credentials-diff through real `nx` on the stand-ins. The example cluster moves from 4.16.3 to 4.16.5 in
 * a commit; `--base=HEAD~1` runs render and extract for the head (dependsOn), extracts 4.16.3's requests into
 * .work/release-requests/ and says no AWS request changed (the stand-ins serve one payload for every 4.16 release);
 * without --base the cluster is not installed; under `nx affected` the base comes from OCP_STS_DIFF_BASE; a ref that
 * names no commit fails in one line. No AWS, no cluster.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineWorkspace, sandboxNx, sandboxNxStatus } from '../testing/pipeline.ts';
import type { TempWorkspace } from '../testing/workspace.ts';

describe('credentials-diff through nx', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = pipelineWorkspace();
    const file = 'clusters/example/cluster.yaml';
    ws.write(file, readFileSync(join(ws.root, file), 'utf8').replace('version: "4.16.3"', 'version: "4.16.5"'));
    ws.git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-qam', 'example: 4.16.5');
  });
  afterAll(() => {
    ws.remove();
  });

  it('says no AWS request changed between the release of HEAD~1 and this one, as JSON too', () => {
    const output = sandboxNx(ws, ['run', 'example:credentials-diff', '--base=HEAD~1']);
    expect(output).toMatch(/nx run example:extract/);
    expect(output).toContain(
      'credentials-diff: no AWS CredentialsRequest changed between 4.16.3 and 4.16.5 (6 compared; git HEAD~1 → this commit)',
    );
    // The base's requests, extracted as extract does, into a folder of its own.
    expect(output).toMatch(
      /\$ oc adm release extract --credentials-requests --cloud=aws --included --install-config=clusters\/example\/\.work\/release-requests\/[0-9a-f]{16}\.partial-\d+\/install-config\.yaml .* quay\.io\/openshift-release-dev\/ocp-release:4\.16\.3-x86_64$/m,
    );

    // The second run reuses the base's requests: no oc call of its own (nx replays extract's cached log, 4.16.5's).
    const again = sandboxNx(ws, ['run', 'example:credentials-diff', '--base=HEAD~1']);
    expect(again).toContain('credentials-diff: no AWS CredentialsRequest changed between 4.16.3 and 4.16.5');
    expect(again).not.toContain('.work/release-requests/');

    const json = sandboxNx(ws, ['run', 'example:credentials-diff', '--base=HEAD~1', '--format=json']);
    const line = json.split('\n').find((l) => l.startsWith('{'));
    expect(JSON.parse(line!)).toMatchObject({
      schema: 'ocp-sts/credentials-diff/v1',
      cluster: 'example',
      status: 'unchanged',
      from: { version: '4.16.3', source: 'git HEAD~1' },
      to: { version: '4.16.5', source: 'this commit' },
      changed: [],
      unchanged: 6,
    });
  });

  it('under nx affected, whose --base never reaches a task, takes the base from OCP_STS_DIFF_BASE', () => {
    const args = ['affected', '-t', 'credentials-diff', '--base=HEAD~1', '--head=HEAD', '--outputStyle=static'];
    const output = sandboxNx(ws, args, { OCP_STS_DIFF_BASE: 'HEAD~1' });
    expect(output).toContain(
      'credentials-diff: no AWS CredentialsRequest changed between 4.16.3 and 4.16.5 (6 compared; git HEAD~1 → this commit)',
    );
    // Without it, the same command compares with the installed release: the PR job would need the state, and AWS.
    expect(sandboxNx(ws, args)).toContain('credentials-diff: nothing to compare: example is not installed');
  });

  it('says the cluster is not installed without --base, and succeeds', () => {
    const output = sandboxNx(ws, ['run', 'example:credentials-diff']);
    expect(output).toContain(
      'credentials-diff: nothing to compare: example is not installed (no installed.json in clusters/example/.work/state/); give --base=<git ref> to compare with the release a commit names',
    );
  });

  it('fails in one line on a ref that names no commit', () => {
    const { status, output } = sandboxNxStatus(ws, ['run', 'example:credentials-diff', '--base=no-such-branch']);
    expect(status).toBe(1);
    expect(output).toContain(
      'credentials-diff failed: --base=no-such-branch: no such commit, branch or tag in this repository',
    );
    expect(output).not.toMatch(/^\s+at /m);
  });
});
