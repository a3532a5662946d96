/*
 * `openshift-install version`, and the release the binary was "built" for (STANDIN_RELEASE_IMAGE, set by the oc
 * stand-in's `--command=openshift-install`, else the default release).
 */
import { ARCHITECTURE, defaultRelease, resolveRelease, type Release } from '../releases.ts';
import type { Logger } from './log.ts';
import { TOOL } from './steps.ts';

export function builtRelease(log: Logger): Release {
  const image = process.env.STANDIN_RELEASE_IMAGE;
  if (!image) return defaultRelease();
  const release = resolveRelease(image);
  if (!release) return log.fatal(`STANDIN_RELEASE_IMAGE ${image} is not a release in the stand-in catalogue`);
  return release;
}

export function version(release: Release): void {
  process.stdout.write(
    `${TOOL} ${release.version}\n` +
      `built from commit ${release.installerCommit}\n` +
      `release image ${release.digestPullSpec}\n` +
      `release architecture ${ARCHITECTURE}\n`,
  );
}
