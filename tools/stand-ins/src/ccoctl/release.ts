/*
 * Which OpenShift release this ccoctl stands for. A ccoctl belongs to a release: `oc adm release extract
 * --command=ccoctl` writes one per release, and the oc stand-in's extracted binary sets STANDIN_RELEASE_IMAGE to the
 * release it came from (as it does for openshift-install). Without it the stand-in is the ccoctl of the default
 * release (4.16, like the `ccoctl` first on PATH in the sandbox).
 *
 * What depends on the release: `create-all --dry-run` exists from 4.19 on (older builds answer `Error: unknown flag:
 * --dry-run`), and before 4.19 `create-iam-roles --dry-run` still reads the identity provider from IAM (from 4.19 it
 * writes the placeholder issuer `<enter_issuer_url_here>` instead).
 */
import { defaultRelease, resolveRelease, type Release } from '../releases.ts';

export const RELEASE_IMAGE_ENV = 'STANDIN_RELEASE_IMAGE';

/** The first minor (of 4.x) whose ccoctl has `create-all --dry-run`. */
const CREATE_ALL_DRY_RUN_SINCE_MINOR = 19;

/** The release this ccoctl was extracted from, or a message when the variable names no release of the catalogue. */
export function ccoctlRelease(env: NodeJS.ProcessEnv = process.env): Release | { error: string } {
  const image = env[RELEASE_IMAGE_ENV];
  if (!image) return defaultRelease();
  return resolveRelease(image) ?? { error: `${RELEASE_IMAGE_ENV} ${image} is not a release in the stand-in catalogue` };
}

function minorOf(release: Release): number {
  const [major, minor] = release.version.split('.').map(Number);
  return major === 4 ? (minor ?? 0) : Number.MAX_SAFE_INTEGER;
}

/** Whether this release's ccoctl has `create-all --dry-run` (and a create-iam-roles dry run that needs no IAM). */
export function hasCreateAllDryRun(release: Release): boolean {
  return minorOf(release) >= CREATE_ALL_DRY_RUN_SINCE_MINOR;
}
