import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { secretDigestsInput } from './constants.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The runtime input as Nx runs it: `sh -c <command>` in the workspace root, the pinned Node first on PATH. */
function runAsNx(workspaceRoot: string, command: string): string {
  const result = spawnSync('sh', ['-c', command], {
    cwd: workspaceRoot,
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${command} exited ${result.status ?? '?'}:\n${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

describe('the runtime input of the secret files', () => {
  let root: string;
  // A space in the record's path: the command quotes it for sh.
  const record = 'clusters/c 1/.work/render/slices/manifests.json';
  const write = (file: string, content: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'secret-digests-'));
    write(record, JSON.stringify({ pullSecret: 'secrets/c1/pull-secret.json', sshPublicKey: 'keys/c1 ssh.pub' }));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('prints a digest of each file and never its content, the same on every run, a new one after a rotation', () => {
    const pullSecret = '{"auths":{"quay.io":{"auth":"c2VjcmV0LXRva2VuLTE="}}}\n';
    write('secrets/c1/pull-secret.json', pullSecret);
    write('keys/c1 ssh.pub', 'ssh-ed25519 AAAAkey1 me@host\n');
    const { runtime } = secretDigestsInput(root, record);

    const first = runAsNx(root, runtime);
    expect(first.trim()).toBe(
      `pullSecret sha256:${sha256(pullSecret)}\nsshPublicKey sha256:${sha256('ssh-ed25519 AAAAkey1 me@host\n')}`,
    );
    expect(first.includes('c2VjcmV0LXRva2VuLTE=')).toBe(false);
    expect(first.includes('AAAAkey1')).toBe(false);
    expect(runAsNx(root, runtime)).toBe(first);

    write('secrets/c1/pull-secret.json', pullSecret.replace('LTE=', 'LTI='));
    const rotated = runAsNx(root, runtime);
    expect(rotated).not.toBe(first);
    expect(rotated.split('\n')[1]).toBe(first.split('\n')[1]);
  });

  it('says `missing` for an absent file and `unreadable` for one it cannot read, and names no path', () => {
    write('keys/c1 ssh.pub', 'ssh-ed25519 AAAAkey1 me@host\n');
    const { runtime } = secretDigestsInput(root, record);
    const printed = runAsNx(root, runtime);
    expect(printed).toMatch(/^pullSecret missing\nsshPublicKey sha256:[0-9a-f]{64}\n$/);
    expect(printed).not.toContain('keys/');

    mkdirSync(join(root, 'secrets/c1/pull-secret.json'), { recursive: true });
    expect(runAsNx(root, runtime)).toMatch(/^pullSecret unreadable \(EISDIR\)$/m);
  });

  it('sorts the files by name, and says so when render has not recorded them yet', () => {
    write(record, JSON.stringify({ z: 'secrets/z', a: 'secrets/a' }));
    write('secrets/a', 'a');
    expect(runAsNx(root, secretDigestsInput(root, record).runtime)).toBe(`a sha256:${sha256('a')}\nz missing\n`);

    const other = 'clusters/c2/.work/render/slices/manifests.json';
    expect(runAsNx(root, secretDigestsInput(root, other).runtime)).toBe(
      `no record of the secret files yet (${other})\n`,
    );
  });
});
