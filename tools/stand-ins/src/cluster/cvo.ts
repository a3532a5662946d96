/*
 * What the cluster's operators do between two `oc` calls: the cloud-credential operator's Upgradeable condition and
 * the cluster-version operator's conditions, available updates, update preconditions and the walk to a new release.
 *
 * There is no process running in the background: every `oc` command against the cluster first runs one reconcile
 * ("tick"), so the simulated time of the cluster is the number of `oc` calls made against it. An accepted update
 * completes on the STANDIN_UPDATE_STEPS-th tick after it was accepted (default 3): deterministic, and a test needs
 * no waiting. STANDIN_FAIL=oc:update-stall (in the environment of the `oc` that ticks) stalls it instead.
 *
 * Sources of the behaviour: cloud-credential-operator pkg/operator/utils/utils.go UpgradeableCheck (the same on
 * release-4.16, 4.17 and 4.18, and on master); cluster-version-operator release-4.16 pkg/cvo/status.go,
 * pkg/cvo/upgradeable.go, pkg/payload/precondition/clusterversion/upgradeable.go and pkg/cvo/sync_worker.go.
 */
import { injectedCondition } from '../faults.ts';
import { releaseByVersion, resolveRelease, updateGraph, type Release } from '../releases.ts';
import {
  releaseStatus,
  timestamp,
  type ClusterRecord,
  type Condition,
  type ConditionStatus,
  type HistoryEntry,
  type ReleaseStatus,
} from './resources.ts';

export const UPGRADEABLE_ANNOTATION = 'cloudcredential.openshift.io/upgradeable-to';
export const MISSING_UPGRADEABLE_ANNOTATION_MESSAGE =
  `Upgradeable annotation ${UPGRADEABLE_ANNOTATION} on cloudcredential.operator.openshift.io/cluster object needs ` +
  'updating before upgrade. See Manually Creating IAM documentation for instructions on preparing a cluster for upgrade.';
/** The number of manifests a 4.16 payload applies, for the progress message. */
const PAYLOAD_MANIFESTS = 863;
const DEFAULT_UPDATE_STEPS = 3;
/** The operator a stalled update waits for. */
const STALLED_OPERATOR = 'machine-api';

export function updateSteps(env: NodeJS.ProcessEnv = process.env): number {
  const steps = Number(env.STANDIN_UPDATE_STEPS);
  return Number.isInteger(steps) && steps >= 1 ? steps : DEFAULT_UPDATE_STEPS;
}

// --- versions, as golang.org/x/mod/semver compares them --------------------------------------------------------

/** `vMAJOR.MINOR` of a semantic version with its `v`, or undefined when Go's semver calls it invalid. */
export function semverMajorMinor(version: string): [number, number] | undefined {
  const match = /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)?)?$/.exec(
    version,
  );
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0)];
}

/** semver.Compare of two major.minor (an invalid version is less than every valid one). */
function compareMajorMinor(a: [number, number] | undefined, b: [number, number] | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  return a[0] !== b[0] ? Math.sign(a[0] - b[0]) : Math.sign(a[1] - b[1]);
}

export function minor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

// --- conditions ----------------------------------------------------------------------------------------------

