import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { processExists, processStartTime } from './process-start.ts';
import { onInterrupt } from './signals.ts';

export interface OutputFile {
  content: string | Buffer;
  /** File mode; 0o600 for anything that holds a secret. */
  mode?: number;
}

const PARTIAL = /\.partial-(\d+)$/;

/**
 * Slack for comparing a process's start time with a folder's modification time. The start time is known to about a
 * second (Linux's boot time is in whole seconds, `ps` prints seconds), and both are wall-clock times taken at
 * different moments: a clock stepped forward since (NTP, a resumed VM) moves the start time later. Too little slack
 * could take a concurrent run's folder for abandoned; too much only delays the removal of a folder whose pid was
 * reused within that time, until that process ends.
 */
const START_TIME_SLACK_MS = 60_000;

/**
 * Whether the partial folder `path`, named after the pid of the process that built it, was left by a process that
 * is gone: killed with SIGKILL, or by the OOM killer or a power loss, none of which runs the cleanup of
 * buildOutputDir. A live pid may be an unrelated process that got the pid of a dead one: the owner started before it
 * made the folder, and the folder's modification time moves forward while it writes into it, so a live process that
 * started after the folder last changed cannot have made it. (A name with a random token and a marker file would
 * need the same start time to tell a live owner from a reused pid.) When the start time cannot be read, a live pid
 * keeps its folder: a concurrent run of the same step must never lose what it is building.
 */
function isAbandoned(path: string, pid: number): boolean {
  if (pid === process.pid) return false;
  if (!processExists(pid)) return true;
  const started = processStartTime(pid);
  if (started === undefined) return false;
  let modified: number;
  try {
    modified = statSync(path).mtimeMs;
  } catch {
    return false;
  }
  return started > modified + START_TIME_SLACK_MS;
}

/**
 * Removes the partial folders (`<name>.partial-<pid>`) in `parent` whose process is gone. They may hold secrets (a
 * signing key, the pull secret), and no later run would otherwise look at them. Returns the names it removed.
 */
export function removeAbandonedPartials(parent: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of entries) {
    const pid = PARTIAL.exec(name)?.[1];
    const path = join(parent, name);
    if (pid === undefined || !isAbandoned(path, Number(pid))) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Builds a step's output folder all or nothing: `build` fills a sibling `<dir>.partial-<pid>` that is renamed into
 * place only when it succeeds. If it fails, or the process is interrupted, the partial folder and the previous
 * output are both removed, so that neither a later run nor Nx's cache can take a half-written or stale folder for
 * a finished one. A process killed outright (SIGKILL) cleans up nothing: its partial folders beside `dir` are
 * removed here, at the next build (see removeAbandonedPartials).
 */
export async function buildOutputDir<T>(dir: string, build: (partial: string) => Promise<T> | T): Promise<T> {
  const partial = `${dir}.partial-${process.pid}`;
  removeAbandonedPartials(dirname(dir));
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
