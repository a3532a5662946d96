/*
 * End to end: the cache keys of the secret files, and the cache in the workspace, through real `nx` in temporary git
 * workspaces. Nx never hashes git-ignored files (secrets/ is), so manifests hashes a digest of each secret file
 * (a `runtime` input); a rotated pull secret or ssh key must re-run it. Only render and manifests run: no AWS.
 *
 * Secrets are compared by presence (booleans), never through a matcher that would print them on failure.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxPullSecret, sandboxSshPublicKey } from '../sandbox/secrets.ts';
import { pipelineWorkspace, sandboxNx, taskStates } from '../testing/pipeline.ts';
import { cloneTempWorkspace, REPO_ROOT, type TempWorkspace } from '../testing/workspace.ts';

const PULL_SECRET = 'secrets/example/pull-secret.json';
const SSH_KEY = 'secrets/example/ssh.pub';

/** `nx run example:manifests`; returns render's and manifests' states. */
function runManifests(ws: TempWorkspace): { render?: string; manifests?: string } {
  return taskStates(sandboxNx(ws, ['run', 'example:manifests']));
}

/** The pull secret as the manifests hold it: the installer's compact JSON, base64 in the pull-secret Secret. */
function manifestsHoldPullSecret(ws: TempWorkspace, pullSecret: string): boolean {
  const manifest = readFileSync(
    join(ws.root, 'clusters/example/.work/manifests/manifests/openshift-config-secret-pull-secret.yaml'),
    'utf8',
  );
  return manifest.includes(Buffer.from(JSON.stringify(JSON.parse(pullSecret))).toString('base64'));
}

function manifestsHoldSshKey(ws: TempWorkspace, sshKey: string): boolean {
  const manifest = readFileSync(
    join(ws.root, 'clusters/example/.work/manifests/openshift/99_openshift-machineconfig_99-master-ssh.yaml'),
    'utf8',
  );
  return manifest.includes(sshKey.trim());
}

/** The hashes Nx keeps entries under, in the workspace's own cache folder. */
function cacheEntries(ws: TempWorkspace): string[] {
  const dir = join(ws.root, '.nx/cache');
  return existsSync(dir) ? readdirSync(dir).filter((entry) => /^\d+$/.test(entry)) : [];
}

describe('cache keys of the secret files', () => {
  let ws: TempWorkspace;
  const read = (file: string) => readFileSync(join(ws.root, file), 'utf8');
  beforeAll(() => {
    ws = pipelineWorkspace();
  });
  afterAll(() => {
    ws.remove();
  });

  it('runs manifests once, then takes it from the cache while the secrets are unchanged (even rewritten)', () => {
    expect(runManifests(ws)).toMatchObject({ render: 'ran', manifests: 'ran' });
    expect(runManifests(ws)).toMatchObject({ render: 'cache', manifests: 'cache' });
    ws.write(PULL_SECRET, read(PULL_SECRET));
    ws.write(SSH_KEY, read(SSH_KEY));
    expect(runManifests(ws)).toMatchObject({ render: 'cache', manifests: 'cache' });
  });

  const rotations = [
    ['pull secret', PULL_SECRET, () => sandboxPullSecret(), manifestsHoldPullSecret],
    ['ssh key', SSH_KEY, () => sandboxSshPublicKey('rotated@example'), manifestsHoldSshKey],
  ] as const;

  it.each(rotations)(
    're-runs manifests after the %s is rotated, the manifests hold the new one; rotated back, the cache has it',
    (_, file, rotate, manifestsHold) => {
      const old = read(file);
      const rotated = rotate();
      ws.write(file, rotated);
      expect(runManifests(ws)).toMatchObject({ render: 'cache', manifests: 'ran' });
      expect(manifestsHold(ws, rotated)).toBe(true);
      expect(manifestsHold(ws, old)).toBe(false);
      expect(runManifests(ws)).toMatchObject({ manifests: 'cache' });

      ws.write(file, old);
      expect(runManifests(ws)).toMatchObject({ manifests: 'cache' });
      expect(manifestsHold(ws, old)).toBe(true);
    },
  );

  it('hashes a digest of each secret file through a runtime input, never a secret nor a secrets/ file', () => {
    const shown = ws.nx('show', 'target', 'inputs', 'example:manifests', '--json');
    const inputs = JSON.parse(shown.slice(shown.indexOf('{'), shown.lastIndexOf('}') + 1)) as {
      files: string[];
      runtime: string[];
    };
    expect(inputs.files.filter((f) => f.startsWith('secrets/'))).toEqual([]);
    expect(inputs.runtime).toHaveLength(1);
    const command = inputs.runtime[0]!;

    // What Nx hashes for it: the command's output, run as Nx runs it (sh, in the workspace root).
    const result = spawnSync('sh', ['-c', command], {
      cwd: ws.root,
      env: { ...process.env, PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    const printed = `${result.stdout}${result.stderr}`;
    const sha256 = (file: string) =>
      createHash('sha256')
        .update(readFileSync(join(ws.root, file)))
        .digest('hex');
    expect(printed).toBe(`pullSecret sha256:${sha256(PULL_SECRET)}\nsshPublicKey sha256:${sha256(SSH_KEY)}\n`);

    const pullSecret = JSON.parse(read(PULL_SECRET)) as { auths: Record<string, { auth: string }> };
    const secrets = [read(PULL_SECRET).trim(), ...Object.values(pullSecret.auths).map((a) => a.auth)];
    const keyBody = read(SSH_KEY).split(' ')[1]!;
    for (const text of [command, printed]) {
      expect(secrets.some((secret) => text.includes(secret))).toBe(false);
      expect(text.includes(keyBody)).toBe(false);
    }
  });
});

describe('the Nx cache is in the workspace', () => {
  let first: TempWorkspace;
  let clone: TempWorkspace | undefined;
  beforeAll(() => {
    first = pipelineWorkspace();
  });
  afterAll(() => {
    first.remove();
    clone?.remove();
  });

  it('keeps entries in .nx/cache, so that another clone with the same files does not replay them', () => {
    expect(runManifests(first)).toMatchObject({ render: 'ran', manifests: 'ran' });
    const firstEntries = cacheEntries(first);

    // Another checkout of the same repository, with the very same secrets: the same cache keys. With the cache
    // outside the workspace (Nx's default, ~/.nx/<workspace id>/cache), this run would replay the first's entries.
    clone = cloneTempWorkspace(first);
    cpSync(join(first.root, 'secrets'), join(clone.root, 'secrets'), { recursive: true });
    expect(runManifests(clone)).toMatchObject({ render: 'ran', manifests: 'ran' });

    // Each clone's entries are in its own .nx/cache, under the same keys: only where they are explains the miss.
    const cloneEntries = cacheEntries(clone);
    expect(firstEntries.length).toBeGreaterThanOrEqual(2);
    expect([...cloneEntries].sort()).toEqual([...firstEntries].sort());
  });
});
