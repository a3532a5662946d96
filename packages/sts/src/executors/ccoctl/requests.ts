/*
 * The CredentialsRequests the ccoctl step makes roles for. An installed cluster runs its installed release until
 * `upgrade` moves it: ccoctl keeps that release's roles (a role changed now would change under the running
 * operators), and the update's roles are upgrade's to make. Otherwise, extract's output.
 *
 * The target's cache key holds the installed release as this checkout knew it (@ocp-sts/state's installed-record.ts):
 * a state that says otherwise makes that key stale, and the step stops here, before it changes anything.
 */
import { installedReleaseChanged, seenInstalledRelease } from '@ocp-sts/state';
import { readRelease, UserError, type ClusterStep } from '@ocp-sts/toolchain';
import { installedReleaseRequests } from '../../credentials-diff/credentials-diff.ts';
import { readCredentialsRequests, roleNameCollisions, type CredentialsRequest } from '../../credentials-requests.ts';

export interface CcoctlRequests {
  /** The folder ccoctl reads them from (--credentials-requests-dir). */
  dir: string;
  requests: CredentialsRequest[];
  /** Whether the cluster is installed, whatever its release: its installer does not run again. */
  clusterInstalled: boolean;
}

export async function requestsForCcoctl(step: ClusterStep): Promise<CcoctlRequests> {
  const plannedWith = seenInstalledRelease(step);
  const installed = await installedReleaseRequests(step, { echo: false });
  // installedReleaseRequests read the state's record, and the copy says what it did.
  const now = seenInstalledRelease(step);
  const changed = installedReleaseChanged(plannedWith, now, readRelease(step));
  if (changed) {
    throw new UserError(
      `the installed release of ${step.loaded.cluster.name} changed since this run was planned (${changed}), so ` +
        `the cache key of ${step.projectName}:ccoctl was stale: run it again (nothing was changed)`,
    );
  }
  const dir = installed?.dir ?? step.dir('extract');
  if (installed) {
    process.stderr.write(
      `ccoctl: ${step.loaded.cluster.name} runs ${installed.version ?? installed.releaseImage}: its roles stay those of that ` +
        `release until nx run ${step.projectName}:upgrade\n`,
    );
  }
  const requests = readCredentialsRequests(dir);
  if (requests.length === 0) throw new UserError(`${step.show(dir)} holds no CredentialsRequest`);
  return { dir, requests, clusterInstalled: now?.installed === true };
}

/** Refuses requests whose role names, cut by ccoctl to 64 characters, would be one role. */
export function refuseRoleNameCollisions(stsName: string, requests: CredentialsRequest[]): void {
  const collisions = roleNameCollisions(stsName, requests);
  if (collisions.length) {
    throw new UserError(
      `ccoctl cuts role names to 64 characters, and then:\n  ${collisions.join('\n  ')}\n` +
        'Use a shorter credentials.sts_name.',
    );
  }
}
