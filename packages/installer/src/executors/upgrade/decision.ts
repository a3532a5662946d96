/*
 * Whether an upgrade may start: pure, from the installed release (the state's installed record), the release this
 * commit names, and whether the update service has the edge between them. The cluster-version operator itself
 * refuses a downgrade and a skip of minors only partly (a forced update goes anywhere), and a release without an
 * update edge was never tested as an update: so they are refused here, unless the user says --force.
 */
import { updateKind, type UpdateKind } from '@ocp-sts/cluster-config';

export interface ReleaseAt {
  version: string | null;
  image: string;
}

/** What the update service said of the edge: there, not there, or it could not be asked (and why). */
export type EdgeAnswer = { kind: 'listed' } | { kind: 'missing'; channel: string } | { kind: 'unknown'; why: string };

export type UpgradeDecision =
  | { kind: 'at-target' }
  | { kind: 'refused'; reason: string }
  | { kind: 'go'; update: Exclude<UpdateKind, 'none'>; overridden: string[] };

export function upgradeDecision(
  installed: ReleaseAt,
  target: ReleaseAt,
  edge: EdgeAnswer,
  force: boolean,
): UpgradeDecision {
  if (!target.version) {
    return {
      kind: 'refused',
      reason: `the release this commit names (${target.image}) has no X.Y.Z version: set openshift.version to the target`,
    };
  }
  if (!installed.version) {
    return { kind: 'refused', reason: `the installed release (${installed.image}) has no recorded X.Y.Z version` };
  }
  const kind = updateKind(installed.version, target.version);
  if (kind === 'none') {
    return installed.image === target.image
      ? { kind: 'at-target' }
      : {
          kind: 'refused',
          reason: `${target.version} is installed from ${installed.image}, and this commit names it as ${target.image}: one version, two images`,
        };
  }
  const problems: string[] = [];
  if (kind === 'downgrade') problems.push(`${installed.version} -> ${target.version} is a downgrade`);
  if (kind === 'skip') {
    problems.push(`${installed.version} -> ${target.version} skips a minor release: update one minor at a time`);
  }
  if (edge.kind === 'missing') {
    problems.push(`the update service has no update from ${installed.version} to ${target.version} in ${edge.channel}`);
  }
  if (edge.kind === 'unknown') problems.push(`the update service could not be asked for the edge (${edge.why})`);
  if (problems.length && !force) {
    return { kind: 'refused', reason: `${problems.join('; ')}. Nothing was changed; --force overrides this` };
  }
  return { kind: 'go', update: kind, overridden: problems };
}
