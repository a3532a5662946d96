/*
 * A lock directory, so that concurrent callers (parallel jest runs, CI jobs, two sandbox shells) never do the same
 * one-time work at once: building the emulator's virtualenv, starting a background service.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LockOptions {
  /** A lock older than this is taken to be left by a dead process and is broken (default 15 min). */
  staleMs?: number;
  /** Give up waiting after this long (default 20 min). */
  timeoutMs?: number;
  pollMs?: number;
}

/** Runs `fn` while holding the lock `lockDir` (an atomic mkdir); waits for, or breaks a stale, lock. */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { staleMs = 15 * 60_000, timeoutMs = 20 * 60_000, pollMs = 250 } = options;
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let age: number;
    try {
      age = Date.now() - statSync(lockDir).mtimeMs;
    } catch {
      continue; // released between mkdir and stat: try again at once
    }
    if (age > staleMs) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for the lock ${lockDir}`);
    await sleep(pollMs);
  }
  try {
    writeFileSync(join(lockDir, 'owner'), `${process.pid}\n`);
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
