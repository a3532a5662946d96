import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chooseRelease,
  isMinorOnly,
  parseReleaseLock,
  RELEASE_IMAGE_ENV,
  RELEASE_LOCK_FILE,
  serializeReleaseLock,
  type LoadedCluster,
  type Release,
  type ReleaseLock,
} from '@ocp-sts/cluster-config';
import { UserError, type ProjectContext } from '@ocp-sts/toolchain';
import { resolveNewestPatch } from './update-service.ts';

export function readReleaseLock({ workspaceRoot, projectRoot }: ProjectContext): ReleaseLock | undefined {
  const file = join(projectRoot, RELEASE_LOCK_FILE);
  const absolute = join(workspaceRoot, file);
  return existsSync(absolute) ? parseReleaseLock(readFileSync(absolute, 'utf8'), file) : undefined;
}

function writeReleaseLock({ workspaceRoot, projectRoot }: ProjectContext, lock: ReleaseLock): void {
  writeFileSync(join(workspaceRoot, projectRoot, RELEASE_LOCK_FILE), serializeReleaseLock(lock));
}

/**
 * The cluster's release. A minor-only version names one only through its pin in release.lock.json beside cluster.yaml,
 * which `pin-release` writes and moves (commit it). Never resolved here: render, which asks, is cached on the pin, so
 * it may not write it (a cached step writes only its own folder), and its answer may not depend on what an update
 * service says today.
 */
export function releaseOf(step: ProjectContext, loaded: LoadedCluster, env = process.env): Release {
  const choice = chooseRelease(loaded.cluster, env[RELEASE_IMAGE_ENV] || undefined, readReleaseLock(step));
  if (choice.kind === 'release') return choice.release;
  throw new UserError(
    `openshift.version "${choice.minor}" is a minor version, and ${join(step.projectRoot, RELEASE_LOCK_FILE)} pins ` +
      `no release of ${choice.channel}: run nx run ${step.projectName}:pin-release to pin its newest (then commit ` +
      'the file), or give openshift.version as X.Y.Z',
  );
}

/** Moves the pin of a minor-only version to the newest patch of its channel. */
export async function movePin(
  step: ProjectContext,
  loaded: LoadedCluster,
): Promise<{ from?: ReleaseLock; to: ReleaseLock }> {
  const { version } = loaded.cluster.openshift;
  if (!isMinorOnly(version)) {
    throw new UserError(
      `openshift.version "${version}" is already a patch release; there is no pin to move (edit the version instead)`,
    );
  }
  const from = readReleaseLock(step);
  const to = await resolveNewestPatch(version, `stable-${version}`);
  writeReleaseLock(step, to);
  return { ...(from ? { from } : {}), to };
}
