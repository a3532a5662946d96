import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFiles, logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { Document, parse, type Scalar } from 'yaml';
import {
  AWS_REGION,
  closestRegion,
  CLUSTER_FILE,
  CLUSTERS_DIR,
  DEFAULT_CONTROL_PLANE_TYPE,
  DEFAULT_SINGLE_NODE_TYPE,
  DEFAULTS_FILE,
  ClusterConfigError,
  defaultSecretFiles,
  DNS_LABEL,
  isMinorOnly,
  JSON_SCHEMA_FILE,
  newStsName,
  parseClusterConfig,
  partitionOfRegion,
  regionProblems,
  type ClusterYaml,
} from '@ocp-sts/cluster-config';
import { prepareWorkspace } from '../init/generator.ts';
import { completeOptions, terminalAsk, type Ask } from './prompts.ts';
import type { ClusterGeneratorSchema, OptionProblem } from './schema.d.ts';

/** Which option produced which key of cluster.yaml, so that a validation problem names the flag to fix. */
const OPTION_OF_KEY: Record<string, string> = {
  name: 'name',
  'platform.account_id': '--accountId',
  'platform.region': '--region',
  'platform.zones': '--zones',
  'dns.base_domain': '--baseDomain',
  'openshift.version': '--openshiftVersion',
  'credentials.cco_mode': '--ccoMode',
  'credentials.aws_profile': '--awsProfile',
  'credentials.sts_name': '--stsName',
};

/**
 * The text the user typed for an option that the command-line parser turned into a number: `--openshiftVersion 4.10`
 * arrives as 4.1 and `--accountId 012345678901` without its zero. The raw token is still in process.argv.
 */
export function asWritten(option: string, value: string | number, argv: readonly string[] = process.argv): string {
  if (typeof value === 'string') return value;
  const kebab = option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  for (const [i, arg] of argv.entries()) {
    for (const flag of [`--${option}`, `--${kebab}`]) {
      if (arg === flag && argv[i + 1] !== undefined && Number(argv[i + 1]) === value) return argv[i + 1]!;
      if (arg.startsWith(`${flag}=`) && Number(arg.slice(flag.length + 1)) === value) return arg.slice(flag.length + 1);
    }
  }
  return String(value);
}

/**
 * Machine-pool keys the generator fills in, unless clusters/defaults.yaml already sets them for every cluster. The
 * control plane's type is the model's default for the replicas defaults.yaml sets (single-node needs a larger one).
 */
function poolDefaults(shared: Record<string, unknown> = {}) {
  return {
    control_plane_replicas: 3,
    compute_replicas: 3,
    instance_type_control_plane:
      shared['control_plane_replicas'] === 1 ? DEFAULT_SINGLE_NODE_TYPE : DEFAULT_CONTROL_PLANE_TYPE,
    instance_type_compute: 'm6i.xlarge',
  };
}

/** The cluster.yaml content for the options, in the seed's key order. */
export function clusterYamlFor(
  options: ClusterGeneratorSchema,
  stsName: string,
  sharedDefaults: { openshift?: Record<string, unknown> } = {},
): ClusterYaml {
  const zones = (options.zones ?? '')
    .split(',')
    .map((z) => z.trim())
    .filter(Boolean);
  const ccoMode = options.ccoMode ?? 'manual-sts';
  return {
    name: options.name,
    platform: {
      type: 'aws',
      account_id: asWritten('accountId', options.accountId),
      region: options.region,
      ...(zones.length ? { zones } : {}),
    },
    dns: { base_domain: options.baseDomain },
    openshift: {
      version: asWritten('openshiftVersion', options.openshiftVersion),
      // Written out so the file shows the machine pools, but not over what defaults.yaml says for every cluster.
      ...Object.fromEntries(
        Object.entries(poolDefaults(sharedDefaults.openshift)).filter(
          ([key]) => sharedDefaults.openshift?.[key] === undefined,
        ),
      ),
    },
    credentials: {
      cco_mode: ccoMode,
      ...(options.awsProfile ? { aws_profile: options.awsProfile } : {}),
      ...(ccoMode === 'manual-sts' ? { sts_name: stsName, create_private_s3_bucket: false } : {}),
    },
  };
}

/**
 * Where editors find the JSON Schema, relative to the new cluster's folder: the package's own file when the plugin
 * is part of this workspace, else its copy under node_modules.
 */
function schemaReference(tree: Tree, clusterDir: string): string {
  const installed = `node_modules/@ocp-sts/cluster-config/${JSON_SCHEMA_FILE}`;
  let file = join(tree.root, installed);
  try {
    file = fileURLToPath(import.meta.resolve(`@ocp-sts/cluster-config/${JSON_SCHEMA_FILE}`));
  } catch {
    // Not resolvable from here: keep the node_modules location.
  }
  const inWorkspace = relative(tree.root, file);
  const target = inWorkspace.startsWith('..') || isAbsolute(inWorkspace) ? installed : inWorkspace;
  return relative(clusterDir, target).split('\\').join('/');
}

function renderClusterFile(content: ClusterYaml, schemaPath: string): string {
  const doc = new Document(content);
  doc.commentBefore =
    ` yaml-language-server: $schema=${schemaPath}\n` +
    ` OpenShift cluster on AWS; every key: README of @ocp-sts/nx-plugin, section cluster.yaml. Secrets never go in this file.`;
  // Quoted, so that an edit to "4.10" or "012345678901" stays text instead of becoming a number.
  for (const path of [
    ['platform', 'account_id'],
    ['openshift', 'version'],
  ]) {
    (doc.getIn(path, true) as Scalar).type = 'QUOTE_DOUBLE';
  }
  const sts = doc.getIn(['credentials', 'sts_name'], true) as Scalar | undefined;
  if (sts) sts.comment = ' ccoctl --name: names the IAM roles and the OIDC bucket; keep it stable';
  return doc.toString({ lineWidth: 0 });
}

