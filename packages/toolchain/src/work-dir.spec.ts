import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secureWorkDir } from './work-dir.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'work-dir-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('secureWorkDir', () => {
  it('makes .work owner-only, whether it is new or was made by someone else', () => {
    const work = join(root, 'new', '.work');
    secureWorkDir(work, []);
    expect(mode(work)).toBe(0o700);
    const restored = join(root, 'restored', '.work');
    mkdirSync(restored, { recursive: true, mode: 0o755 });
    chmodSync(restored, 0o755);
    secureWorkDir(restored, []);
    expect(mode(restored)).toBe(0o700);
  });

  it('makes the secret outputs owner-only again as Nx restores them (folders 0755, files as cached)', () => {
    const work = join(root, '.work');
    const ccoctl = join(work, 'ccoctl');
    mkdirSync(join(ccoctl, 'tls'), { recursive: true });
    writeFileSync(join(ccoctl, 'tls', 'bound-service-account-signing-key.key'), 'key', { mode: 0o644 });
    writeFileSync(join(ccoctl, 'record.json'), '{}', { mode: 0o644 });
    for (const dir of [work, ccoctl, join(ccoctl, 'tls')]) chmodSync(dir, 0o755);
    const render = join(work, 'render');
    mkdirSync(render, { mode: 0o755 });
    chmodSync(render, 0o755);

    secureWorkDir(work, [ccoctl, join(work, 'staged')]);
    expect(mode(work)).toBe(0o700);
    expect(mode(ccoctl)).toBe(0o700);
    expect(mode(join(ccoctl, 'tls'))).toBe(0o700);
    expect(mode(join(ccoctl, 'tls', 'bound-service-account-signing-key.key'))).toBe(0o600);
    expect(mode(join(ccoctl, 'record.json'))).toBe(0o600);
    // What holds no secret keeps its mode; a secret output that does not exist is no error.
    expect(mode(render)).toBe(0o755);
    expect(existsSync(join(work, 'staged'))).toBe(false);
  });

  it('removes the partial folders that a killed step left in .work', () => {
    const work = join(root, '.work');
    const dead = join(work, `ccoctl.partial-${deadPid()}`);
    const own = join(work, `manifests.partial-${process.pid}`);
    mkdirSync(dead, { recursive: true });
    writeFileSync(join(dead, 'serviceaccount-signer.private'), 'key');
    mkdirSync(own);
    secureWorkDir(work, []);
    expect(readdirSync(work)).toEqual([`manifests.partial-${process.pid}`]);
  });
});
