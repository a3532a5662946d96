/*
 * The oc stand-in against a stand-in cluster (../cluster/): `get`, `apply -f`, `annotate`, `adm upgrade` (status,
 * `--to`, `--to-image`, `--clear`) and `adm upgrade channel`, with the kubeconfig of `--kubeconfig`, KUBECONFIG or
 * ~/.kube/config. Their output and errors follow openshift/oc (pkg/cli/admin/upgrade) and the kubectl it vendors
 * (apply, annotate, get). Every command first lets the cluster's operators run once (cluster/cvo.ts `reconcile`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findCondition, reconcile } from '../cluster/cvo.ts';
import { kubeconfigFile, KubeconfigError, readKubeconfig } from '../cluster/kubeconfig.ts';
import {
  nextResourceVersion,
  secretFromManifest,
  type ClusterRecord,
  type Condition,
  type DesiredUpdate,
  type KubeObject,
  type ReleaseStatus,
} from '../cluster/resources.ts';
import { ClusterUnreachable, readCluster, writeCluster, type ClusterRef } from '../cluster/store.ts';
import { parseDocuments, toKubeYaml } from '../kube-yaml.ts';
import { fail, failRaw, parseFlags } from './exit.ts';

const KUBECONFIG_FLAG = { kubeconfig: { type: 'string' } } as const;

// --- the connection ----------------------------------------------------------------------------------------

interface Session {
  record: ClusterRecord;
  save: () => Promise<void>;
}

/** Reads the kubeconfig, reaches its cluster and lets the cluster's operators run once. */
async function connect(kubeconfig: string | undefined): Promise<Session> {
  let server: string;
  let ref: ClusterRef | undefined;
  try {
    ({ server, ref } = readKubeconfig(kubeconfigFile(kubeconfig)));
  } catch (error) {
    if (error instanceof KubeconfigError) fail(error.message);
    throw error;
  }
  let host = server;
  try {
    host = new URL(server).hostname;
  } catch {
    // Not a URL: named as given.
  }
  const unreachable = () => failRaw(`Unable to connect to the server: dial tcp: lookup ${host}: no such host`);
  if (!ref) return unreachable();
  let record: ClusterRecord;
  try {
    record = await readCluster(ref);
  } catch (error) {
    if (error instanceof ClusterUnreachable) unreachable();
    throw error;
  }
  reconcile(record, { advance: true });
  return { record, save: () => writeCluster(record) };
}

// --- resource types ----------------------------------------------------------------------------------------

interface ResourceType {
  /** Every object of the type (in the namespace, for a namespaced type). */
  list: (record: ClusterRecord, namespace: string) => KubeObject[];
  /** kubectl's `<resource>.<group>` for messages (`secrets`, `clusterversions.config.openshift.io`). */
  plural: string;
  /** The name printer's prefix (`secret`, `clusterversion.config.openshift.io`). */
  display: string;
  namespaced: boolean;
  find: (record: ClusterRecord, name: string, namespace: string) => KubeObject | undefined;
}

const CLUSTER_VERSION: ResourceType = {
  plural: 'clusterversions.config.openshift.io',
  display: 'clusterversion.config.openshift.io',
  namespaced: false,
  list: (record) => [record.clusterVersion],
  find: (record, name) => (name === 'version' ? record.clusterVersion : undefined),
};
const CLOUD_CREDENTIAL: ResourceType = {
  plural: 'cloudcredentials.operator.openshift.io',
  display: 'cloudcredential.operator.openshift.io',
  namespaced: false,
  list: (record) => [record.cloudCredential],
  find: (record, name) => (name === 'cluster' ? record.cloudCredential : undefined),
};
const CLUSTER_OPERATOR: ResourceType = {
  plural: 'clusteroperators.config.openshift.io',
  display: 'clusteroperator.config.openshift.io',
  namespaced: false,
  list: (record) => [record.clusterOperator],
  find: (record, name) => (name === 'cloud-credential' ? record.clusterOperator : undefined),
};
const SECRET: ResourceType = {
  plural: 'secrets',
  display: 'secret',
  namespaced: true,
  list: (record, namespace) => record.secrets.filter((s) => s.metadata.namespace === namespace),
  find: (record, name, namespace) =>
    record.secrets.find((s) => s.metadata.name === name && s.metadata.namespace === namespace),
};

