/*
 * The release payload the `oc` stand-in serves: the manifests under tools/stand-ins/payload/<release>/, each under
 * its payload file name, plus the filters `oc adm release extract --credentials-requests` applies to them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocuments } from './kube-yaml.ts';
import type { Release } from './releases.ts';

export const PAYLOAD_ROOT = join(import.meta.dirname, '..', 'payload');

export interface PayloadFile {
  /** The file name in the release payload (and in `oc adm release extract` output). */
  name: string;
  documents: Record<string, unknown>[];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The manifests of a release, in payload (file-name) order, as the release image's `release-manifests/` holds them. */
export function payloadFiles(release: Release): PayloadFile[] {
  const dir = join(PAYLOAD_ROOT, release.payload);
  return readdirSync(dir)
    .filter((name) => /\.(?:ya?ml|json)$/.test(name))
    .sort()
    .map((name) => ({
      name,
      documents: parseDocuments(readFileSync(join(dir, name), 'utf8')).map((doc) => {
        const record = asRecord(doc);
        if (!record) throw new Error(`${name}: a document is not a map`);
        return record;
      }),
    }));
}

// --- CredentialsRequests --------------------------------------------------------------------------------------

export const PROVIDER_SPEC_KIND: Record<string, string> = {
  alibabacloud: 'AlibabaCloudProviderSpec',
  aws: 'AWSProviderSpec',
  azure: 'AzureProviderSpec',
  gcp: 'GCPProviderSpec',
  ibmcloud: 'IBMCloudProviderSpec',
  nutanix: 'NutanixProviderSpec',
  openstack: 'OpenStackProviderSpec',
  ovirt: 'OvirtProviderSpec',
  powervs: 'IBMCloudPowerVSProviderSpec',
  vsphere: 'VSphereProviderSpec',
};

export const CAPABILITY_ANNOTATION = 'capability.openshift.io/name';
export const FEATURE_SET_ANNOTATION = 'release.openshift.io/feature-set';
export const PROFILE_ANNOTATION_PREFIX = 'include.release.openshift.io/';

export function isCredentialsRequest(doc: Record<string, unknown>): boolean {
  return doc.apiVersion === 'cloudcredential.openshift.io/v1' && doc.kind === 'CredentialsRequest';
}

export function providerSpecKind(doc: Record<string, unknown>): string | undefined {
  const kind = asRecord(asRecord(asRecord(doc.spec)?.providerSpec))?.kind;
  return typeof kind === 'string' ? kind : undefined;
}

export function annotationsOf(doc: Record<string, unknown>): Record<string, string> {
  const annotations = asRecord(asRecord(doc.metadata)?.annotations) ?? {};
  return Object.fromEntries(Object.entries(annotations).map(([k, v]) => [k, String(v)]));
}

/** What an install-config enables, for `--included`. */
export interface Inclusion {
  /** Enabled capability names; undefined when the install-config has no `capabilities` stanza (no check). */
  capabilities: Set<string> | undefined;
  /** Default, TechPreviewNoUpgrade, ... */
  featureSet: string;
  /** The cluster profile, `self-managed-high-availability` for an installer-provisioned cluster. */
  profile: string;
}

/**
 * Whether `--included` keeps a manifest, as library-go's manifest inclusion does it: a manifest without
 * annotations is always kept; otherwise it needs the profile's include annotation, a feature-set annotation (if
 * any) listing the cluster's feature set, and (when capabilities are checked) every `+`-separated capability
 * enabled. `exclude.release.openshift.io/*` is not applied (oc sets no exclude identifier).
 */
export function isIncluded(doc: Record<string, unknown>, inclusion: Inclusion): boolean {
  const annotations = annotationsOf(doc);
  if (Object.keys(annotations).length === 0) return true;
  if (annotations[`${PROFILE_ANNOTATION_PREFIX}${inclusion.profile}`] !== 'true') return false;
  const featureSets = annotations[FEATURE_SET_ANNOTATION];
  if (featureSets !== undefined && featureSets !== '') {
    const sets = featureSets.split(',').map((s) => s.trim());
    if (!sets.includes(inclusion.featureSet)) return false;
  }
  const capabilities = annotations[CAPABILITY_ANNOTATION];
  if (inclusion.capabilities && capabilities !== undefined && capabilities !== '') {
    for (const name of capabilities.split('+')) {
      if (!inclusion.capabilities.has(name.trim())) return false;
    }
  }
  return true;
}

/**
 * The capability sets as oc 4.16 knows them (openshift/api config/v1 ClusterVersionCapabilitySets, vendored in oc's
 * release-4.16 branch). MachineAPI became a capability in 4.14, yet it is in every set from v4.11 on: clusters of
 * those releases always had the machine API, so the older sets keep it (only None lacks it).
 */
const CAPABILITY_SETS: Record<string, string[]> = (() => {
  const v411 = ['baremetal', 'marketplace', 'openshift-samples'];
  const v412 = [...v411, 'Console', 'Insights', 'Storage', 'CSISnapshot'];
  const v413 = [...v412, 'NodeTuning'];
  const v414 = [...v413, 'MachineAPI', 'Build', 'DeploymentConfig', 'ImageRegistry'];
  const v415 = [...v414, 'OperatorLifecycleManager', 'CloudCredential'];
  const v416 = [...v415, 'CloudControllerManager', 'Ingress'];
  return {
    None: [],
    'v4.11': [...v411, 'MachineAPI'],
    'v4.12': [...v412, 'MachineAPI'],
    'v4.13': [...v413, 'MachineAPI'],
    'v4.14': v414,
    'v4.15': v415,
    'v4.16': v416,
    vCurrent: v416,
  };
})();

export const KNOWN_CAPABILITIES: readonly string[] = CAPABILITY_SETS.vCurrent!;
export const BASELINE_CAPABILITY_SETS: readonly string[] = Object.keys(CAPABILITY_SETS);

/**
 * The enabled capabilities for a baseline set plus additional ones, as oc computes them for a `capabilities`
 * stanza; throws on an unknown set, and "" (the stanza without `baselineCapabilitySet`) is unknown to oc.
 */
export function enabledCapabilities(baseline: string, additional: readonly string[]): Set<string> {
  const set = Object.hasOwn(CAPABILITY_SETS, baseline) ? CAPABILITY_SETS[baseline] : undefined;
  if (!set) throw new Error(`unrecognized baselineCapabilitySet ${JSON.stringify(baseline)}`);
  return new Set([...set, ...additional]);
}
