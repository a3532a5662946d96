/*
 * The credentials of the target release, before the cluster moves to it: `ccoctl aws create-iam-roles` for its new
 * and changed requests, with the cluster's provider (sts's rolesForTarget); `oc apply` of their Secret manifests;
 * and, for a minor update, the cloud-credential operator's `upgradeable-to` annotation.
 */
import type { UpgradingRecord } from '@ocp-sts/state';
import { rolesForTarget } from '@ocp-sts/sts';
import { stsIsOff, type ClusterStep } from '@ocp-sts/toolchain';
import { minorOf } from './channel.ts';
import type { ClusterOc } from './cluster-access.ts';

const UPGRADEABLE_TO = 'cloudcredential.openshift.io/upgradeable-to';

export interface TargetCredentials {
  /** Requests whose role ccoctl created or updated. */
  roles: string[];
  /** ccoctl's output for them (their Secrets in manifests/); undefined when there were none. */
  rolesDir: string | undefined;
  /** Requests the target no longer has: their roles, kept unless pruned. */
  removed: { request: string; role: string }[];
}

export async function credentialsForTarget(
  step: ClusterStep,
  record: UpgradingRecord,
  cluster: { oc: ClusterOc; binDirs: string[] },
  say: (line: string) => void,
): Promise<TargetCredentials> {
  if (stsIsOff(step)) return { roles: [], rolesDir: undefined, removed: [] };
  const { oc, binDirs } = cluster;
  const rolesDir = step.work('upgrade', 'roles');
  const { update, removed } = await rolesForTarget(step, { outputDir: rolesDir, binDirs });
  if (update) {
    const roles = update.requests;
    say(`upgrade: roles created or updated for ${roles.length} request(s): ${roles.join(', ')}`);
    await oc(['apply', '-f', update.secretsDir]);
    say(`upgrade: their ${roles.length} Secret(s) applied to the cluster`);
  } else {
    say(`upgrade: no AWS CredentialsRequest is new or changed from ${record.from.version} to ${record.to.version}`);
  }
  // In manual mode the cloud-credential operator holds a minor update back until told the credentials are ready.
  if (minorOf(record.from.version) !== minorOf(record.to.version)) {
    await oc([
      'annotate',
      'cloudcredential.operator.openshift.io/cluster',
      `${UPGRADEABLE_TO}=${record.to.version}`,
      '--overwrite',
    ]);
  }
  return { roles: update?.requests ?? [], rolesDir: update ? rolesDir : undefined, removed };
}