const RESOURCE_NAMES: Record<string, ResourceType> = {};
for (const [type, names] of [
  [CLUSTER_VERSION, ['clusterversion', 'clusterversions']],
  [CLOUD_CREDENTIAL, ['cloudcredential', 'cloudcredentials']],
  [CLUSTER_OPERATOR, ['clusteroperator', 'clusteroperators', 'co']],
] as const) {
  const group = type.plural.slice(type.plural.indexOf('.') + 1);
  for (const name of names) {
    RESOURCE_NAMES[name] = type;
    RESOURCE_NAMES[`${name}.${group}`] = type;
  }
}
RESOURCE_NAMES.secret = SECRET;
RESOURCE_NAMES.secrets = SECRET;

function resourceType(name: string): ResourceType {
  const type = RESOURCE_NAMES[name.toLowerCase()];
  if (!type) fail(`the server doesn't have a resource type "${name}"`);
  return type;
}

/** `TYPE NAME` or `TYPE/NAME` (or a bare `TYPE` where `optional`), and what follows them. */
function target(
  positionals: string[],
  verb: string,
  optional = false,
): { type: ResourceType; name: string | undefined; rest: string[] } {
  const [first, ...rest] = positionals;
  if (first === undefined) fail(`you must specify the type of resource to ${verb}`);
  const slash = first.indexOf('/');
  if (slash > 0) return { type: resourceType(first.slice(0, slash)), name: first.slice(slash + 1), rest };
  const type = resourceType(first);
  const [name, ...after] = rest;
  if (name === undefined || name.includes('=')) {
    if (optional) return { type, name: undefined, rest };
    fail(`the oc stand-in ${verb}s named resources only: oc ${verb} ${first} <name>`);
  }
  return { type, name, rest: after };
}

function notFound(type: ResourceType, name: string): never {
  return failRaw(`Error from server (NotFound): ${type.plural} "${name}" not found`);
}

// --- get -----------------------------------------------------------------------------------------------------

function age(created: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(created)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return (
    rows
      .map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]! + 3) : cell)).join(''))
      .join('\n') + '\n'
  );
}

