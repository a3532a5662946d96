/*
 * The update itself: the update channel of the target minor and `oc adm upgrade --to` (or `--to-image` by digest
 * where the cluster reads no update service, or the update is forced), unless asked for already (a re-run); then
 * waiting for ClusterVersion, with its progress and, on trouble, its Failing message, up to a timeout.
 */
import type { UpgradingRecord } from '@ocp-sts/state';
import { UserError } from '@ocp-sts/toolchain';
import type { UpdateGraph } from '../../release/update-service.ts';
import { channelOf } from './channel.ts';
import type { ClusterOc } from './cluster-access.ts';
import { readClusterVersion, type ClusterVersionStatus } from './cluster-version.ts';

export interface UpdateWait {
  /** How long to wait for the cluster to complete the update (default 180 minutes). */
  timeoutMinutes?: number;
  /** Seconds between two looks at ClusterVersion while it updates (default 15). */
  pollSeconds?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** Asks the cluster for the update (unless it was asked already) and waits for it; the completed ClusterVersion. */
export async function updateCluster(
  run: { record: UpgradingRecord; graph: UpdateGraph | undefined },
  oc: ClusterOc,
  wait: UpdateWait,
  say: (line: string) => void,
): Promise<ClusterVersionStatus> {
  const { record, graph } = run;
  const clusterVersion = async (): Promise<ClusterVersionStatus> =>
    readClusterVersion((await oc(['get', 'clusterversion', 'version', '-o', 'json'], false)).stdout);
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
  return waitForUpdate(record.to.version, status, clusterVersion, wait, say);
}

/** Watches ClusterVersion until the update to `to` completed, saying each new progress or failure; or times out. */
async function waitForUpdate(
  to: string,
  first: ClusterVersionStatus,
  read: () => Promise<ClusterVersionStatus>,
  options: UpdateWait,
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
