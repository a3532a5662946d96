/*
 * The objects of a stand-in cluster, as the real API serves them (config.openshift.io/v1 ClusterVersion and
 * ClusterOperator, operator.openshift.io/v1 CloudCredential, v1 Secret), and the record that holds them in the
 * cluster store (store.ts). Only what the upgrade of a manual-STS cluster reads or writes is modelled.
 */
import { randomUUID } from 'node:crypto';
import { channelsOf, type Release } from '../releases.ts';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export interface Metadata {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generation?: number;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  [key: string]: unknown;
}

export interface HistoryEntry {
  state: 'Completed' | 'Partial';
  startedTime: string;
  completionTime: string | null;
  version: string;
  image: string;
  verified: boolean;
  acceptedRisks?: string;
}

export interface ReleaseStatus {
  version: string;
  image: string;
  url?: string;
  channels?: string[];
}

export interface DesiredUpdate {
  version?: string;
  image?: string;
  force?: boolean;
}

export interface ClusterVersion extends KubeObject {
  spec: { channel?: string; clusterID: string; upstream?: string; desiredUpdate?: DesiredUpdate };
  status: {
    availableUpdates: ReleaseStatus[] | null;
    capabilities: { enabledCapabilities: string[]; knownCapabilities: string[] };
    conditions: Condition[];
    desired: ReleaseStatus;
    history: HistoryEntry[];
    observedGeneration: number;
    versionHash: string;
  };
}

/** The stand-in's bookkeeping of an update the CVO accepted: how far the walk to it has come. */
export interface UpdateWalk {
  version: string;
  image: string;
  /** Ticks done (see cvo.ts); the update completes at STANDIN_UPDATE_STEPS. */
  step: number;
}

export interface ClusterRecord {
  /** The record's own format, so that a later stand-in can tell an old cluster. */
  format: 1;
  infraID: string;
  region: string;
  clusterName: string;
  apiURL: string;
  credentialsMode: string;
  /** Whether the cluster reaches an update service (STANDIN_CLUSTER_UPDATE_SERVICE=none at install: no). */
  updateService: boolean;
  /** The cluster's resourceVersion counter. */
  revision: number;
  clusterVersion: ClusterVersion;
  cloudCredential: KubeObject;
  clusterOperator: KubeObject;
  secrets: KubeObject[];
  walk?: UpdateWalk;
}

/** A Kubernetes timestamp: RFC 3339, seconds. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The next resourceVersion of the cluster. */
export function nextResourceVersion(record: ClusterRecord): string {
  record.revision += 1;
  return String(record.revision);
}

export function metadata(record: ClusterRecord, name: string, namespace?: string): Metadata {
  return {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    uid: randomUUID(),
    resourceVersion: nextResourceVersion(record),
    creationTimestamp: timestamp(),
  };
}

export function releaseStatus(release: Release): ReleaseStatus {
  return {
    version: release.version,
    image: release.digestPullSpec,
    url: `https://access.redhat.com/errata/stand-in-${release.version}`,
    channels: channelsOf(release),
  };
}

export interface NewCluster {
  infraID: string;
  region: string;
  clusterName: string;
  apiURL: string;
  clusterID: string;
  channel: string;
  credentialsMode: string;
  updateService: boolean;
  release: Release;
  /** Secrets of the installer's manifests, as manifests (stringData allowed). */
  secrets: Record<string, unknown>[];
  capabilities: string[];
}

/**
 * A cluster as the bootstrap leaves it: the install of `release` in history as Partial (create cluster marks it
 * Completed when the install completes), the CCO's CloudCredential (in Manual mode when the install-config says so),
 * its ClusterOperator and the Secrets of the manifests.
 */
export function newCluster(input: NewCluster): ClusterRecord {
  const now = timestamp();
  const record = {
    format: 1,
    infraID: input.infraID,
    region: input.region,
    clusterName: input.clusterName,
    apiURL: input.apiURL,
    credentialsMode: input.credentialsMode,
    updateService: input.updateService,
    revision: 1000,
    secrets: [],
  } as unknown as ClusterRecord;
  record.clusterVersion = {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ClusterVersion',
    metadata: { ...metadata(record, 'version'), generation: 1 },
    spec: { channel: input.channel, clusterID: input.clusterID },
    status: {
      availableUpdates: null,
      capabilities: { enabledCapabilities: input.capabilities, knownCapabilities: input.capabilities },
      conditions: [],
      desired: releaseStatus(input.release),
      history: [
        {
          state: 'Partial',
          startedTime: now,
          completionTime: null,
          version: input.release.version,
          image: input.release.digestPullSpec,
          verified: false,
        },
      ],
      observedGeneration: 1,
      versionHash: '',
    },
  };
  record.cloudCredential = {
    apiVersion: 'operator.openshift.io/v1',
    kind: 'CloudCredential',
    metadata: {
      ...metadata(record, 'cluster'),
      generation: 1,
      // The CCO's manifest (01-operator-config.yaml) carries these; the CVO creates the object from it.
      annotations: {
        'capability.openshift.io/name': 'CloudCredential',
        'include.release.openshift.io/ibm-cloud-managed': 'true',
        'include.release.openshift.io/self-managed-high-availability': 'true',
        'release.openshift.io/create-only': 'true',
      },
    },
    spec: {
      credentialsMode: input.credentialsMode,
      logLevel: 'Normal',
      managementState: 'Managed',
      operatorLogLevel: 'Normal',
    },
    status: { conditions: [], generations: null, observedGeneration: 1 },
  };
  record.clusterOperator = {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ClusterOperator',
    metadata: {
      ...metadata(record, 'cloud-credential'),
      generation: 1,
      annotations: {
        'capability.openshift.io/name': 'CloudCredential',
        'exclude.release.openshift.io/internal-openshift-hosted': 'true',
        'include.release.openshift.io/self-managed-high-availability': 'true',
      },
    },
    spec: {},
    status: { conditions: [], relatedObjects: [], versions: [] },
  };
  for (const manifest of input.secrets) record.secrets.push(secretFromManifest(record, manifest));
  return record;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The stored form of a Secret manifest, as the API server keeps it: stringData folded into base64 data. */
export function secretFromManifest(
  record: ClusterRecord,
  manifest: Record<string, unknown>,
  annotations: Record<string, string> = {},
): KubeObject {
  const meta = asRecord(manifest.metadata);
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(asRecord(manifest.data))) data[key] = String(value);
  for (const [key, value] of Object.entries(asRecord(manifest.stringData))) {
    data[key] = Buffer.from(String(value)).toString('base64');
  }
  const given = Object.fromEntries(Object.entries(asRecord(meta.annotations)).map(([k, v]) => [k, String(v)]));
  const allAnnotations = { ...given, ...annotations };
  const labels = asRecord(meta.labels);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      ...metadata(
        record,
        typeof meta.name === 'string' ? meta.name : '',
        typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default',
      ),
      ...(Object.keys(allAnnotations).length > 0 ? { annotations: allAnnotations } : {}),
      ...(Object.keys(labels).length > 0
        ? { labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])) }
        : {}),
    },
    data,
    type: typeof manifest.type === 'string' ? manifest.type : 'Opaque',
  };
}
