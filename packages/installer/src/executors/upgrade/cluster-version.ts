/*
 * What the ClusterVersion `version` says, read from `oc get clusterversion version -o json`: the last completed
 * version, the desired release, whether the cluster-version operator accepted it, and the conditions an operator
 * watches during an update. Pure: the upgrade asks oc, this reads the answer.
 */
export interface ClusterVersionStatus {
  /** The version of the newest Completed history entry (what the cluster runs). */
  completed: string | undefined;
  /** status.desired: what the cluster is moving to (or runs). */
  desired: { version: string | undefined; image: string | undefined };
  /** Whether the newest history entry is the desired one and Completed. */
  settled: boolean;
  /** ReleaseAccepted=False: why the operator refused the desired release. */
  refused: string | undefined;
  /** Progressing's message (e.g. `Working towards 4.17.9: 320 of 863 done (37% complete)`). */
  progress: string | undefined;
  /** Failing=True: its message. */
  failing: string | undefined;
  /** false: the cluster reads no update service (RetrievedUpdates is not True). */
  hasUpdateService: boolean;
}

interface Condition {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
  message?: unknown;
}

interface ClusterVersionDocument {
  status?: {
    desired?: { version?: unknown; image?: unknown };
    history?: { state?: unknown; version?: unknown; image?: unknown }[];
    conditions?: Condition[];
    availableUpdates?: unknown;
  };
}

const str = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

export function readClusterVersion(json: string): ClusterVersionStatus {
  const doc = JSON.parse(json) as ClusterVersionDocument;
  const status = doc.status ?? {};
  const history = status.history ?? [];
  const conditions = status.conditions ?? [];
  const condition = (type: string) => conditions.find((c) => c.type === type);
  const isTrue = (type: string) => condition(type)?.status === 'True';
  const desired = { version: str(status.desired?.version), image: str(status.desired?.image) };
  const newest = history[0];
  const accepted = condition('ReleaseAccepted');
  return {
    completed: str(history.find((h) => h.state === 'Completed')?.version),
    desired,
    settled:
      newest?.state === 'Completed' &&
      (desired.image ? str(newest.image) === desired.image : str(newest.version) === desired.version),
    refused: accepted?.status === 'False' ? (str(accepted.message) ?? str(accepted.reason) ?? 'refused') : undefined,
    progress: str(condition('Progressing')?.message),
    failing: isTrue('Failing') ? (str(condition('Failing')?.message) ?? 'Failing') : undefined,
    // No upstream (or none reachable): RetrievedUpdates is not True, and `oc adm upgrade --to` has nothing to match.
    hasUpdateService: isTrue('RetrievedUpdates'),
  };
}
