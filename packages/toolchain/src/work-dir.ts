/*
 * A cluster's .work/ as every step finds it before it starts: owner-only, without the half-built folders of a killed
 * run, and with the outputs that hold secrets owner-only again after Nx restored them from its cache.
 *
 * What Nx 23 does with modes (measured with a real `nx run` in a temporary workspace, umask 022): its cache keeps
 * each file's mode, in `.nx/cache/<hash>/` and when it restores, so a 0600 file comes back 0600; but it makes the
 * folders anew, in the cache and on restore, with the default mode (0777 minus the umask: 0755), so a 0700 folder
 * comes back 0755. It runs nothing of ours after a restore (a cache hit runs no executor). So the folders are made
 * owner-only again where our code next runs: the first thing every step of the cluster does (clusterStep) is this,
 * whatever it reads. Until then the secret files themselves are still 0600, and `.work/` stays 0700 once any step
 * has made it so (Nx only creates the folders that are missing; it leaves the mode of an existing one alone).
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_OUTPUTS, type TargetWithOutput } from '@ocp-sts/cluster-config/layout';
import { removeAbandonedPartials } from './output-dir.ts';

/** The outputs that hold a secret, as layout.ts marks them. */
export const SECRET_OUTPUTS: readonly TargetWithOutput[] = (Object.keys(TARGET_OUTPUTS) as TargetWithOutput[]).filter(
  (step) => TARGET_OUTPUTS[step].holdsSecrets,
);

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Makes a folder that holds secrets private, if it exists: folders 0700, files 0600. The steps do it to the outputs
 * they build that hold the pull secret (manifests, staged, installer) or the signing key (ccoctl, staged), and every
 * step to those outputs as Nx restored them (below). Another step of the same cluster may replace or remove a folder
 * meanwhile (Nx runs manifests and extract at once): what vanishes is skipped.
 */
export function restrictToOwner(dir: string): void {
  let entries: string[];
  try {
    chmodSync(dir, 0o700);
    entries = readdirSync(dir);
  } catch (error) {
    if (missing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    try {
      const stat = statSync(path);
      if (stat.isDirectory()) restrictToOwner(path);
      else chmodSync(path, 0o600);
    } catch (error) {
      if (!missing(error)) throw error;
    }
  }
}

/**
 * Prepares a cluster's .work/ (`workDir`) for a step: makes it (0700) or makes it 0700 again, removes the partial
 * folders of steps that were killed, and makes the existing `secretOutputs` (absolute folders) owner-only again.
 */
export function secureWorkDir(workDir: string, secretOutputs: readonly string[]): void {
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  chmodSync(workDir, 0o700);
  removeAbandonedPartials(workDir);
  for (const dir of secretOutputs) restrictToOwner(dir);
}
