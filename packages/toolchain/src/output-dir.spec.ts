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
import { replaceOutputDir } from './output-dir.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'output-dir-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('replaceOutputDir', () => {
  it('replaces the folder with exactly the given files and modes', () => {
    const dir = join(root, 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'stale.txt'), 'old');
    replaceOutputDir(dir, { 'a.txt': { content: 'a' }, 'sub/key': { content: 'k', mode: 0o600 } });
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'sub']);
    expect(readFileSync(join(dir, 'sub/key'), 'utf8')).toBe('k');
    expect(statSync(join(dir, 'sub/key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('leaves the old output and no partial folder when writing fails', () => {
    const dir = join(root, 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'kept.txt'), 'old');
    expect(() => {
      replaceOutputDir(dir, { 'ok.txt': { content: 'x' }, 'ok.txt/child': { content: 'y' } });
    }).toThrow();
    expect(readFileSync(join(dir, 'kept.txt'), 'utf8')).toBe('old');
    expect(readdirSync(root)).toEqual(['out']);
    expect(existsSync(join(root, `out.partial-${process.pid}`))).toBe(false);
  });
});