function conditionsOf(object: KubeObject): Condition[] {
  return (object.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
}

function status(object: KubeObject, type: string): string {
  return findCondition(conditionsOf(object), type)?.status ?? '';
}

function defaultTable(record: ClusterRecord, type: ResourceType, objects: KubeObject[]): string {
  const rows = objects.map((object) => defaultRow(record, type, object));
  return table([rows[0]!.header, ...rows.map((row) => row.cells)]);
}

function defaultRow(
  record: ClusterRecord,
  type: ResourceType,
  object: KubeObject,
): { header: string[]; cells: string[] } {
  if (type === CLUSTER_VERSION) {
    const progressing = findCondition(conditionsOf(object), 'Progressing');
    const history = record.clusterVersion.status.history;
    const completed = history.find((h) => h.state === 'Completed');
    return {
      header: ['NAME', 'VERSION', 'AVAILABLE', 'PROGRESSING', 'SINCE', 'STATUS'],
      cells: [
        'version',
        completed?.version ?? '',
        status(object, 'Available'),
        status(object, 'Progressing'),
        age(progressing?.lastTransitionTime ?? object.metadata.creationTimestamp),
        progressing?.message ?? '',
      ],
    };
  }
  if (type === CLUSTER_OPERATOR) {
    const versions = (object.status as { versions?: { version: string }[] }).versions ?? [];
    const available = findCondition(conditionsOf(object), 'Available');
    return {
      header: ['NAME', 'VERSION', 'AVAILABLE', 'PROGRESSING', 'DEGRADED', 'SINCE', 'MESSAGE'],
      cells: [
        object.metadata.name,
        versions[0]?.version ?? '',
        status(object, 'Available'),
        status(object, 'Progressing'),
        status(object, 'Degraded'),
        age(available?.lastTransitionTime ?? object.metadata.creationTimestamp),
        '',
      ],
    };
  }
  if (type === SECRET) {
    return {
      header: ['NAME', 'TYPE', 'DATA', 'AGE'],
      cells: [
        object.metadata.name,
        String(object.type),
        String(Object.keys((object.data as Record<string, string> | undefined) ?? {}).length),
        age(object.metadata.creationTimestamp),
      ],
    };
  }
  return { header: ['NAME', 'AGE'], cells: [object.metadata.name, age(object.metadata.creationTimestamp)] };
}

async function get(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    ...KUBECONFIG_FLAG,
    namespace: { type: 'string', short: 'n' },
    output: { type: 'string', short: 'o' },
  });
  const { type, name, rest } = target(positionals, 'get', true);
  if (rest.length > 0) fail('the oc stand-in gets one resource (or one type) at a time');
  const output = values.output ?? '';
  if (!['', 'json', 'yaml', 'name'].includes(output)) {
    fail(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`);
  }
  const session = await connect(values.kubeconfig);
  await session.save();
  const namespace = values.namespace ?? 'default';
  if (name === undefined) {
    const items = type.list(session.record, namespace);
    if (output === '' && items.length === 0) {
      process.stderr.write(
        type.namespaced ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n',
      );
      return;
    }
    const list = { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
    if (output === 'json') process.stdout.write(`${JSON.stringify(list, null, 4)}\n`);
    else if (output === 'yaml') process.stdout.write(toKubeYaml(list));
    else if (output === 'name') process.stdout.write(items.map((o) => `${type.display}/${o.metadata.name}\n`).join(''));
    else process.stdout.write(defaultTable(session.record, type, items));
    return;
  }
  const object = type.find(session.record, name, namespace);
  if (!object) notFound(type, name);
  if (output === 'json') process.stdout.write(`${JSON.stringify(object, null, 4)}\n`);
  else if (output === 'yaml') process.stdout.write(toKubeYaml(object));
  else if (output === 'name') process.stdout.write(`${type.display}/${name}\n`);
  else process.stdout.write(defaultTable(session.record, type, [object]));
}

// --- apply ---------------------------------------------------------------------------------------------------

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The files of `-f`: a file, or a folder's .json/.yaml/.yml files in name order (subfolders only with -R). */
function manifestFiles(path: string, recursive: boolean): string[] {
  if (!existsSync(path)) fail(`the path "${path}" does not exist`);
  if (!statSync(path).isDirectory()) return [path];
  const files: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const child = join(path, name);
    if (statSync(child).isDirectory()) {
      if (recursive) files.push(...manifestFiles(child, true));
    } else if (/\.(?:json|ya?ml)$/.test(name)) {
      files.push(child);
    }
  }
  return files;
}

/** A Secret's data as stored: `data` as given, `stringData` base64-encoded over it. */
function storedData(manifest: Record<string, unknown>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(asRecord(manifest.data))) data[key] = String(value);
  for (const [key, value] of Object.entries(asRecord(manifest.stringData))) {
    data[key] = Buffer.from(String(value)).toString('base64');
  }
  return data;
}

/** Client-side apply's three-way merge of a map: keys the last apply set and this one drops are removed. */
function mergeMap(
  live: Record<string, string>,
  previous: Record<string, string>,
  next: Record<string, string>,
): Record<string, string> {
  const merged = { ...live };
  for (const key of Object.keys(previous)) if (!(key in next)) Reflect.deleteProperty(merged, key);
  return { ...merged, ...next };
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(asRecord(value)).map(([k, v]) => [k, String(v)]));
}

function applySecret(record: ClusterRecord, manifest: Record<string, unknown>, namespace: string): string {
  const meta = asRecord(manifest.metadata);
  const name = typeof meta.name === 'string' ? meta.name : '';
  const given = { ...manifest, metadata: { ...meta, namespace } };
  const annotations = stringMap(meta.annotations);
  Reflect.deleteProperty(annotations, LAST_APPLIED);
  const lastApplied = `${JSON.stringify({ ...given, metadata: { ...asRecord(given.metadata), ...(Object.keys(annotations).length > 0 ? { annotations } : {}) } })}\n`;
  const live = SECRET.find(record, name, namespace);
  if (!live) {
    record.secrets.push(secretFromManifest(record, given, { [LAST_APPLIED]: lastApplied }));
    return `secret/${name} created`;
  }
  const liveAnnotations = live.metadata.annotations ?? {};
  const previousText = liveAnnotations[LAST_APPLIED];
  if (previousText === undefined) {
    process.stderr.write(
      `Warning: resource secrets/${name} is missing the ${LAST_APPLIED} annotation which is required by oc apply. ` +
        'oc apply should only be used on resources created declaratively by either oc create --save-config or oc apply. ' +
        'The missing annotation will be patched automatically.\n',
    );
  }
  let previous: Record<string, unknown>;
  try {
    previous = asRecord(previousText === undefined ? {} : JSON.parse(previousText));
  } catch {
    previous = {};
  }
  const before = JSON.stringify([live.data, live.metadata.annotations ?? {}, live.metadata.labels ?? {}, live.type]);
  live.data = mergeMap(
    (live.data as Record<string, string> | undefined) ?? {},
    storedData(previous),
    storedData(given),
  );
  const mergedAnnotations = mergeMap(liveAnnotations, stringMap(asRecord(previous.metadata).annotations), annotations);
  live.metadata.annotations = { ...mergedAnnotations, [LAST_APPLIED]: lastApplied };
  const labels = mergeMap(
    live.metadata.labels ?? {},
    stringMap(asRecord(previous.metadata).labels),
    stringMap(meta.labels),
  );
  if (Object.keys(labels).length > 0) live.metadata.labels = labels;
  if (typeof manifest.type === 'string') live.type = manifest.type;
  const after = JSON.stringify([live.data, live.metadata.annotations, live.metadata.labels ?? {}, live.type]);
  if (before === after) return `secret/${name} unchanged`;
  live.metadata.resourceVersion = nextResourceVersion(record);
  return `secret/${name} configured`;
}

async function apply(args: string[]): Promise<void> {
  const { values } = parseFlags(args, {
    ...KUBECONFIG_FLAG,
    filename: { type: 'string', short: 'f', multiple: true },
    recursive: { type: 'boolean', short: 'R', default: false },
    namespace: { type: 'string', short: 'n' },
  });
  const paths = values.filename ?? [];
  if (paths.length === 0) fail('must specify one of -f and -k');
  const files = paths.flatMap((path) => manifestFiles(path, values.recursive));
  const documents: { file: string; doc: Record<string, unknown> }[] = [];
  for (const file of files) {
    let parsed: unknown[];
    try {
      parsed = parseDocuments(readFileSync(file, 'utf8'));
    } catch (error) {
      fail(`error parsing ${file}: ${(error as Error).message}`);
    }
    for (const doc of parsed) if (doc !== null && doc !== undefined) documents.push({ file, doc: asRecord(doc) });
  }
  const session = await connect(values.kubeconfig);
  const errors: string[] = [];
  for (const { file, doc } of documents) {
    const meta = asRecord(doc.metadata);
    const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
    if (values.namespace !== undefined && namespace !== undefined && namespace !== values.namespace) {
      errors.push(
        `error: the namespace from the provided object "${namespace}" does not match the namespace "${values.namespace}". You must pass '--namespace=${namespace}' to perform this operation.`,
      );
      continue;
    }
    if (doc.apiVersion !== 'v1' || doc.kind !== 'Secret') {
      errors.push(
        `error: the oc stand-in applies Secrets only; ${file} has ${String(doc.kind)} ${String(meta.name)} (${String(doc.apiVersion)})`,
      );
      continue;
    }
    if (typeof meta.name !== 'string' || meta.name === '') {
      errors.push(
        `error: error when retrieving current configuration of:\nResource: "/v1, Resource=secrets", GroupVersionKind: "/v1, Kind=Secret"\nName: "", Namespace: "${namespace ?? 'default'}"\nfrom server for: "${file}": resource name may not be empty`,
      );
      continue;
    }
    process.stdout.write(`${applySecret(session.record, doc, namespace ?? values.namespace ?? 'default')}\n`);
  }
  await session.save();
  if (errors.length > 0) failRaw(errors.join('\n'));
}

// --- annotate ------------------------------------------------------------------------------------------------

async function annotate(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    ...KUBECONFIG_FLAG,
    overwrite: { type: 'boolean', default: false },
    namespace: { type: 'string', short: 'n' },
  });
  const { type, name, rest } = target(positionals, 'annotate');
  if (name === undefined) fail('the oc stand-in annotates one named resource');
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const arg of rest) {
    const eq = arg.indexOf('=');
    if (eq > 0) set[arg.slice(0, eq)] = arg.slice(eq + 1);
    else if (arg.endsWith('-') && arg.length > 1) remove.push(arg.slice(0, -1));
    else fail(`invalid annotation format: ${arg}`);
  }
  if (Object.keys(set).length === 0 && remove.length === 0) fail('at least one annotation update is required');
  const session = await connect(values.kubeconfig);
  const object = type.find(session.record, name, values.namespace ?? 'default');
  if (!object) {
    await session.save();
    notFound(type, name);
  }
  const current = object.metadata.annotations ?? {};
  if (!values.overwrite) {
    const conflicts = Object.entries(set)
      .filter(([key, value]) => key in current && current[key] !== value)
      .map(([key]) => `'${key}' already has a value (${current[key] ?? ''})`);
    if (conflicts.length > 0) {
      await session.save();
      fail(`--overwrite is false but found the following declared annotation(s): ${conflicts.join('; ')}`);
    }
  }
  const annotations = { ...current, ...set };
  for (const key of remove) Reflect.deleteProperty(annotations, key);
  object.metadata.annotations = annotations;
  object.metadata.resourceVersion = nextResourceVersion(session.record);
  // The operators see the change within seconds: before the next command.
  reconcile(session.record, { advance: false });
  await session.save();
  process.stdout.write(`${type.display}/${name} annotated\n`);
}

// --- adm upgrade ---------------------------------------------------------------------------------------------

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function compareVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : a < b ? -1 : a > b ? 1 : 0;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Newest first, as oc's sortReleasesBySemanticVersions. */
function newestFirst(releases: ReleaseStatus[]): ReleaseStatus[] {
  return [...releases].sort((a, b) => compareVersions(b.version, a.version));
}

function indentMessage(message: string | undefined): string {
  return (message ?? '').replace(/\n/g, '\n  ');
}

function digestOf(image: string): string | undefined {
  const at = image.lastIndexOf('@');
  return at > 0 ? image.slice(at + 1) : undefined;
}

function targetMatch(release: ReleaseStatus, to: string | undefined, toImage: string | undefined): boolean {
  if (to && release.version === to) return true;
  if (!toImage) return false;
  if (release.image === toImage) return true;
  const digest = digestOf(toImage);
  return digest !== undefined && digestOf(release.image) === digest;
}

/** oc's checkForUpgrade: an invalid, failing or already-updating cluster. */
function checkForUpgrade(record: ClusterRecord): string | undefined {
  const cv = record.clusterVersion;
  const conditions = cv.status.conditions;
  const results: string[] = [];
  const invalid = findCondition(conditions, 'Invalid');
  if (invalid?.status === 'True') {
    results.push(
      `the cluster version object is invalid, you must correct the invalid state first:\n\n  Reason: ${invalid.reason ?? ''}\n  Message: ${indentMessage(invalid.message)}`,
    );
  }
  const failing = findCondition(conditions, 'Failing');
  if (failing?.status === 'True') {
    const targetName = cv.status.desired.version || cv.status.desired.image;
    results.push(
      `the cluster is experiencing an error reconciling "${targetName}":\n\n  Reason: ${failing.reason ?? ''}\n  Message: ${indentMessage(failing.message)}`,
    );
  }
  const progressing = findCondition(conditions, 'Progressing');
  if (progressing?.status === 'True') {
    results.push(
      `the cluster is already upgrading:\n\n  Reason: ${progressing.reason ?? ''}\n  Message: ${indentMessage(progressing.message)}`,
    );
  }
  return results.length > 0 ? results.join('\n\n') : undefined;
}

function upgradeStatus(record: ClusterRecord): void {
  const cv = record.clusterVersion;
  const conditions = cv.status.conditions;
  const out: string[] = [];
  const failing = findCondition(conditions, 'Failing');
  if (failing) {
    if (failing.status !== 'False') {
      out.push(
        `${failing.type}=${failing.status}:\n\n  Reason: ${failing.reason ?? ''}\n  Message: ${indentMessage(failing.message)}\n\n`,
      );
    }
  } else {
    process.stderr.write('warning: No current Failing info, see `oc describe clusterversion` for more details.\n');
  }
  const progressing = findCondition(conditions, 'Progressing');
  if (progressing?.message) {
    out.push(
      progressing.status === 'True'
        ? `info: An upgrade is in progress. ${progressing.message}\n`
        : `${progressing.message}\n`,
    );
  } else {
    process.stderr.write('warning: No current Progressing info, see `oc describe clusterversion` for more details.\n');
  }
  out.push('\n');
  const upgradeable = findCondition(conditions, 'Upgradeable');
  if (upgradeable?.status === 'False') {
    out.push(
      `Upgradeable=False\n\n  Reason: ${upgradeable.reason ?? ''}\n  Message: ${indentMessage(upgradeable.message)}\n\n`,
    );
  }
  const accepted = findCondition(conditions, 'ReleaseAccepted');
  if (accepted && accepted.status !== 'True') {
    out.push(
      `ReleaseAccepted=${accepted.status}\n\n  Reason: ${accepted.reason ?? ''}\n  Message: ${indentMessage(accepted.message)}\n\n`,
    );
  }
  const channel = cv.spec.channel ?? '';
  if (channel !== '') {
    out.push(
      cv.spec.upstream
        ? `Upstream: ${cv.spec.upstream}\n`
        : 'Upstream is unset, so the cluster will use an appropriate default.\n',
    );
    const channels = cv.status.desired.channels ?? [];
    out.push(
      channels.length > 0
        ? `Channel: ${channel} (available channels: ${channels.join(', ')})\n`
        : `Channel: ${channel}\n`,
    );
  }
  const retrieved = findCondition(conditions, 'RetrievedUpdates');
  const updates = cv.status.availableUpdates ?? [];
  if (updates.length > 0) {
    // Go's tabwriter with a minimal cell width of 14 and a padding of 1.
    const sorted = newestFirst(updates);
    const width = Math.max(14, ...['  VERSION', ...sorted.map((u) => `  ${u.version}`)].map((c) => c.length + 1));
    out.push('\nRecommended updates:\n\n');
    out.push(`${'  VERSION'.padEnd(width)}IMAGE\n`);
    for (const update of sorted) out.push(`${`  ${update.version}`.padEnd(width)}${update.image}\n`);
    if (retrieved?.status === 'False') {
      process.stderr.write(
        `warning: Cannot refresh available updates:\n  Reason: ${retrieved.reason ?? ''}\n  Message: ${indentMessage(retrieved.message)}\n\n`,
      );
    }
  } else if (retrieved?.status === 'False') {
    process.stderr.write(
      `warning: Cannot display available updates:\n  Reason: ${retrieved.reason ?? ''}\n  Message: ${indentMessage(retrieved.message)}\n\n`,
    );
  } else {
    out.push(
      'No updates available. You may still upgrade to a specific release image with --to-image or wait for new updates to be available.\n',
    );
  }
  process.stdout.write(out.join(''));
}

function bumpGeneration(record: ClusterRecord): void {
  const meta = record.clusterVersion.metadata;
  meta.generation = (meta.generation ?? 1) + 1;
  meta.resourceVersion = nextResourceVersion(record);
}

async function upgradeChannel(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    ...KUBECONFIG_FLAG,
    'allow-explicit-channel': { type: 'boolean', default: false },
  });
  if (positionals.length > 1) fail('multiple positional arguments given');
  const channel = positionals[0] ?? '';
  const session = await connect(values.kubeconfig);
  const cv = session.record.clusterVersion;
  const current = cv.spec.channel ?? '';
  if (channel === current) {
    await session.save();
    process.stdout.write(
      current === ''
        ? 'info: Cluster channel is already clear (no change)\n'
        : `info: Cluster is already in ${current} (no change)\n`,
    );
    return;
  }
  const channels = cv.status.desired.channels ?? [];
  if (channels.length > 0) {
    const found = channels.includes(channel);
    const known = channels.includes(current);
    if (channel === '') {
      if (known && !values['allow-explicit-channel']) {
        await session.save();
        fail(
          `You are requesting to clear the update channel. The current channel "${current}" is one of the available channels, you must pass --allow-explicit-channel to continue\n`,
        );
      }
    } else if (!found) {
      if (!values['allow-explicit-channel']) {
        await session.save();
        fail(
          `the requested channel "${channel}" is not one of the available channels (${channels.join(', ')}), you must pass --allow-explicit-channel to continue\n`,
        );
      }
      process.stderr.write(
        `warning: The requested channel "${channel}" is not one of the available channels (${channels.join(', ')}). You have used --allow-explicit-channel to proceed anyway. Setting the update channel to "${channel}".\n`,
      );
    }
  } else if (channel !== '') {
    process.stderr.write(
      `warning: No channels known to be compatible with the current version "${cv.status.desired.version}"; unable to validate "${channel}". Setting the update channel to "${channel}" anyway.\n`,
    );
  }
  if (channel === '') {
    process.stderr.write(
      `warning: Clearing channel "${current}"; cluster will no longer request available update recommendations.\n`,
    );
  }
  cv.spec.channel = channel;
  bumpGeneration(session.record);
  reconcile(session.record, { advance: false });
  await session.save();
}

const FORCE_WARNING =
  'warning: --force overrides cluster verification of your supplied release image and waives any update precondition failures. Only use this if you are testing unsigned release images or you are working around a known bug in the cluster-version operator and you have verified the authenticity of the provided image yourself.\n';

async function upgrade(args: string[]): Promise<void> {
  if (args[0] === 'channel') return upgradeChannel(args.slice(1));
  const { values, positionals } = parseFlags(args, {
    ...KUBECONFIG_FLAG,
    to: { type: 'string' },
    'to-image': { type: 'string' },
    'to-latest': { type: 'boolean', default: false },
    'allow-explicit-upgrade': { type: 'boolean', default: false },
    'allow-upgrade-with-warnings': { type: 'boolean', default: false },
    'allow-not-recommended': { type: 'boolean', default: false },
    'include-not-recommended': { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    clear: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) {
    fail(`unknown command "${positionals[0] ?? ''}" for "oc adm upgrade" (the stand-in implements: channel)`);
  }
  const to = values.to;
  const toImage = values['to-image'];
  if (values.clear && (to !== undefined || toImage !== undefined || values['to-latest'] || values.force)) {
    fail('--clear may not be specified with any other flags');
  }
  if (to !== undefined && toImage !== undefined) fail('only one of --to or --to-image may be provided');
  if (to !== undefined && !SEMVER.test(to)) {
    fail('--to must be a semantic version (e.g. 4.0.1 or 4.1.0-nightly-20181104): No Major.Minor.Patch elements found');
  }
  if (toImage !== undefined && !toImage.includes('@')) {
    if (!toImage.includes(':')) {
      fail('--to-image must be a valid image pull spec: no tag or digest specified');
    }
    if (values.force) {
      process.stderr.write(
        'warning: Using by-tag pull specs is dangerous, and while we still allow it in combination with --force for backward compatibility, it would be much safer to pass a by-digest pull spec instead\n',
      );
    } else {
      fail(
        '--to-image must be a by-digest pull spec, unless --force is also set, because release images that are not accessed via digest cannot be verified by the cluster.  Even when --force is set, using tags is not recommended, although we continue to allow it for backwards compatibility',
      );
    }
  }

  const session = await connect(values.kubeconfig);
  const { record } = session;
  const cv = record.clusterVersion;
  try {
    if (values.clear) {
      const original = cv.spec.desiredUpdate;
      if (!original) {
        process.stdout.write('info: No update in progress\n');
        return;
      }
      delete cv.spec.desiredUpdate;
      bumpGeneration(record);
      reconcile(record, { advance: false });
      const equivalent =
        (original.image && original.image === cv.status.desired.image) ||
        (!original.image && original.version === cv.status.desired.version);
      process.stdout.write(
        equivalent
          ? `Cleared the update field, still at ${cv.status.desired.version || cv.status.desired.image}\n`
          : `Cancelled requested upgrade to ${original.version || original.image || '<unknown>'}\n`,
      );
      return;
    }
    if (to === undefined && toImage === undefined && !values['to-latest']) {
      upgradeStatus(record);
      return;
    }
    if (to !== undefined && to === cv.status.desired.version) {
      process.stdout.write(`info: Cluster is already at version ${to}\n`);
      return;
    }
    if (toImage !== undefined && toImage === cv.status.desired.image) {
      process.stdout.write(`info: Cluster is already at ${toImage}\n`);
      return;
    }
    let update: DesiredUpdate | undefined;
    const possible: ReleaseStatus[] = [];
    for (const available of cv.status.availableUpdates ?? []) {
      if (targetMatch(available, to, toImage)) {
        update = { version: available.version, image: toImage ?? available.image };
        break;
      }
      possible.push(available);
    }
    if (!update && toImage !== undefined && values['allow-explicit-upgrade']) {
      update = { version: '', image: toImage };
      process.stderr.write(
        'warning: The requested upgrade image is not one of the available updates. You have used --allow-explicit-upgrade for the update to proceed anyway\n',
      );
    }
    const sorted = newestFirst(possible);
    if (values['to-latest'] && sorted.length > 0) update = { version: sorted[0]!.version, image: sorted[0]!.image };
    if (!update) {
      const retrieved = findCondition(cv.status.conditions, 'RetrievedUpdates');
      const option = toImage !== undefined ? '--allow-explicit-upgrade' : '--to-image';
      const nextStep = `${option} to continue with ${values['to-latest'] ? 'an' : 'the'} update`;
      if (retrieved && retrieved.status !== 'True') {
        fail(
          `cannot refresh available updates:\n  Reason: ${retrieved.reason ?? ''}\n  Message: ${indentMessage(retrieved.message)}\n\nspecify ${nextStep}.`,
        );
      }
      if (sorted.length === 0 && values['to-latest']) {
        process.stdout.write(`info: Cluster is already at the latest available version ${cv.status.desired.version}\n`);
        return;
      }
      if (sorted.length === 0)
        fail(`no recommended updates, specify ${nextStep} or wait for new updates to be available.`);
      fail(
        `the update is not one of the possible targets: ${sorted.map((r) => r.version).join(', ')}. specify ${nextStep}.`,
      );
    }
    if (values.force) {
      update.force = true;
      process.stderr.write(FORCE_WARNING);
    }
    const problem = checkForUpgrade(record);
    if (problem) {
      if (!values['allow-upgrade-with-warnings']) {
        fail(`${problem}\n\nIf you want to upgrade anyway, use --allow-upgrade-with-warnings.`);
      }
      process.stderr.write(`warning: --allow-upgrade-with-warnings is bypassing: ${problem}\n`);
    }
    cv.spec.desiredUpdate = {
      ...(update.version ? { version: update.version } : {}),
      ...(update.image ? { image: update.image } : {}),
      ...(update.force ? { force: true } : {}),
    };
    bumpGeneration(record);
    // The CVO loads the payload and runs its preconditions right away (cluster/cvo.ts).
    reconcile(record, { advance: false });
    process.stdout.write(
      update.version
        ? `Requested update to ${update.version}\n`
        : `Requested update to release image ${update.image ?? ''}\n`,
    );
  } finally {
    await session.save();
  }
}

/** Runs a cluster command of oc (the arguments after `oc`), or returns false when it is not one. */
export async function clusterCommand(given: string[]): Promise<boolean> {
  // `oc --kubeconfig F get …`: a global flag before the command counts as if after it.
  const argv = [...given];
  const leading: string[] = [];
  while (argv[0]?.startsWith('--kubeconfig')) leading.push(...argv.splice(0, argv[0].includes('=') ? 1 : 2));
  argv.push(...leading);
  const [first, second, ...rest] = argv;
  if (first === 'get') await get(argv.slice(1));
  else if (first === 'apply') await apply(argv.slice(1));
  else if (first === 'annotate') await annotate(argv.slice(1));
  else if (first === 'adm' && second === 'upgrade') await upgrade(rest);
  else return false;
  return true;
}
