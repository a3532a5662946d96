/*
 * Which upgrade to run: the unfinished one (the state's `upgrading` record: a re-run goes on from it), or a new one
 * if the decision (decision.ts) allows it, written as that record before anything else changes.
 */
import {
  readRecord,
  STATE_RECORDS,
  whoIsRunning,
  writeRecord,
  type InstalledRecord,
  type ObjectStore,
  type UpgradingRecord,
} from '@ocp-sts/state';
import { readRelease, UserError, type ClusterStep } from '@ocp-sts/toolchain';
import { hasUpdateEdge, readUpdateGraph, type UpdateGraph } from '../../release/update-service.ts';
import { channelOf } from './channel.ts';
import { clusterKubeconfig } from './cluster-access.ts';
import { upgradeDecision, type EdgeAnswer } from './decision.ts';

export interface UpgradeToRun {
  record: UpgradingRecord;
  /** The update service's graph of the target's channel, when it could be read. */
  graph: UpdateGraph | undefined;
}

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
export async function upgradeToRun(
  step: ClusterStep,
  state: ObjectStore,
  installed: InstalledRecord,
  force: boolean,
  say: (line: string) => void,
): Promise<UpgradeToRun | undefined> {
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
    force,
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
  await clusterKubeconfig(step, state);
  await writeRecord(state, STATE_RECORDS.upgrading, record);
  say(`upgrade: ${name} ${from} -> ${to} (${decision.update} update)`);
  return { record, graph };
}
