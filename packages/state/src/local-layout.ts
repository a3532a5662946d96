/*
 * The local backend's layout before 0.3.0, and the move out of it. Until then its objects had no folder of their own
 * but the records': `installer/<path>` was the install target's .work/installer/<path> and `ccoctl-output/<path>` the
 * ccoctl target's .work/ccoctl/<path>, so the state lived in folders that Nx restores from its cache and the steps
 * remove. Now every object but the signing key pair is under .work/state/ (location.ts). A checkout of the old layout
 * is moved on its first use: the objects of those two groups are copied into .work/state/ (the folders themselves stay,
 * as the outputs they are), once, marked by a file that no listing shows.
 *
 * The folder and file names below are those of 0.2.0, on purpose written out here rather than taken from the targets'
 * current ones: they describe checkouts already on disk, which a later rename does not change.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_RECORDS, writeOwnerOnly } from './cluster-state.ts';
import { LOCAL_LAYOUT_MARKER, STATE_GROUPS, type LocalStateLocation } from './location.ts';
import { filesUnder } from './store.ts';

const LAYOUT_VERSION = '2';

/** 0.2.0's local homes of the groups that now live in .work/state/, relative to .work/, and the files they held. */
const LEGACY_HOMES = [
  {
    group: STATE_GROUPS.installer,
    dir: 'installer',
    // What install kept, but for its log: the installer's metadata and state and the admin credentials. The log is
    // unredacted after a run killed outright (kill -9 skips install's redaction), and nothing reads it from the
    // state: it stays in .work/installer/, where the next install redacts it and then keeps it in the state.
    files: (dir: string) =>
      ['metadata.json', '.openshift_install_state.json', 'auth/kubeconfig', 'auth/kubeadmin-password'].filter((file) =>
        existsSync(join(dir, file)),
      ),
  },
  {
    group: STATE_GROUPS.ccoctlOutput,
    dir: 'ccoctl',
    // ccoctl kept its folder only after a run that made AWS resources, and then recorded them: a dry run's folder
    // (placeholders, no record) was never the state's, so it is not made so now.
    files: (dir: string, objectsDir: string) =>
      existsSync(join(objectsDir, STATE_RECORDS.ccoctl)) ? filesUnder(dir) : [],
  },
] as const;

/**
 * Moves a checkout's local state of the layout before .work/state/ into it (see above) and marks it done; a state in
 * this layout (or a new one) is only marked. Returns the objects it copied. Copies owner-only, never over an object
 * already there; synchronous, like the rest of the local backend, and harmless when two steps start at once (each
 * copy is whole or absent, and both copy the same files).
 */
export function migrateLocalLayout(
  location: Pick<LocalStateLocation, 'objectsDir' | 'workDir'>,
  show: (path: string) => string = (path) => path,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): string[] {
  const marker = join(location.objectsDir, LOCAL_LAYOUT_MARKER);
  if (existsSync(marker)) return [];
  const copied: string[] = [];
  for (const home of LEGACY_HOMES) {
    const from = join(location.workDir, home.dir);
    for (const file of home.files(from, location.objectsDir)) {
      const name = `${home.group}/${file}`;
      const to = join(location.objectsDir, ...name.split('/'));
      if (existsSync(to)) continue;
      writeOwnerOnly(to, readFileSync(join(from, file)));
      copied.push(name);
    }
  }
  writeOwnerOnly(marker, `${LAYOUT_VERSION}\n`);
  if (copied.length) {
    log(
      `state: moved ${copied.length} object(s) of the local state into ${show(location.objectsDir)}/ (the layout of 0.3.0); ` +
        `${show(location.workDir)}/installer/ and ccoctl/ are now outputs only, restored from there when missing`,
    );
  }
  return copied;
}
