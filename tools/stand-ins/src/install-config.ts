/*
 * install-config.yaml as the stand-ins read it: validation with the installer's field-error wording (k8s
 * `field.ErrorList`), detection of unknown fields (which only warn), and the installer's defaults for AWS.
 */
import { parseDocument } from 'yaml';
import { BASELINE_CAPABILITY_SETS, enabledCapabilities, KNOWN_CAPABILITIES } from './payload.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = Record<string, Json>;

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A scalar as text (numbers and booleans too); '' for null, missing, maps and lists. */
export function text(value: Json | undefined): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

export class InstallConfigParseError extends Error {}

/** Parses install-config.yaml text into a map; throws InstallConfigParseError when it is not YAML or not a map. */
export function parseInstallConfig(text: string): JsonObject {
  const doc = parseDocument(text, { uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line;
    throw new InstallConfigParseError(
      `error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${error.message.split('\n')[0] ?? ''}`,
    );
  }
  const data: unknown = doc.toJS();
  const config = asObject(data);
  if (!config) {
    throw new InstallConfigParseError(
      'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal non-object into Go value of type types.InstallConfig',
    );
  }
  return config;
}

// --- field errors ---------------------------------------------------------------------------------------------

export interface FieldError {
  path: string;
  type: 'Required value' | 'Invalid value' | 'Unsupported value' | 'Too many';
  /** Printed Go-style (%#v); omitted for Required value. */
  value?: Json;
  detail?: string;
}

function goValue(value: Json | undefined): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || value === null) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function formatFieldError(error: FieldError): string {
  const value = error.type === 'Required value' ? '' : ` ${goValue(error.value)}`;
  return `${error.path}: ${error.type}:${value}${error.detail ? `${value ? ':' : ''} ${error.detail}` : ''}`;
}

/** k8s utilerrors.NewAggregate wording: one error as is, several in brackets. */
export function formatFieldErrors(errors: FieldError[]): string {
  const messages = errors.map(formatFieldError);
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}

// --- unknown fields -------------------------------------------------------------------------------------------

const TOP_LEVEL = [
  'apiVersion',
  'kind',
  'metadata',
  'additionalTrustBundle',
  'additionalTrustBundlePolicy',
  'sshKey',
  'baseDomain',
  'networking',
  'controlPlane',
  'arbiter',
  'compute',
  'platform',
  'imageContentSources',
  'imageDigestSources',
  'publish',
  'operatorPublishingStrategy',
  'fips',
  'cpuPartitioningMode',
  'pullSecret',
  'proxy',
  'bootstrapInPlace',
  'capabilities',
  'featureSet',
  'featureGates',
  'credentialsMode',
];
const METADATA = ['name', 'namespace', 'labels', 'annotations', 'creationTimestamp', 'generateName', 'uid'];
const PLATFORMS = [
  'aws',
  'azure',
  'baremetal',
  'external',
  'gcp',
  'ibmcloud',
  'none',
  'nutanix',
  'openstack',
  'ovirt',
  'powervs',
  'vsphere',
];
const AWS_PLATFORM = [
  'region',
  'subnets',
  'vpc',
  'hostedZone',
  'hostedZoneRole',
  'userTags',
  'serviceEndpoints',
  'amiID',
  'defaultMachinePlatform',
  'propagateUserTags',
  'lbType',
  'experimentalPropagateUserTags',
  'preserveBootstrapIgnition',
  'publicIpv4Pool',
  'bestEffortDeleteIgnition',
  'userProvisionedDNS',
];
const MACHINE_POOL = ['name', 'replicas', 'platform', 'hyperthreading', 'architecture', 'fencing', 'diskSetup'];
const NETWORKING = [
  'networkType',
  'machineNetwork',
  'clusterNetwork',
  'serviceNetwork',
  'machineCIDR',
  'clusterNetworkMTU',
  'ovnKubernetesConfig',
];
const CAPABILITIES = ['baselineCapabilitySet', 'additionalEnabledCapabilities'];

/** Paths of fields the installer does not know (it warns about the first and goes on). */
export function unknownFields(config: JsonObject): string[] {
  const found: string[] = [];
  const check = (object: Json | undefined, known: string[], prefix: string) => {
    const map = asObject(object);
    if (!map) return;
    for (const key of Object.keys(map)) if (!known.includes(key)) found.push(`${prefix}${key}`);
  };
  check(config, TOP_LEVEL, '');
  check(config.metadata, METADATA, 'metadata.');
  check(config.platform, PLATFORMS, 'platform.');
  check(asObject(config.platform)?.aws, AWS_PLATFORM, 'platform.aws.');
  check(config.controlPlane, MACHINE_POOL, 'controlPlane.');
  if (Array.isArray(config.compute)) {
    config.compute.forEach((pool, i) => {
      check(pool, MACHINE_POOL, `compute[${i}].`);
    });
  }
  check(config.networking, NETWORKING, 'networking.');
  check(config.capabilities, CAPABILITIES, 'capabilities.');
  return found;
}

