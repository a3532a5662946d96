import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { onInterrupt } from './signals.ts';

export interface OutputFile {
  content: string | Buffer;
  /** File mode; 0o600 for anything that holds a secret. */
  mode?: number;
}

/**
 * Builds a step's output folder all or nothing: `build` fills a sibling `<dir>.partial-<pid>` that is renamed into
 * place only when it succeeds. If it fails, or the process is interrupted, the partial folder and the previous
 * output are both removed, so that neither a later run nor Nx's cache can take a half-written or stale folder for
 * a finished one.
 */
export async function buildOutputDir<T>(dir: string, build: (partial: string) => Promise<T> | T): Promise<T> {
  const partial = `${dir}.partial-${process.pid}`;
  const discard = () => {
    rmSync(partial, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const release = onInterrupt(discard);
  try {
    const result = await build(partial);
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
    return result;
  } catch (error) {
    discard();
    throw error;
  } finally {
    release();
  }
}

/** Writes `files` into `dir` (workspace-relative names), with exact modes whatever the umask. */
export function writeFiles(dir: string, files: Record<string, OutputFile>): void {
  for (const [name, file] of Object.entries(files)) {
    const target = join(dir, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content, { mode: file.mode ?? 0o644 });
    chmodSync(target, file.mode ?? 0o644);
  }
}

/** Replaces `dir` with exactly `files`, all or nothing (see buildOutputDir). */
export async function replaceOutputDir(dir: string, files: Record<string, OutputFile>): Promise<void> {
  await buildOutputDir(dir, (partial) => {
    writeFiles(partial, files);
  });
}

/** Removes a step's output, so that nothing stale outlives a failed run. */
export function removeOutputDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
