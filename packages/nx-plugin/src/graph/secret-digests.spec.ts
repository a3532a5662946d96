import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { secretDigestsInput } from './constants.ts';
import { secretDigests, secretDigestsOfRecord } from './secret-digests.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('secretDigests', () => {
  it('prints one line per file, sorted by name: a sha256 of the content, or why there is none', () => {
    const files = { sshPublicKey: 'b.pub', pullSecret: 'a.json', extra: 'gone' };
    const read = (file: string) => (file === 'gone' ? 'missing' : Buffer.from(`content of ${file}`));
    expect(secretDigests(files, read)).toBe(
      [
        'extra missing',
        `pullSecret sha256:${sha256('content of a.json')}`,
        `sshPublicKey sha256:${sha256('content of b.pub')}`,
      ].join('\n'),
    );
  });
});

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
  const record = 'clusters/c 1/.work/render/steps/manifests.json';
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

  it('says `missing` for an absent file, `unreadable` for one it cannot read, and no record before render', () => {
    write('keys/c1 ssh.pub', 'ssh-ed25519 AAAAkey1 me@host\n');
    const { runtime } = secretDigestsInput(root, record);
    expect(runAsNx(root, runtime)).toMatch(/^pullSecret missing\nsshPublicKey sha256:[0-9a-f]{64}\n$/);

    expect(secretDigestsOfRecord(join(root, 'clusters/c2/.work/render/steps/manifests.json'))).toMatch(
      /^no record of the secret files yet/,
    );
    if (process.getuid?.() !== 0) {
      chmodSync(join(root, 'keys/c1 ssh.pub'), 0o000);
      expect(runAsNx(root, runtime)).toMatch(/^sshPublicKey unreadable \(EACCES\)$/m);
    }
  });
});
