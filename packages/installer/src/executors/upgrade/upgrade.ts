/*
 * `upgrade`: moves an installed manual-STS cluster to the release this commit names, credentials first. In order,
 * each step safe to repeat, so that an interrupted or failed upgrade re-runs to completion:
 *   1. the decision (decision.ts), written as the state's `upgrading` record (a re-run goes on from it);
 *   2. `ccoctl aws create-iam-roles` for the target's new and changed requests, with the cluster's provider;
 *   3. `oc apply` of their Secret manifests, with the kubeconfig from the state;
 *   4. for a minor update, the cloud-credential operator's `upgradeable-to` annotation;
 *   5. the update channel of the target minor and `oc adm upgrade --to` (or `--to-image` by digest where the cluster
 *      reads no update service), then waiting for ClusterVersion, with its progress and, on trouble, its Failing
 *      message, up to a timeout;
 *   6. the new release in the state's `installed` record; `verify` against the target's requests; the roles of
 *      removed requests listed (deleted with --prune).
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  openStateStore,
  readRecord,
  readStateFile,
  STATE_GROUPS,
  STATE_RECORDS,
  whoIsRunning,
  writeOwnerOnly,
  writeRecord,
  type InstalledRecord,
  type ObjectStore,
  type UpgradingRecord,
  readInstalledRecord,
  writeInstalledRecord,
} from '@ocp-sts/state';
import { awsClients } from '@ocp-sts/aws';
import {
  credentialsDiff,
  deleteStsResources,
  describeResource,
  findStsResources,
  headRequestsNeedingRoles,
  roleNameFor,
  runPreflightChecks,
  updateRoles,
  verifyCluster,
  verifyInputFor,
  type VerifyReport,
} from '@ocp-sts/sts';
import {
  readRelease,
  runTool,
  stsIsOff,
  toolContext,
  toolDirs,
  UserError,
  type ClusterStep,
  type ToolOptions,
} from '@ocp-sts/toolchain';
import { AUTH_KUBECONFIG, kubeconfigPath } from '../../installer-dir.ts';
import { hasUpdateEdge, readUpdateGraph, type UpdateGraph } from '../../release/update-service.ts';
import { readClusterVersion, type ClusterVersionStatus } from './cluster-version.ts';
import { upgradeDecision, type EdgeAnswer } from './decision.ts';

export interface UpgradeOptions extends ToolOptions {
  /** Go on although the update is a downgrade, skips a minor, or has no edge in the update service. */
  force?: boolean;
  /** After the update completed, delete the roles of requests the target release no longer has. */
  prune?: boolean;
  /** How long to wait for the cluster to complete the update (default 180 minutes). */
  timeoutMinutes?: number;
  /** Seconds between two looks at ClusterVersion while it updates (default 15). */
  pollSeconds?: number;
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

