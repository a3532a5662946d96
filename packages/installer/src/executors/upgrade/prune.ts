import { awsClients } from '@ocp-sts/aws';
import { deleteStsResources, describeResource, findStsResources } from '@ocp-sts/sts';
import { UserError, type ClusterStep } from '@ocp-sts/toolchain';

/**
 * --prune: deletes the roles of requests the target release no longer has (their inline policies first), found among
 * what is tagged for or named after the sts name. Returns what it deleted; fails naming what it could not.
 */
export async function pruneRoles(step: ClusterStep, roleNames: string[]): Promise<string[]> {
  const { region } = step.loaded.cluster.platform;
  const clients = awsClients({ region, profile: step.loaded.cluster.credentials.aws_profile ?? undefined });
  const mine = await findStsResources(clients, { stsName: step.loaded.stsName });
  const doomed = mine.filter((r) => r.kind === 'iam-role' && roleNames.includes(r.name));
  const outcome = await deleteStsResources(clients, doomed);
  if (outcome.failed.length) {
    throw new UserError(
      `--prune could not delete ${outcome.failed.map((f) => `${describeResource(f.resource)} (${f.error})`).join(', ')}; run upgrade --prune again`,
    );
  }
  return outcome.deleted.map(describeResource);
}
