/*
 * The CredentialsRequests the ccoctl step makes roles for. An installed cluster runs its installed release until
 * `upgrade` moves it: ccoctl keeps that release's roles (a role changed now would change under the running
 * operators), and the update's roles are upgrade's to make. Otherwise, extract's output.
 */
import { UserError, type ClusterStep } from '@ocp-sts/toolchain';
import { installedReleaseRequests } from '../../credentials-diff/credentials-diff.ts';
import { readCredentialsRequests, roleNameCollisions, type CredentialsRequest } from '../../credentials-requests.ts';

export interface CcoctlRequests {
  /** The folder ccoctl reads them from (--credentials-requests-dir). */
  dir: string;
  requests: CredentialsRequest[];
  /** Whether they are the installed release's, which this commit does not name. */
  installedRelease: boolean;
}

export async function requestsForCcoctl(step: ClusterStep): Promise<CcoctlRequests> {
  const installed = await installedReleaseRequests(step, { echo: false });
  const dir = installed?.dir ?? step.dir('extract');
  if (installed) {
    process.stderr.write(
      `ccoctl: ${step.loaded.cluster.name} runs ${installed.version ?? installed.releaseImage}: its roles stay those of that ` +
        `release until nx run ${step.projectName}:upgrade\n`,
    );
  }
  const requests = readCredentialsRequests(dir);
  if (requests.length === 0) throw new UserError(`${step.show(dir)} holds no CredentialsRequest`);
  return { dir, requests, installedRelease: installed !== undefined };
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
