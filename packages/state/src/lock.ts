/*
 * One writer per cluster: every target that changes AWS or the cluster holds the cluster's lock for its whole run.
 * The lock is the object `lock.json` of the cluster's state backend, created only if there is none (S3: a
 * conditional write, If-None-Match: *; locally: a file opened with O_EXCL), so of two runs exactly one gets it. It
 * says who holds it; it goes when its run ends (success, failure, Ctrl-C), or by hand with `unlock` and its id.
 * A cached target runs no executor, so it takes no lock and makes no AWS call.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { onInterrupt, UserError } from '@ocp-sts/toolchain';
import { currentUser } from './cluster-state.ts';
import { LOCK_OBJECT, type StateOwner } from './location.ts';
import { openStateStore } from './open-store.ts';
import type { ObjectStore } from './store.ts';

export interface LockRecord {
  /** A random UUID: `unlock --lockId` must name it. */
  id: string;
  cluster: string;
  user: string;
  host: string;
  pid: number;
  /** The Nx target that holds it, e.g. `install`. */
  target: string;
  /** ISO 8601, when it was taken. */
  since: string;
}

export interface LockOwner extends StateOwner {
  /** The Nx project, which is the cluster: `nx run <projectName>:unlock`. */
  projectName: string;
  /** The target that takes the lock. */
  target: string;
}

function newLockRecord(owner: LockOwner): LockRecord {
  return {
    id: randomUUID(),
    cluster: owner.loaded.cluster.name,
    user: currentUser(),
    host: hostname(),
    pid: process.pid,
    target: owner.target,
    since: new Date().toISOString(),
  };
}

/** `user@host pid N, running <target> since <time>`. */
export function describeHolder(record: LockRecord): string {
  return `${record.user}@${record.host} pid ${record.pid}, running ${record.target} since ${record.since}`;
}

function unlockCommand(projectName: string, id: string): string {
  return `nx run ${projectName}:unlock --lockId=${id}`;
}

/** The id by which `unlock` removes a lock that cannot be read. */
export const UNREADABLE = 'unreadable';

function parseLock(body: Buffer | undefined): LockRecord | undefined {
  if (!body) return undefined;
  try {
    const record = JSON.parse(body.toString('utf8')) as Partial<LockRecord>;
    if (typeof record.id === 'string') return record as LockRecord;
  } catch {
    // Not ours, or torn by hand: reported as unreadable below.
  }
  // An empty or torn file (a run killed while writing it): it can still be named, and so removed, by this id.
  return {
    id: UNREADABLE,
    cluster: 'unknown',
    user: 'unknown',
    host: 'unknown',
    pid: 0,
    target: 'unknown',
    since: 'unknown',
  };
}

/** The lock the backend holds for the cluster, if any. */
export async function readLock(store: ObjectStore): Promise<LockRecord | undefined> {
  return parseLock(await store.get(LOCK_OBJECT));
}

/** Takes the cluster's lock, or fails at once naming who holds it and how to remove it when that run is gone. */
export async function acquireLock(store: ObjectStore, owner: LockOwner): Promise<LockRecord> {
  const record = newLockRecord(owner);
  if (await store.create(LOCK_OBJECT, `${JSON.stringify(record, null, 2)}\n`)) return record;
  const holder = await readLock(store);
  if (!holder) {
    throw new UserError(
      `the lock of ${record.cluster} (${store.where}${LOCK_OBJECT}) was taken and released by another run at the same moment; run again`,
    );
  }
  throw new UserError(
    `${record.cluster} is locked by ${describeHolder(holder)} (lock id ${holder.id}, ${store.where}${LOCK_OBJECT}); ` +
      `${owner.target} changes the cluster and waits for no one: run it when that run has finished. ` +
      `If that run is gone (killed, a lost machine), remove its stale lock: ${unlockCommand(owner.projectName, holder.id)}`,
  );
}

/** Removes the lock if it is still the one with this id (an `unlock` may have removed it and another run taken it). */
export async function releaseLock(store: ObjectStore, id: string): Promise<void> {
  const current = await readLock(store);
  if (current?.id === id) await store.delete(LOCK_OBJECT);
}

/**
 * Runs `fn` holding the cluster's lock, and releases it however `fn` ends: returns, throws, or Ctrl-C. When the lock
 * cannot be taken (held, the bucket unreachable, access denied), `fn` does not run.
 */
export async function withClusterLock<T>(
  owner: LockOwner,
  fn: () => Promise<T>,
  store: ObjectStore = openStateStore(owner),
): Promise<T> {
  const lock = await acquireLock(store, owner);
  const forget = onInterrupt(() => releaseLock(store, lock.id));
  try {
    return await fn();
  } finally {
    forget();
    try {
      await releaseLock(store, lock.id);
    } catch (error) {
      // The step's own outcome stands; the next run will name this lock and how to remove it.
      const why = error instanceof Error ? error.message : String(error);
      process.stderr.write(
        `warning: could not release the lock of ${lock.cluster} (${why}); remove it: ${unlockCommand(owner.projectName, lock.id)}\n`,
      );
    }
  }
}

export type UnlockOutcome = { kind: 'removed'; record: LockRecord } | { kind: 'none' };

/** `unlock --lockId`: removes the cluster's lock only when its id is `lockId`; else says whose it is. */
export async function unlockCluster(
  owner: LockOwner,
  lockId: string,
  store = openStateStore(owner),
): Promise<UnlockOutcome> {
  const current = await readLock(store);
  if (!current) return { kind: 'none' };
  if (current.id !== lockId) {
    throw new UserError(
      `the lock of ${owner.loaded.cluster.name} has the id ${current.id}, not ${lockId}: it is held by ${describeHolder(current)} ` +
        `(${store.where}${LOCK_OBJECT}); nothing removed. Remove it only if that run is gone: ${unlockCommand(owner.projectName, current.id)}`,
    );
  }
  await store.delete(LOCK_OBJECT);
  return { kind: 'removed', record: current };
}
