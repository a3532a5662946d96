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
import { UserError, type StepContext } from '@ocp-sts/toolchain';
import { resolveNewestPatch } from './update-service.ts';

export function readReleaseLock({ workspaceRoot, projectRoot }: StepContext): ReleaseLock | undefined {
  const file = join(projectRoot, RELEASE_LOCK_FILE);
  const absolute = join(workspaceRoot, file);
  return existsSync(absolute) ? parseReleaseLock(readFileSync(absolute, 'utf8'), file) : undefined;
}

function writeReleaseLock({ workspaceRoot, projectRoot }: StepContext, lock: ReleaseLock): void {
  writeFileSync(join(workspaceRoot, projectRoot, RELEASE_LOCK_FILE), serializeReleaseLock(lock));
}

/**
 * The cluster's release. A minor-only version is resolved once through the update service and pinned in
 * release.lock.json beside cluster.yaml (commit it); later runs read the pin until `pin-release` moves it.
 */
export async function releaseOf(step: StepContext, loaded: LoadedCluster, env = process.env): Promise<Release> {
  const choice = chooseRelease(loaded.cluster, env[RELEASE_IMAGE_ENV] || undefined, readReleaseLock(step));
  if (choice.kind === 'release') return choice.release;
  const lock = await resolveNewestPatch(choice.minor, choice.channel);
  writeReleaseLock(step, lock);
  process.stderr.write(
    `pinned openshift.version "${choice.minor}" to ${lock.version} (${lock.image}) in ${join(step.projectRoot, RELEASE_LOCK_FILE)}; commit it\n`,
  );
  return { image: lock.image, version: lock.version, source: RELEASE_LOCK_FILE };
}

/** Moves the pin of a minor-only version to the newest patch of its channel. */
export async function movePin(
  step: StepContext,
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