/** clusters/defaults.yaml as far as it is a mapping; its problems are reported by the validation below. */
function readSharedDefaults(text: string | null): { openshift?: Record<string, unknown> } {
  try {
    const value: unknown = text ? parse(text) : undefined;
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

/** Nx prints a generator's error message, and its stack only with --verbose. */
function failWith(message: string): never {
  throw new Error(message);
}

/**
 * Everything wrong with the options, with the workspace's defaults.yaml merged in, exactly as the file would be
 * written; an empty list means the generator may write it. The interactive prompts check each answer with this too
 * (see prompts.ts), so that a rule lives in one place.
 */
export function optionProblems(
  tree: Tree,
  options: ClusterGeneratorSchema,
  stsName = 'placeholder-abcde',
): OptionProblem[] {
  const name = options.name.trim();
  if (!DNS_LABEL.test(name)) {
    return [
      {
        option: 'name',
        message: `"${name}" is not a valid cluster name: use lowercase letters, digits and hyphens (a DNS label, at most 63 characters), e.g. "prod-east".`,
      },
    ];
  }
  const clusterDir = join(CLUSTERS_DIR, name);
  const file = join(clusterDir, CLUSTER_FILE);
  if (tree.exists(file)) {
    return [{ option: 'name', message: `${file} already exists; pick another name, or edit that file instead.` }];
  }
  const problems: OptionProblem[] = [];
  // The model checks the region's form; whether the region exists is the partitions' list.
  const region = options.region.trim();
  if (AWS_REGION.test(region) && regionProblems(region).length) {
    const closest = closestRegion(region);
    problems.push({
      option: '--region',
      message: `${region} is not a region of the AWS partition ${partitionOfRegion(region)}${closest ? ` (did you mean ${closest}?)` : ''}`,
    });
  }
  const sharedDefaults = readSharedDefaults(tree.read(join(CLUSTERS_DIR, DEFAULTS_FILE), 'utf-8'));
  const text = renderClusterFile(clusterYamlFor({ ...options, name }, stsName, sharedDefaults), 'schema.json');
  try {
    parseClusterConfig({
      workspaceRoot: tree.root,
      projectRoot: clusterDir,
      read: (f) => (f === file ? text : (tree.read(f, 'utf-8') ?? undefined)),
    });
  } catch (error) {
    if (!(error instanceof ClusterConfigError)) throw error;
    for (const p of error.problems) {
      const option = OPTION_OF_KEY[p.key.replace(/\.\d+$/, '')];
      problems.push(
        option ? { option, message: p.message } : { message: `${p.file}:${p.line} ${p.key}: ${p.message}` },
      );
    }
  }
  return problems;
}

export async function clusterGenerator(
  tree: Tree,
  given: Partial<ClusterGeneratorSchema>,
  ask: Ask | undefined = terminalAsk(),
): Promise<GeneratorCallback> {
  const options = await completeOptions(given, ask, (o) => optionProblems(tree, o));
  const name = options.name.trim();
  const clusterDir = join(CLUSTERS_DIR, name);
  const file = join(clusterDir, CLUSTER_FILE);
  const stsName = options.stsName ?? newStsName(name);
  // Validate exactly what would be written, with the workspace's defaults.yaml merged in, before writing anything.
  const problems = optionProblems(tree, options, stsName);
  if (problems.length) {
    const [first] = problems;
    if (first?.option === 'name') failWith(first.message);
    failWith(
      `cannot create ${file}:\n${problems.map((p) => `  ${p.option ? `${p.option}: ` : ''}${p.message}`).join('\n')}`,
    );
  }
  const sharedDefaults = readSharedDefaults(tree.read(join(CLUSTERS_DIR, DEFAULTS_FILE), 'utf-8'));
  const text = renderClusterFile(
    clusterYamlFor({ ...options, name }, stsName, sharedDefaults),
    schemaReference(tree, clusterDir),
  );

  prepareWorkspace(tree);
  tree.write(file, text);
  if (!options.skipFormat) await formatFiles(tree);

  const { pullSecret, sshPublicKey } = defaultSecretFiles(name);
  const width = Math.max(pullSecret.length, sshPublicKey.length) + 2;
  // Nx runs a generator's callback only after it wrote the files, never with --dry-run: nothing was created then.
  return () => {
    logger.info(
      [
        `Created ${file} (Nx project "${name}").`,
        `Before manifests and install, put the secrets in place (git-ignored; keep them mode 0600):`,
        `  ${pullSecret.padEnd(width)}your pull secret, from https://console.redhat.com/openshift/install/pull-secret`,
        `  ${sshPublicKey.padEnd(width)}an SSH public key for the nodes (e.g. ssh-keygen -t ed25519 -f ${sshPublicKey.replace(/\.pub$/, '')})`,
        // A minor version names a release only through its pin, which render reads and never writes.
        isMinorOnly(String(options.openshiftVersion))
          ? `Then: nx run ${name}:pin-release (pins "${options.openshiftVersion}" to its newest patch; commit the pin), and nx run ${name}:render`
          : `Then: nx run ${name}:render`,
      ].join('\n'),
    );
  };
}

export default clusterGenerator;