export function findCondition(conditions: Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

/** Sets a condition as resourcemerge.SetOperatorStatusCondition does: the transition time moves with the status. */
function setCondition(
  conditions: Condition[],
  type: string,
  status: ConditionStatus,
  reason?: string,
  message?: string,
): void {
  const existing = findCondition(conditions, type);
  const condition: Condition = {
    type,
    status,
    lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : timestamp(),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
  if (existing) conditions.splice(conditions.indexOf(existing), 1, condition);
  else conditions.push(condition);
}

function removeCondition(conditions: Condition[], type: string): void {
  const existing = findCondition(conditions, type);
  if (existing) conditions.splice(conditions.indexOf(existing), 1);
}

// --- the cloud-credential operator ---------------------------------------------------------------------------

/** The most recent Completed entry of the history (the history is newest first). */
export function lastCompleted(history: HistoryEntry[]): HistoryEntry | undefined {
  return history.find((entry) => entry.state === 'Completed');
}

/**
 * UpgradeableCheck: no condition (the status controller then defaults it to True, AsExpected) until an install
 * completed, or when the annotation's major.minor is above that of the last completed version; else False in
 * Manual mode. It never looks at the Secrets or roles. Outside Manual mode only the root credential counts.
 */
export function ccoUpgradeable(record: ClusterRecord): { status: ConditionStatus; reason: string; message?: string } {
  const asExpected = { status: 'True' as const, reason: 'AsExpected' };
  const completed = lastCompleted(record.clusterVersion.status.history);
  if (!completed) return asExpected;
  const cluster = semverMajorMinor(`v${completed.version}`);
  if (!cluster) {
    return {
      status: 'False',
      reason: 'ErrorDeterminingUpgradeable',
      message: `Unable to decode cluster version: v${completed.version}`,
    };
  }
  let upgradeableTo = record.cloudCredential.metadata.annotations?.[UPGRADEABLE_ANNOTATION] ?? '';
  if (!upgradeableTo.startsWith('v')) upgradeableTo = `v${upgradeableTo}`;
  if (compareMajorMinor(semverMajorMinor(upgradeableTo), cluster) === 1) return asExpected;
  if (record.credentialsMode === 'Manual') {
    return { status: 'False', reason: 'MissingUpgradeableAnnotation', message: MISSING_UPGRADEABLE_ANNOTATION_MESSAGE };
  }
  const root = record.secrets.some((s) => s.metadata.namespace === 'kube-system' && s.metadata.name === 'aws-creds');
  if (root) return asExpected;
  return {
    status: 'False',
    reason: 'MissingRootCredential',
    message: 'Parent credentials secret must be restored prior to upgrade: kube-system/aws-creds',
  };
}

function reconcileCloudCredentialOperator(record: ClusterRecord): void {
  const status = record.clusterOperator.status as {
    conditions: Condition[];
    versions: { name: string; version: string }[];
  };
  const completed = lastCompleted(record.clusterVersion.status.history);
  setCondition(status.conditions, 'Available', 'True', 'AsExpected');
  setCondition(status.conditions, 'Degraded', 'False', 'AsExpected');
  setCondition(status.conditions, 'Progressing', 'False', 'AsExpected');
  const upgradeable = ccoUpgradeable(record);
  setCondition(status.conditions, 'Upgradeable', upgradeable.status, upgradeable.reason, upgradeable.message);
  if (completed) status.versions = [{ name: 'operator', version: completed.version }];
}

// --- the cluster-version operator ----------------------------------------------------------------------------

export const NO_UPDATE_SERVICE_MESSAGE =
  'Unable to retrieve available updates: Get "https://api.openshift.com/api/upgrades_info/v1/graph": dial tcp: ' +
  'lookup api.openshift.com: no such host';

/** status.availableUpdates and RetrievedUpdates, from the update graph of spec.channel (releases.ts). */
function reconcileAvailableUpdates(record: ClusterRecord): void {
  const cv = record.clusterVersion;
  const conditions = cv.status.conditions;
  const channel = cv.spec.channel ?? '';
  const current = cv.status.desired.version;
  const fail = (reason: string, message: string) => {
    cv.status.availableUpdates = null;
    setCondition(conditions, 'RetrievedUpdates', 'False', reason, message);
  };
  if (channel === '') {
    fail('NoChannel', 'The update channel has not been configured.');
    return;
  }
  if (!record.updateService) {
    fail('RemoteFailed', NO_UPDATE_SERVICE_MESSAGE);
    return;
  }
  const graph = updateGraph()[channel];
  if (!graph) {
    fail('ResponseFailed', 'Unable to retrieve available updates: unexpected HTTP status: 404 Not Found');
    return;
  }
  if (!graph.releases.some((r) => r.version === current)) {
    fail(
      'VersionNotFound',
      `Unable to retrieve available updates: currently reconciling cluster version ${current} not found in the "${channel}" channel`,
    );
    return;
  }
  const updates = graph.edges
    .filter(([from]) => from === current)
    .map(([, to]) => releaseStatus(releaseByVersion(to)!));
  cv.status.availableUpdates = updates.length > 0 ? updates : null;
  setCondition(conditions, 'RetrievedUpdates', 'True');
}

/** The ClusterVersion's Upgradeable: the ClusterOperators' Upgradeable=False, summarised as the 4.16 CVO words it. */
function reconcileUpgradeable(record: ClusterRecord): void {
  const conditions = record.clusterVersion.status.conditions;
  const cco = findCondition((record.clusterOperator.status as { conditions: Condition[] }).conditions, 'Upgradeable');
  if (cco?.status === 'False') {
    setCondition(
      conditions,
      'Upgradeable',
      'False',
      cco.reason,
      `Cluster operator cloud-credential should not be upgraded between minor versions: ${cco.message ?? ''}`,
    );
  } else {
    removeCondition(conditions, 'Upgradeable');
  }
}

function sameRelease(a: ReleaseStatus, target: { version?: string; image?: string }): boolean {
  if (target.image) return a.image === target.image;
  return target.version !== undefined && a.version === target.version;
}

/**
 * A spec.desiredUpdate the CVO has not loaded yet: the payload is retrieved (a release of the catalogue, by image,
 * else by version), then the preconditions run: ClusterVersionUpgradeable blocks a change of minor version while the
 * ClusterVersion's Upgradeable is False, unless the update is forced. Accepted, it becomes status.desired with a new
 * Partial history entry, and the walk starts.
 */
function reconcileDesiredUpdate(record: ClusterRecord): void {
  const cv = record.clusterVersion;
  const desired = cv.spec.desiredUpdate;
  const conditions = cv.status.conditions;
  if (!desired || sameRelease(cv.status.desired, desired)) return;
  let release: Release | undefined;
  if (desired.image) release = resolveRelease(desired.image);
  else if (desired.version) release = releaseByVersion(desired.version);
  const image = desired.image ?? release?.digestPullSpec ?? '';
  if (!release || (desired.version && desired.version !== release.version)) {
    const failure = release
      ? `release image version ${release.version} does not match the expected upstream version ${desired.version ?? ''}`
      : 'Unable to download and prepare the update: manifest unknown';
    setCondition(
      conditions,
      'ReleaseAccepted',
      'False',
      'RetrievePayload',
      `Retrieving payload failed version="${desired.version ?? ''}" image="${image}" failure=${failure}`,
    );
    return;
  }
  const completed = lastCompleted(cv.status.history);
  const upgradeable = findCondition(conditions, 'Upgradeable');
  let acceptedRisks: string | undefined;
  if (completed && minor(completed.version) !== minor(release.version) && upgradeable?.status === 'False') {
    const failure = `Precondition "ClusterVersionUpgradeable" failed because of "${upgradeable.reason ?? ''}": ${upgradeable.message ?? ''}`;
    if (!desired.force) {
      setCondition(
        conditions,
        'ReleaseAccepted',
        'False',
        'PreconditionChecks',
        `Preconditions failed for payload loaded version="${release.version}" image="${image}": ${failure}`,
      );
      return;
    }
    acceptedRisks = `Forced through blocking failures: ${failure}`;
  }
  cv.status.desired = { ...releaseStatus(release), image };
  cv.status.history.unshift({
    state: 'Partial',
    startedTime: timestamp(),
    completionTime: null,
    version: release.version,
    image,
    verified: !desired.force,
    ...(acceptedRisks ? { acceptedRisks } : {}),
  });
  setCondition(
    conditions,
    'ReleaseAccepted',
    'True',
    'PayloadLoaded',
    `Payload loaded version="${release.version}" image="${image}" architecture="amd64"`,
  );
  setCondition(conditions, 'Progressing', 'True', undefined, `Working towards ${release.version}`);
  record.walk = { version: release.version, image, step: 0 };
}

/** Marks the newest history entry Completed, as the CVO does when every manifest of the release is applied. */
function complete(record: ClusterRecord): void {
  const cv = record.clusterVersion;
  const entry = cv.status.history[0]!;
  entry.state = 'Completed';
  entry.completionTime = timestamp();
  const conditions = cv.status.conditions;
  setCondition(conditions, 'Available', 'True', undefined, `Done applying ${entry.version}`);
  setCondition(conditions, 'Failing', 'False');
  setCondition(conditions, 'Progressing', 'False', undefined, `Cluster version is ${entry.version}`);
  record.walk = undefined;
}

/** One step of the walk to an accepted update, or the stall STANDIN_FAIL=oc:update-stall asks for. */
function advanceWalk(record: ClusterRecord, env: NodeJS.ProcessEnv): void {
  const walk = record.walk;
  if (!walk) return;
  const conditions = record.clusterVersion.status.conditions;
  if (injectedCondition('oc', 'update-stall', env)) {
    setCondition(
      conditions,
      'Failing',
      'True',
      'ClusterOperatorDegraded',
      `Cluster operator ${STALLED_OPERATOR} is degraded`,
    );
    setCondition(
      conditions,
      'Progressing',
      'True',
      'ClusterOperatorDegraded',
      `Unable to apply ${walk.version}: the cluster operator ${STALLED_OPERATOR} is degraded`,
    );
    return;
  }
  walk.step += 1;
  const steps = updateSteps(env);
  if (walk.step >= steps) {
    complete(record);
    return;
  }
  const done = Math.floor((PAYLOAD_MANIFESTS * walk.step) / steps);
  setCondition(conditions, 'Failing', 'False');
  setCondition(
    conditions,
    'Progressing',
    'True',
    undefined,
    `Working towards ${walk.version}: ${done} of ${PAYLOAD_MANIFESTS} done (${Math.trunc((done * 100) / PAYLOAD_MANIFESTS)}% complete)`,
  );
}

/** The install completed (create cluster or wait-for install-complete saw it through). */
export function completeInstall(record: ClusterRecord): void {
  const entry = record.clusterVersion.status.history.at(-1);
  if (!entry || entry.state === 'Completed') return;
  const cv = record.clusterVersion;
  setCondition(
    cv.status.conditions,
    'ReleaseAccepted',
    'True',
    'PayloadLoaded',
    `Payload loaded version="${entry.version}" image="${entry.image}" architecture="amd64"`,
  );
  complete(record);
  reconcile(record, { advance: false });
}

/**
 * One reconcile of the cluster: with `advance`, the walk of an accepted update moves one step (the tick of an `oc`
 * call); then the desired update is considered and every derived status recomputed.
 */
export function reconcile(record: ClusterRecord, options: { advance: boolean; env?: NodeJS.ProcessEnv }): void {
  const env = options.env ?? process.env;
  const cv = record.clusterVersion;
  const installing = !lastCompleted(cv.status.history);
  if (installing) {
    setCondition(cv.status.conditions, 'Available', 'False');
    setCondition(cv.status.conditions, 'Failing', 'False');
    setCondition(
      cv.status.conditions,
      'Progressing',
      'True',
      undefined,
      `Working towards ${cv.status.desired.version}`,
    );
  }
  if (options.advance) advanceWalk(record, env);
  reconcileCloudCredentialOperator(record);
  reconcileUpgradeable(record);
  if (!installing) reconcileDesiredUpdate(record);
  reconcileCloudCredentialOperator(record);
  reconcileUpgradeable(record);
  reconcileAvailableUpdates(record);
  const metadata = cv.metadata;
  cv.status.observedGeneration = metadata.generation ?? 1;
}