/** The config without the fields unknownFields reports, as the installer's lenient second unmarshal leaves it. */
export function withoutUnknownFields(config: JsonObject): JsonObject {
  const copy = structuredClone(config);
  for (const path of unknownFields(copy)) {
    const segments = path.split('.').flatMap((segment) => {
      const match = /^(\w+)\[(\d+)\]$/.exec(segment);
      return match ? [match[1]!, Number(match[2])] : [segment];
    });
    const last = segments.pop();
    let node: Json | undefined = copy;
    for (const segment of segments) {
      node = Array.isArray(node) && typeof segment === 'number' ? node[segment] : asObject(node)?.[segment];
    }
    const parent = asObject(node);
    if (parent && typeof last === 'string') Reflect.deleteProperty(parent, last);
  }
  return copy;
}

// --- validation -----------------------------------------------------------------------------------------------

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_DETAIL =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const SSH_KEY_LINE =
  /^(?:ssh-rsa|ssh-ed25519|ssh-dss|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}(?: .*)?$/;
const AWS_REGION = /^(?:[a-z]{2}|us-gov|us-iso[a-z]?|cn)-[a-z]+-\d+$/;

export const CREDENTIALS_MODES = ['Manual', 'Mint', 'Passthrough'];
export const FEATURE_SETS = ['', 'Default', 'TechPreviewNoUpgrade', 'DevPreviewNoUpgrade', 'CustomNoUpgrade'];
const PUBLISH = ['External', 'Internal', 'Mixed'];

function quoteList(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function validatePool(pool: Json | undefined, path: string, min: number, errors: FieldError[]): void {
  const map = asObject(pool);
  if (pool === undefined || pool === null) return;
  if (!map) {
    errors.push({ path, type: 'Invalid value', value: pool, detail: 'must be a machine pool' });
    return;
  }
  const replicas = map.replicas;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < min)) {
    errors.push({
      path: `${path}.replicas`,
      type: 'Invalid value',
      value: replicas,
      detail: `number of replicas must not be less than ${min}`,
    });
  }
  const hyperthreading = map.hyperthreading;
  if (hyperthreading !== undefined && hyperthreading !== 'Enabled' && hyperthreading !== 'Disabled') {
    errors.push({
      path: `${path}.hyperthreading`,
      type: 'Unsupported value',
      value: hyperthreading,
      detail: 'supported values: "Disabled", "Enabled"',
    });
  }
}

/** The field errors of an install-config for AWS (an empty list when it is valid). Never prints the pull secret. */
// --- userTags, as the installer's validateUserTags and validateTag (pkg/types/aws/validation/platform.go) -------------

/** The installer's own pattern, its range `+-@` included (which also admits `,;<>?`). */
const USER_TAG_TEXT = /^[0-9A-Za-z_.:/=+-@\p{Z}]*$/u;
const USER_TAG_LIMIT = 25;

