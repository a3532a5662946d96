/*
 * The state's `installed` record, read and written through here alone, so that the checkout's copy of the installed
 * release (`.work/installed-release.json`, INSTALLED_RELEASE_SEEN_FILE) is kept beside it. A cached step whose output
 * depends on the installed release (ccoctl keeps the installed release's roles) hashes that copy: Nx cannot hash the
 * state itself (it may be an S3 object, and a cache hit makes no AWS call), and the copy is what this checkout knows.
 * The step then checks the copy it was planned with against the record (installedReleaseChanged).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTALLED_RELEASE_SEEN_FILE, WORK_DIR } from '@ocp-sts/cluster-config';
import { readRecord, STATE_RECORDS, writeOwnerOnly, writeRecord, type InstalledRecord } from './cluster-state.ts';
import type { StateOwner } from './location.ts';
import type { ObjectStore } from './store.ts';

/** The copy's content: the release an installed cluster runs, or that none is installed. */
export type SeenInstalledRelease =
  { installed: true; version: string | null; releaseImage: string } | { installed: false };

type Owner = Pick<StateOwner, 'workspaceRoot' | 'projectRoot'>;

const seenFile = ({ workspaceRoot, projectRoot }: Owner) =>
  join(workspaceRoot, projectRoot, WORK_DIR, INSTALLED_RELEASE_SEEN_FILE);

function noteSeen(owner: Owner, record: InstalledRecord | undefined): void {
  const seen: SeenInstalledRelease = record
    ? { installed: true, version: record.version, releaseImage: record.releaseImage }
    : { installed: false };
  writeOwnerOnly(seenFile(owner), `${JSON.stringify(seen, null, 2)}\n`);
}

/** The copy as the checkout has it; undefined when it has none (a new checkout, or one older than the copy). */
export function seenInstalledRelease(owner: Owner): SeenInstalledRelease | undefined {
  try {
    return JSON.parse(readFileSync(seenFile(owner), 'utf8')) as SeenInstalledRelease;
  } catch {
    return undefined;
  }
}

export async function readInstalledRecord(owner: Owner, store: ObjectStore): Promise<InstalledRecord | undefined> {
  const record = await readRecord<InstalledRecord>(store, STATE_RECORDS.installed);
  noteSeen(owner, record);
  return record;
}

export async function writeInstalledRecord(owner: Owner, store: ObjectStore, record: InstalledRecord): Promise<void> {
  await writeRecord(store, STATE_RECORDS.installed, record);
  noteSeen(owner, record);
}

export async function forgetInstalledRecord(owner: Owner, store: ObjectStore): Promise<void> {
  await store.delete(STATE_RECORDS.installed);
  noteSeen(owner, undefined);
}

/** The release a commit names, as render's release.json has it. */
export interface NamedRelease {
  image: string;
  version: string | null;
}

/**
 * What of the installed release a step's cache key holds, given the release the commit names: nothing (`as named`)
 * when none is installed or it is that release (the same image, or the same version), else the installed release's
 * image. An unknown copy counts as `as named`: a new checkout's first run is keyed like an uninstalled cluster's, and
 * the step checks that (below). The runtime input (installed-release.js in the Nx plugin) prints the same.
 */
export function installedReleaseKey(seen: SeenInstalledRelease | undefined, named: NamedRelease): string {
  if (!seen?.installed) return 'as named';
  const same = seen.releaseImage === named.image || (seen.version !== null && seen.version === named.version);
  return same ? 'as named' : `installed ${seen.releaseImage}`;
}

/**
 * When the state's record (`now`, as the copy holds it once read) says otherwise than the copy a step was planned
 * with (another checkout installed or upgraded the cluster since; or a new checkout of a cluster whose commit names
 * another release than it runs), the step's cache key is stale: this says how, for the step to fail before it
 * changes anything rather than leave a cache entry under that key. Undefined: the key holds.
 */
export function installedReleaseChanged(
  plannedWith: SeenInstalledRelease | undefined,
  now: SeenInstalledRelease | undefined,
  named: NamedRelease,
): string | undefined {
  if (installedReleaseKey(plannedWith, named) === installedReleaseKey(now, named)) return undefined;
  const describe = (seen: SeenInstalledRelease | undefined) =>
    !seen ? 'nothing' : seen.installed ? `${seen.version ?? seen.releaseImage} installed` : 'not installed';
  return `this checkout knew ${describe(plannedWith)}, the state says ${describe(now)}`;
}
