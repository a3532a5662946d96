import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface OutputFile {
  content: string | Buffer;
  /** File mode; 0o600 for anything that holds a secret. */
  mode?: number;
}

/**
 * Replaces `dir` with exactly `files`, all or nothing: they are written into a sibling folder that is renamed into
 * place at the end, so a crash or a failure part-way never leaves a folder that a later run (or Nx's cache) could
 * take for a finished output.
 */
export function replaceOutputDir(dir: string, files: Record<string, OutputFile>): void {
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    for (const [name, file] of Object.entries(files)) {
      const target = join(partial, name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content, { mode: file.mode ?? 0o644 });
      // The umask may have narrowed or (for 0o600) we want it exact.
      chmodSync(target, file.mode ?? 0o644);
    }
    mkdirSync(partial, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Removes a step's output, so that nothing stale outlives a failed run. */
export function removeOutputDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
