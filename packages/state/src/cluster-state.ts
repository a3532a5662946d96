/*
 * What a cluster's state holds besides its lock, and the two moves every step makes with it: keep a file it made in
 * the backend before it reports success, and get a file back from the backend when the local copy is missing (another
 * checkout, CI, a lost laptop). Files are named by their group (location.ts) and their path in the step's folder;
 * the records are small JSON objects of their own. Nothing here prints an object's content.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { buildOutputDir } from '@ocp-sts/toolchain';
import type { StateGroup } from './location.ts';
import { filesUnder, type ObjectStore } from './store.ts';

/** The records, by object name. */
export const STATE_RECORDS = {
  /** What ccoctl made: sts name, region, roles, issuer (CcoctlStateRecord). */
  ccoctl: 'ccoctl.json',
  /** Written before `openshift-install create cluster` starts: from then on the cluster may have infrastructure. */
  installing: 'installing.json',
  /** The installed cluster (InstalledRecord). */
  installed: 'installed.json',
  /** An upgrade under way (UpgradingRecord): a re-run finishes it; removed when it completed. */
  upgrading: 'upgrading.json',
  /** Written when destroy removed the cluster's infrastructure: a re-run (ccoctl delete failed) needs no metadata. */
  destroyed: 'destroyed.json',
} as const;

/** The user this process runs as (a container may have no passwd entry). */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** Who runs this, `user@host`, for the records. */
export function whoIsRunning(): string {
  return `${currentUser()}@${hostname()}`;
}

export interface CcoctlStateRecord {
  stsName: string;
  region: string;
  /** The issuer URL the roles trust, when ccoctl's output named it. */
  issuer: string | null;
  privateBucket: boolean;
  /** The roles of the last complete run; empty after a first run that failed once ccoctl had made the key. */
  roles: { request: string; role: string }[];
  /**
   * `created`: ccoctl made the signing key (and so the issuer) under this state; `reused`: the key came from the
   * state or the checkout. Kept once `created`: destroy trusts a state that made the identity to know whether an
   * install ever started (see STATE_RECORDS.installing).
   */
  signingKey: 'created' | 'reused';
  /** ISO 8601 and user@host of the last ccoctl run. */
  at: string;
  by: string;
}

export interface InstallingRecord {
  /** The release being installed: X.Y.Z (or null when only the image is known) and its pull spec. */
  version: string | null;
  releaseImage: string;
  at: string;
  by: string;
}

export interface InstalledRecord extends InstallingRecord {
  /** The installer's infrastructure id (metadata.json's infraID). */
  infraID: string;
}

export interface UpgradingRecord {
  from: { version: string; releaseImage: string };
  to: { version: string; releaseImage: string };
  /** What --force overrode to start it (empty: nothing). */
  overridden: string[];
  at: string;
  by: string;
}

export async function readRecord<T>(store: ObjectStore, name: string): Promise<T | undefined> {
  const body = await store.get(name);
  if (!body) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    // A record torn by hand: as good as none, and said so by whoever needs it.
    return undefined;
  }
}

export async function writeRecord(store: ObjectStore, name: string, record: object): Promise<void> {
  await store.put(name, `${JSON.stringify(record, null, 2)}\n`);
}

const objectName = (group: StateGroup, file: string) => `${group}/${file.split(/[\\/]/).join('/')}`;

/**
 * Puts the files of `dir` (paths relative to it) that exist into the backend as `<group>/<file>`, and returns those
 * it kept. A file that is the object itself (locally, the kept signing key pair) needs no copy.
 */
export async function keepInState(
  store: ObjectStore,
  group: StateGroup,
  dir: string,
  files: readonly string[],
): Promise<string[]> {
  const kept: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    const name = objectName(group, file);
    if (store.localPath?.(name) !== path) await store.put(name, readFileSync(path));
    kept.push(file);
  }
  return kept;
}

/**
 * Writes each file of `files` that is missing in `dir` from the backend's `<group>/<file>`, owner-only, and returns
 * those it restored (a file the backend lacks too stays missing). A local file is never replaced.
 */
export async function restoreFromState(
  store: ObjectStore,
  group: StateGroup,
  dir: string,
  files: readonly string[],
): Promise<string[]> {
  const restored: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    if (existsSync(path)) continue;
    const body = await store.get(objectName(group, file));
    if (!body) continue;
    writeOwnerOnly(path, body);
    restored.push(file);
  }
  return restored;
}

/**
 * The backend's copy of `<group>/<file>` for the file `<dir>/<file>`: undefined when there is none, or when that file
 * is the object itself (locally, the kept signing key pair).
 */
export async function stateCopyOf(
  store: ObjectStore,
  group: StateGroup,
  dir: string,
  file: string,
): Promise<Buffer | undefined> {
  return store.localPath?.(objectName(group, file)) === join(dir, file) ? undefined : readStateFile(store, group, file);
}

/** The content of `<group>/<file>` in the backend; undefined when there is none. */
export async function readStateFile(store: ObjectStore, group: StateGroup, file: string): Promise<Buffer | undefined> {
  return store.get(objectName(group, file));
}

/** Removes `<group>/<file>` of each file from the backend. */
export async function forgetInState(store: ObjectStore, group: StateGroup, files: readonly string[]): Promise<void> {
  for (const file of files) await store.delete(objectName(group, file));
}

/** Whole or not at all, 0600 in 0700 folders: a restored file is a secret until shown otherwise. */
export function writeOwnerOnly(path: string, body: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, body, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, path);
}

/** The files of `<group>/` in the backend, relative to the group. */
async function filesInState(store: ObjectStore, group: StateGroup): Promise<string[]> {
  return (await store.list())
    .filter((name) => name.startsWith(`${group}/`))
    .map((name) => name.slice(group.length + 1));
}

/**
 * Makes `<group>/` in the backend hold exactly the files of `dir`: each one put, and objects of files `dir` no longer
 * has removed (a request dropped by a new release leaves no Secret behind).
 */
export async function keepFolderInState(store: ObjectStore, group: StateGroup, dir: string): Promise<string[]> {
  const files = filesUnder(dir).sort();
  const kept = await keepInState(store, group, dir, files);
  const stale = (await filesInState(store, group)).filter((file) => !files.includes(file));
  await forgetInState(store, group, stale);
  return kept;
}

/**
 * Writes `<group>/` from the backend into `dir`, which must not exist, all or nothing (a partial folder beside it,
 * renamed once whole), owner-only. Returns the files written: none when the backend holds none.
 */
export async function restoreFolderFromState(store: ObjectStore, group: StateGroup, dir: string): Promise<string[]> {
  const files = await filesInState(store, group);
  if (!files.length) return [];
  try {
    return await buildOutputDir(dir, async (partial) => {
      const restored = await restoreFromState(store, group, partial, files);
      // An object gone between the listing and its read (a destroy meanwhile): no folder rather than part of one.
      if (restored.length !== files.length) throw new IncompleteFolder();
      chmodSync(partial, 0o700);
      return restored;
    });
  } catch (error) {
    if (error instanceof IncompleteFolder) return [];
    throw error;
  }
}

class IncompleteFolder extends Error {}

/** Removes every object of `<group>/` from the backend. */
export async function forgetFolderInState(store: ObjectStore, group: StateGroup): Promise<void> {
  await forgetInState(store, group, await filesInState(store, group));
}