const UPGRADEABLE_TO = 'cloudcredential.openshift.io/upgradeable-to';
const minorOf = (version: string) => version.split('.').slice(0, 2).join('.');
const channelOf = (version: string) => `stable-${minorOf(version)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function edgeFor(from: string, to: string): Promise<{ edge: EdgeAnswer; graph: UpdateGraph | undefined }> {
  const channel = channelOf(to);
  try {
    const graph = await readUpdateGraph(channel);
    return { edge: hasUpdateEdge(graph, from, to) ? { kind: 'listed' } : { kind: 'missing', channel }, graph };
  } catch (error) {
    return { edge: { kind: 'unknown', why: (error as Error).message }, graph: undefined };
  }
}

/** The upgrade to go on with: the unfinished one, or a new one if the decision allows it; undefined at the target. */
async function upgradeToRun(
  step: ClusterStep,
  state: ObjectStore,
  installed: InstalledRecord,
  options: UpgradeOptions,
  say: (line: string) => void,
): Promise<{ record: UpgradingRecord; graph: UpdateGraph | undefined } | undefined> {
  const name = step.loaded.cluster.name;
  const release = readRelease(step);
  const unfinished = await readRecord<UpgradingRecord>(state, STATE_RECORDS.upgrading);
  if (unfinished) {
    if (unfinished.to.releaseImage !== release.image) {
      throw new UserError(
        `an upgrade of ${name} to ${unfinished.to.version}, started by ${unfinished.by} at ${unfinished.at}, is unfinished, ` +
          `and this commit names ${release.version ?? release.image}: finish that one first (openshift.version ` +
          `"${unfinished.to.version}", then nx run ${step.projectName}:upgrade); nothing was changed`,
      );
    }
    say(
      `upgrade: going on with the upgrade of ${name} to ${unfinished.to.version} started by ${unfinished.by} at ${unfinished.at}`,
    );
    return { record: unfinished, graph: (await edgeFor(unfinished.from.version, unfinished.to.version)).graph };
  }
  const from = installed.version ?? '';
  const to = release.version ?? '';
  const { edge, graph } = await edgeFor(from, to);
  const decision = upgradeDecision(
    { version: installed.version, image: installed.releaseImage },
    { version: release.version, image: release.image },
    edge,
    options.force === true,
  );
  if (decision.kind === 'at-target') return undefined;
  if (decision.kind === 'refused') throw new UserError(`upgrade of ${name}: ${decision.reason}`);
  for (const why of decision.overridden) process.stderr.write(`warning: --force: ${why}\n`);
  const record: UpgradingRecord = {
    from: { version: from, releaseImage: installed.releaseImage },
    to: { version: to, releaseImage: release.image },
    overridden: decision.overridden,
    at: new Date().toISOString(),
    by: whoIsRunning(),
  };
  // The cluster must be reachable before anything is recorded as under way.
  await kubeconfigFromState(step, state);
  await writeRecord(state, STATE_RECORDS.upgrading, record);
  say(`upgrade: ${name} ${from} -> ${to} (${decision.update} update)`);
  return { record, graph };
}

/** The cluster-admin kubeconfig from the state, in .work/ (0600). */
async function kubeconfigFromState(step: ClusterStep, state: ObjectStore): Promise<string> {
  const body = await readStateFile(state, STATE_GROUPS.installer, AUTH_KUBECONFIG);
  if (!body) {
    throw new UserError(
      `${step.loaded.cluster.name} has no kubeconfig in its state (${state.where}): the cluster cannot be reached to upgrade it`,
    );
  }
  const path = kubeconfigPath(step);
  writeOwnerOnly(path, body);
  return path;
}

/** The release to ask for by digest: the target's own pull spec if it is one, else the update graph's payload. */
function imageByDigest(record: UpgradingRecord, graph: UpdateGraph | undefined): string {
  if (record.to.releaseImage.includes('@sha256:')) return record.to.releaseImage;
  const node = graph?.nodes.find((n) => n.version === record.to.version);
  if (node) return node.payload;
  throw new UserError(
    `the cluster reads no update service, so the update must name the release by digest, and neither ` +
      `${record.to.releaseImage} nor the update service gives one for ${record.to.version}: pin it ` +
      '(openshift.release_image: quay.io/openshift-release-dev/ocp-release@sha256:…)',
  );
}

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
  const run = await upgradeToRun(step, state, installed, options, say);
  if (!run) return { kind: 'at-target', version: installed.version ?? installed.releaseImage };
  const { record, graph } = run;
  const binDirs = await toolDirs(step, readRelease(step), options);
  const kubeconfig = await kubeconfigFromState(step, state);
  const oc = (args: string[], echo = true) =>
    runTool({ tool: 'oc', args: ['--kubeconfig', kubeconfig, ...args], ...toolContext(step), binDirs, echo });
  const clusterVersion = async (): Promise<ClusterVersionStatus> =>
    readClusterVersion((await oc(['get', 'clusterversion', 'version', '-o', 'json'], false)).stdout);

  // 2, 3: the credentials of the target release, before the cluster moves.
  let roles: string[] = [];
  let removed: { request: string; role: string }[] = [];
  if (!stsIsOff(step)) {
    const diff = await credentialsDiff(step, { echo: false });
    const needing = headRequestsNeedingRoles(step, diff);
    if (diff.status === 'changed') {
      removed = diff.diff.removed.map((r) => ({ request: r.request, role: roleNameFor(step.loaded.stsName, r) }));
    }
    if (needing.length) {
      const update = await updateRoles(step, needing, { outputDir: step.work('upgrade', 'roles'), binDirs });
      roles = update.requests;
      say(`upgrade: roles created or updated for ${roles.length} request(s): ${roles.join(', ')}`);
      await oc(['apply', '-f', update.secretsDir]);
      say(`upgrade: their ${roles.length} Secret(s) applied to the cluster`);
    } else {
      say(`upgrade: no AWS CredentialsRequest is new or changed from ${record.from.version} to ${record.to.version}`);
    }
  }

  // 4: in manual mode the cloud-credential operator holds a minor update back until told the credentials are ready.
  const minorChange = minorOf(record.from.version) !== minorOf(record.to.version);
  if (!stsIsOff(step) && minorChange) {
    await oc([
      'annotate',
      'cloudcredential.operator.openshift.io/cluster',
      `${UPGRADEABLE_TO}=${record.to.version}`,
      '--overwrite',
    ]);
  }

  // 5: the update itself, unless asked for already (a re-run).
  let status = await clusterVersion();
  if (status.desired.version !== record.to.version) {
    const forced = record.overridden.length > 0 ? ['--force'] : [];
    if (status.hasUpdateService && !forced.length) {
      await oc(['adm', 'upgrade', 'channel', channelOf(record.to.version)]);
      await oc(['adm', 'upgrade', `--to=${record.to.version}`]);
    } else {
      await oc(['adm', 'upgrade', `--to-image=${imageByDigest(record, graph)}`, '--allow-explicit-upgrade', ...forced]);
    }
    status = await clusterVersion();
  }
  status = await waitForUpdate(record.to.version, status, clusterVersion, options, say);

  // 6: recorded, checked, tidied.
  const now: InstalledRecord = {
    ...installed,
    version: record.to.version,
    releaseImage: record.to.releaseImage,
    at: new Date().toISOString(),
    by: whoIsRunning(),
  };
  await writeInstalledRecord(step, state, now);
  await state.delete(STATE_RECORDS.upgrading);
  say(`upgrade: ${name} runs ${status.completed ?? record.to.version}`);
  const verify = stsIsOff(step)
    ? undefined
    : await verifyTarget(step, roles.length ? step.work('upgrade', 'roles') : undefined);
  const pruned =
    options.prune && removed.length
      ? await pruneRoles(
          step,
          removed.map((r) => r.role),
        )
      : [];
  return { kind: 'upgraded', from: record.from.version, to: record.to.version, roles, removed, pruned, verify };
}

/** Watches ClusterVersion until the update to `to` completed, saying each new progress or failure; or times out. */
async function waitForUpdate(
  to: string,
  first: ClusterVersionStatus,
  read: () => Promise<ClusterVersionStatus>,
  options: UpgradeOptions,
  say: (line: string) => void,
): Promise<ClusterVersionStatus> {
  const timeoutMs = (options.timeoutMinutes ?? 180) * 60_000;
  const pollMs = (options.pollSeconds ?? 15) * 1000;
  const deadline = Date.now() + timeoutMs;
  let status = first;
  let said = '';
  for (;;) {
    if (status.refused) {
      throw new UserError(
        `the cluster did not accept the update to ${to}: ${status.refused}. Fix that and run upgrade again`,
      );
    }
    if (status.settled && status.completed === to) return status;
    const line = status.failing ? `failing: ${status.failing}` : (status.progress ?? 'waiting');
    if (line !== said) say(`upgrade: ${line}`);
    said = line;
    if (Date.now() >= deadline) {
      throw new UserError(
        `the update to ${to} did not complete within ${options.timeoutMinutes ?? 180} minutes (${line}); the cluster ` +
          'goes on updating by itself: run upgrade again to keep watching it and to finish the record',
      );
    }
    await sleep(pollMs);
    status = await read();
  }
}

/**
 * verify against the target's requests (extract's output): ccoctl's output of the install, with the Secrets of the
 * roles the upgrade made laid over it. Without ccoctl's output here (another machine), it is left to `verify`.
 */
async function verifyTarget(step: ClusterStep, upgradeRoles: string | undefined): Promise<VerifyReport | undefined> {
  const installedOutput = step.dir('ccoctl');
  if (!existsSync(installedOutput)) return undefined;
  const merged = step.work('upgrade', 'verify');
  rmSync(merged, { recursive: true, force: true });
  mkdirSync(merged, { recursive: true, mode: 0o700 });
  cpSync(installedOutput, merged, { recursive: true });
  if (upgradeRoles) cpSync(join(upgradeRoles, 'manifests'), join(merged, 'manifests'), { recursive: true });
  const input = verifyInputFor(step);
  try {
    return await verifyCluster({ ...input, paths: { ...input.paths, ccoctlDir: merged } });
  } finally {
    rmSync(merged, { recursive: true, force: true });
  }
}

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
