import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOutputDir, replaceOutputDir } from './output-dir.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'output-dir-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('replaceOutputDir', () => {
  it('replaces the folder with exactly the given files and modes', async () => {
    const dir = join(root, 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'stale.txt'), 'old');
    await replaceOutputDir(dir, { 'a.txt': { content: 'a' }, 'sub/key': { content: 'k', mode: 0o600 } });
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'sub']);
    expect(readFileSync(join(dir, 'sub/key'), 'utf8')).toBe('k');
    expect(statSync(join(dir, 'sub/key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('leaves neither a partial folder nor the stale output when building fails', async () => {
    const dir = join(root, 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'old.txt'), 'old');
    await expect(
      replaceOutputDir(dir, { 'ok.txt': { content: 'x' }, 'ok.txt/child': { content: 'y' } }),
    ).rejects.toThrow();
    expect(readdirSync(root)).toEqual([]);
  });

  it('keeps what the build returns and builds in a partial folder beside the output', async () => {
    const dir = join(root, 'out');
    const seen = await buildOutputDir(dir, (partial) => {
      expect(partial).toBe(`${dir}.partial-${process.pid}`);
      expect(existsSync(dir)).toBe(false);
      writeFileSync(join(partial, 'f'), '1');
      return 'done';
    });
    expect(seen).toBe('done');
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('1');
  });
});
