import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOutputDir, removeAbandonedPartials, replaceOutputDir } from './output-dir.ts';
import { processExists, processStartTime } from './process-start.ts';

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

describe('partial folders of processes that are gone', () => {
  /** A live process that is not this one: a Node child that waits. */
  function liveChild(): ChildProcess {
    return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  }
  async function killed(child: ChildProcess): Promise<number> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    return child.pid!;
  }
  function partialOf(pid: number, files: Record<string, string> = { 'key.private': 'secret' }): string {
    const partial = join(root, `out.partial-${pid}`);
    mkdirSync(partial);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(partial, name), content);
    return partial;
  }

  it('removes the folder of a killed process at the next build beside it, and keeps a live one', async () => {
    const dead = await killed(liveChild());
    const live = liveChild();
    try {
      partialOf(dead);
      partialOf(live.pid!);
      mkdirSync(join(root, 'other'));
      await replaceOutputDir(join(root, 'out'), { f: { content: '1' } });
      // A concurrent run (a live pid whose folder changed after it started) keeps what it is building.
      expect(readdirSync(root).sort()).toEqual(['other', 'out', `out.partial-${live.pid!}`].sort());
    } finally {
      await killed(live);
    }
  });

  it('removes the folder of a reused pid: a live process that started after the folder last changed', async () => {
    const live = liveChild();
    try {
      const partial = partialOf(live.pid!);
      const anHourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(partial, anHourAgo, anHourAgo);
      expect(removeAbandonedPartials(root)).toEqual([`out.partial-${live.pid!}`]);
      expect(readdirSync(root)).toEqual([]);
    } finally {
      await killed(live);
    }
  });

  it('never removes its own partial folder, nor anything that is not one', () => {
    partialOf(process.pid);
    mkdirSync(join(root, 'out.partial-x'));
    writeFileSync(join(root, 'out.partial-123.txt'), '');
    expect(removeAbandonedPartials(root)).toEqual([]);
    expect(removeAbandonedPartials(join(root, 'missing'))).toEqual([]);
    expect(readdirSync(root)).toHaveLength(3);
  });
});

describe('processStartTime', () => {
  it('tells when a process started, to about a second', () => {
    const started = processStartTime(process.pid)!;
    expect(Math.abs(started - (Date.now() - process.uptime() * 1000))).toBeLessThan(2000);
    expect(processExists(process.pid)).toBe(true);
  });
});
