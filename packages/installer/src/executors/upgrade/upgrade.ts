/*
 * `upgrade`: moves an installed manual-STS cluster to the release this commit names, credentials first. In order,
 * each step safe to repeat, so that an interrupted or failed upgrade re-runs to completion:
 *   1. the decision (decision.ts), written as the state's `upgrading` record (a re-run goes on from it;
 *      upgrade-to-run.ts);
 *   2. `ccoctl aws create-iam-roles` for the target's new and changed requests, with the cluster's provider;
 *   3. `oc apply` of their Secret manifests, with the kubeconfig from the state (cluster-access.ts);
 *   4. for a minor update, the cloud-credential operator's `upgradeable-to` annotation (2 to 4: credentials.ts);
 *   5. the update channel of the target minor and `oc adm upgrade --to` (or `--to-image` by digest where the cluster
 *      reads no update service), then waiting for ClusterVersion, with its progress and, on trouble, its Failing
 *      message, up to a timeout (cluster-update.ts);
 *   6. the new release in the state's `installed` record (record.ts); `verify` against the target's requests
 *      (verify-target.ts); the roles of removed requests listed (deleted with --prune: prune.ts).
 */
import { openStateStore, readInstalledRecord } from '@ocp-sts/state';
import { runPreflightChecks, type VerifyReport } from '@ocp-sts/sts';
import { readRelease, stsIsOff, toolDirs, UserError, type ClusterStep, type ToolOptions } from '@ocp-sts/toolchain';
import { clusterKubeconfig, clusterOc } from './cluster-access.ts';
import { updateCluster, type UpdateWait } from './cluster-update.ts';
import { credentialsForTarget } from './credentials.ts';
import { pruneRoles } from './prune.ts';
import { recordUpgraded } from './record.ts';
import { upgradeToRun } from './upgrade-to-run.ts';
import { verifyTarget } from './verify-target.ts';

export interface UpgradeOptions extends ToolOptions, UpdateWait {
  /** Go on although the update is a downgrade, skips a minor, or has no edge in the update service. */
  force?: boolean;
  /** After the update completed, delete the roles of requests the target release no longer has. */
  prune?: boolean;
}

export type UpgradeOutcome =
  | { kind: 'at-target'; version: string }
  | {
      kind: 'upgraded';
      from: string;
      to: string;
      /** Requests whose role ccoctl created or updated. */
      roles: string[];
      /** Requests the target no longer has: their roles, kept unless pruned. */
      removed: { request: string; role: string }[];
      pruned: string[];
      verify: VerifyReport | undefined;
    };

export async function upgradeCluster(
  step: ClusterStep,
  options: UpgradeOptions,
  say: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<UpgradeOutcome> {
  const name = step.loaded.cluster.name;
  const state = openStateStore(step);
  const installed = await readInstalledRecord(step, state);
  if (!installed) {
    throw new UserError(
      `${name} is not installed (its state, ${state.where}, has no installed record): nothing to upgrade. ` +
        `Install it: nx run ${step.projectName}:install`,
    );
  }
  // preflight's checks (AWS identity, the sts name's owner, the state bucket, the tools) before anything changes.
  await runPreflightChecks(step, { ...options, installerRelease: false });
  const run = await upgradeToRun(step, state, installed, options.force === true, say);
  if (!run) return { kind: 'at-target', version: installed.version ?? installed.releaseImage };
  const { record } = run;
  const binDirs = await toolDirs(step, readRelease(step), options);
  const oc = clusterOc(step, await clusterKubeconfig(step, state), binDirs);

  // 2 to 4: the credentials of the target release, before the cluster moves.
  const { roles, rolesDir, removed } = await credentialsForTarget(step, record, { oc, binDirs }, say);
  // 5: the update itself, unless asked for already (a re-run).
  const status = await updateCluster(run, oc, options, say);
  // 6: recorded, checked, tidied.
  await recordUpgraded(step, state, installed, record);
  say(`upgrade: ${name} runs ${status.completed ?? record.to.version}`);
  const verify = stsIsOff(step) ? undefined : await verifyTarget(step, rolesDir);
  const pruned =
    options.prune && removed.length
      ? await pruneRoles(
          step,
          removed.map((r) => r.role),
        )
      : [];
  return { kind: 'upgraded', from: record.from.version, to: record.to.version, roles, removed, pruned, verify };
}