function userTagProblem(key: string, value: string): string | undefined {
  if (key.toLowerCase() === 'name') return '"Name" key is not allowed for user defined tags';
  if (!USER_TAG_TEXT.test(key)) return 'key contains invalid characters';
  if (!USER_TAG_TEXT.test(value)) return 'value contains invalid characters';
  if (key.length === 0) return 'key is empty';
  if (key.length > 128) return 'key is too long';
  if (value.length === 0) return 'value is empty';
  if (value.length > 256) return 'value is too long';
  if (/^([^/]*\.)?kubernetes.io\//.test(key)) return 'key is in the kubernetes.io namespace';
  if (/^([^/]*\.)?openshift.io\//.test(key)) return 'key is in the openshift.io namespace';
  return undefined;
}

function validateUserTags(tags: JsonObject | undefined, errors: FieldError[]): void {
  if (!tags) return;
  const keys = Object.keys(tags);
  if (keys.length > USER_TAG_LIMIT) {
    errors.push({
      path: 'platform.aws.userTags',
      type: 'Too many',
      value: keys.length,
      detail: `must have at most ${USER_TAG_LIMIT} items`,
    });
  }
  for (const key of keys.sort()) {
    const problem = userTagProblem(key, text(tags[key]));
    if (problem)
      errors.push({ path: `platform.aws.userTags[${key}]`, type: 'Invalid value', value: tags[key], detail: problem });
  }
}

/**
 * The installer's rules on what is enabled, for the AWS platform (pkg/types/validation/installconfig.go): marketplace
 * needs OperatorLifecycleManager, and CloudCredential, CloudControllerManager and Ingress cannot be disabled.
 */
function validateEnabledCapabilities(
  baseline: string,
  additional: string[],
  capabilities: JsonObject,
  errors: FieldError[],
): void {
  const enabled = enabledCapabilities(baseline, additional);
  if (enabled.has('marketplace') && !enabled.has('OperatorLifecycleManager')) {
    errors.push({
      path: 'additionalEnabledCapabilities',
      type: 'Invalid value',
      value: additional,
      detail: 'the marketplace capability requires the OperatorLifecycleManager capability',
    });
  }
  const refusals: [string, string][] = [
    ['CloudCredential', 'disabling CloudCredential capability available only for baremetal platforms'],
    [
      'CloudControllerManager',
      'disabling CloudControllerManager is only supported on the Baremetal, None, or External platform with cloudControllerManager value none',
    ],
    ['Ingress', 'the Ingress capability is required'],
  ];
  for (const [capability, detail] of refusals) {
    if (!enabled.has(capability))
      errors.push({ path: 'capabilities', type: 'Invalid value', value: capabilities, detail });
  }
}

export function validateInstallConfig(config: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const { apiVersion } = config;
  if (apiVersion === undefined || apiVersion === '') {
    errors.push({ path: 'apiVersion', type: 'Required value', detail: 'install-config version required' });
  } else if (apiVersion !== 'v1') {
    errors.push({
      path: 'apiVersion',
      type: 'Invalid value',
      value: apiVersion,
      detail: 'install-config version must be "v1"',
    });
  }

  const name = asObject(config.metadata)?.name;
  if (name === undefined || name === null || name === '') {
    errors.push({ path: 'metadata.name', type: 'Required value', detail: 'cluster name required' });
  } else if (typeof name !== 'string' || !DNS1123_SUBDOMAIN.test(name)) {
    errors.push({ path: 'metadata.name', type: 'Invalid value', value: name, detail: DNS1123_DETAIL });
  }

  const { baseDomain } = config;
  if (baseDomain === undefined || baseDomain === null || baseDomain === '') {
    errors.push({ path: 'baseDomain', type: 'Required value', detail: 'base domain required' });
  } else if (typeof baseDomain !== 'string' || !DNS1123_SUBDOMAIN.test(baseDomain)) {
    errors.push({ path: 'baseDomain', type: 'Invalid value', value: baseDomain, detail: DNS1123_DETAIL });
  }

  const platform = asObject(config.platform);
  const platformNames = platform ? Object.keys(platform).filter((k) => PLATFORMS.includes(k)) : [];
  if (platformNames.length === 0) {
    errors.push({
      path: 'platform',
      type: 'Invalid value',
      value: '',
      detail: `must specify one of the platforms (${PLATFORMS.join(', ')})`,
    });
  } else if (platformNames.length > 1) {
    errors.push({
      path: 'platform',
      type: 'Invalid value',
      value: platformNames.join(', '),
      detail: 'must only specify a single type of platform; cannot use both',
    });
  } else if (platformNames[0] !== 'aws') {
    errors.push({
      path: 'platform',
      type: 'Unsupported value',
      value: platformNames[0]!,
      detail: 'supported values: "aws" (this stand-in installs on AWS only)',
    });
  } else {
    const region = asObject(platform?.aws)?.region;
    if (region === undefined || region === null || region === '') {
      errors.push({ path: 'platform.aws.region', type: 'Required value', detail: 'region must be specified' });
    } else if (typeof region !== 'string' || !AWS_REGION.test(region)) {
      errors.push({ path: 'platform.aws.region', type: 'Invalid value', value: region, detail: 'invalid AWS region' });
    }
    validateUserTags(asObject(asObject(platform?.aws)?.userTags), errors);
  }

  const { pullSecret } = config;
  if (pullSecret === undefined || pullSecret === null || pullSecret === '') {
    errors.push({ path: 'pullSecret', type: 'Required value', detail: 'the pull secret is required' });
  } else {
    let problem: string | undefined;
    if (typeof pullSecret !== 'string') {
      problem = 'must be a string holding JSON';
    } else {
      try {
        const parsed = asObject(JSON.parse(pullSecret));
        if (!parsed) problem = 'must be a JSON object';
        else if (!asObject(parsed.auths)) problem = 'auths required';
      } catch (error) {
        problem = (error as Error).message;
      }
    }
    // The value itself is not printed: it may be a real secret with a typo in it.
    if (problem) errors.push({ path: 'pullSecret', type: 'Invalid value', value: '<redacted>', detail: problem });
  }

  const { sshKey } = config;
  if (sshKey !== undefined && sshKey !== null && sshKey !== '') {
    const lines = typeof sshKey === 'string' ? sshKey.split('\n').map((l) => l.trim()) : [];
    const keys = lines.filter(Boolean);
    if (keys.length === 0 || !keys.every((line) => SSH_KEY_LINE.test(line))) {
      errors.push({ path: 'sshKey', type: 'Invalid value', value: sshKey, detail: 'ssh: no key found' });
    }
  }

  const { credentialsMode } = config;
  if (credentialsMode !== undefined && credentialsMode !== '' && !CREDENTIALS_MODES.includes(text(credentialsMode))) {
    errors.push({
      path: 'credentialsMode',
      type: 'Unsupported value',
      value: credentialsMode,
      detail: `supported values: ${quoteList(CREDENTIALS_MODES)}`,
    });
  }

  const { featureSet } = config;
  if (featureSet !== undefined && !FEATURE_SETS.includes(text(featureSet))) {
    errors.push({
      path: 'featureSet',
      type: 'Unsupported value',
      value: featureSet,
      detail: `supported values: ${quoteList(FEATURE_SETS.filter(Boolean))}`,
    });
  }

  const { publish } = config;
  if (publish !== undefined && !PUBLISH.includes(text(publish))) {
    errors.push({
      path: 'publish',
      type: 'Unsupported value',
      value: publish,
      detail: `supported values: ${quoteList(PUBLISH)}`,
    });
  }

  const capabilities = asObject(config.capabilities);
  if (capabilities) {
    const baseline = capabilities.baselineCapabilitySet;
    if (baseline !== undefined && !BASELINE_CAPABILITY_SETS.includes(text(baseline))) {
      errors.push({
        path: 'capabilities.baselineCapabilitySet',
        type: 'Unsupported value',
        value: baseline,
        detail: `supported values: ${quoteList(BASELINE_CAPABILITY_SETS)}`,
      });
    }
    const additional = capabilities.additionalEnabledCapabilities;
    if (Array.isArray(additional)) {
      additional.forEach((capability, i) => {
        if (!KNOWN_CAPABILITIES.includes(text(capability))) {
          errors.push({
            path: `capabilities.additionalEnabledCapabilities[${i}]`,
            type: 'Unsupported value',
            value: capability,
            detail: `supported values: ${quoteList(KNOWN_CAPABILITIES)}`,
          });
        }
      });
    }
    // Without a baseline the installer takes vCurrent.
    const baselineSet = text(baseline ?? 'vCurrent');
    if (BASELINE_CAPABILITY_SETS.includes(baselineSet)) {
      const added = Array.isArray(additional) ? additional.map(text) : [];
      validateEnabledCapabilities(baselineSet, added, capabilities, errors);
    }
  }

  validatePool(config.controlPlane, 'controlPlane', 1, errors);
  if (config.compute !== undefined && config.compute !== null && !Array.isArray(config.compute)) {
    errors.push({ path: 'compute', type: 'Invalid value', value: config.compute, detail: 'must be a list' });
  } else if (Array.isArray(config.compute)) {
    config.compute.forEach((pool, i) => {
      validatePool(pool, `compute[${i}]`, 0, errors);
    });
  }
  return errors;
}

// --- defaults -------------------------------------------------------------------------------------------------

function defaultPool(pool: Json | undefined, name: string): JsonObject {
  return {
    architecture: 'amd64',
    hyperthreading: 'Enabled',
    platform: {},
    replicas: 3,
    ...(asObject(pool) ?? {}),
    name: asObject(pool)?.name ?? name,
  };
}

/** The config with the installer's defaults filled in (as `.openshift_install_state.json` holds it). */
export function defaultInstallConfig(config: JsonObject): JsonObject {
  const compute = Array.isArray(config.compute) && config.compute.length > 0 ? config.compute : [null];
  return {
    additionalTrustBundlePolicy: 'Proxyonly',
    ...config,
    metadata: { creationTimestamp: null, ...(asObject(config.metadata) ?? {}) },
    controlPlane: defaultPool(config.controlPlane, 'master'),
    compute: compute.map((pool) => defaultPool(pool, 'worker')),
    networking: {
      clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }],
      machineNetwork: [{ cidr: '10.0.0.0/16' }],
      networkType: 'OVNKubernetes',
      serviceNetwork: ['172.30.0.0/16'],
      ...(asObject(config.networking) ?? {}),
    },
    publish: config.publish ?? 'External',
    cpuPartitioningMode: config.cpuPartitioningMode ?? 'None',
  };
}

// --- what the tools read from it ------------------------------------------------------------------------------

export function platformName(config: JsonObject): string | undefined {
  const platform = asObject(config.platform);
  return platform ? Object.keys(platform).find((k) => PLATFORMS.includes(k)) : undefined;
}

export function clusterName(config: JsonObject): string {
  return text(asObject(config.metadata)?.name);
}

export function awsRegion(config: JsonObject): string {
  return text(asObject(asObject(config.platform)?.aws)?.region);
}

export function controlPlaneReplicas(config: JsonObject): number {
  const replicas = asObject(config.controlPlane)?.replicas;
  return typeof replicas === 'number' ? replicas : 3;
}
