import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClusterConfigError,
  formatProblem,
  loadClusterConfig,
  MAX_ALIASES,
  MAX_CONFIG_FILE_BYTES,
  MAX_REPORTED_PROBLEMS,
  parseClusterConfig,
  type Problem,
} from './load.ts';

const ROOT = '/ws';
const CLUSTER = 'clusters/prod-east/cluster.yaml';
const DEFAULTS = 'clusters/defaults.yaml';

/** Parses in-memory files as if they were the workspace at ROOT. */
function parse(files: Record<string, string>, projectRoot = 'clusters/prod-east') {
  return parseClusterConfig({ workspaceRoot: ROOT, projectRoot, read: (file) => files[file] });
}

/** The error parse() throws; fails the test when it throws none or another. */
function configErrorOf(files: Record<string, string>, projectRoot?: string): ClusterConfigError {
  try {
    parse(files, projectRoot);
  } catch (error) {
    if (error instanceof ClusterConfigError) return error;
    throw error;
  }
  throw new Error('expected a ClusterConfigError, but the configuration was accepted');
}

/** The problems parse() reports; fails the test when it reports none. */
function problemsOf(files: Record<string, string>, projectRoot?: string): Problem[] {
  return configErrorOf(files, projectRoot).problems;
}

/** `file:line:col key: message`, one per problem, for compact assertions. */
function reported(files: Record<string, string>, projectRoot?: string): string[] {
  return problemsOf(files, projectRoot).map(formatProblem);
}

/** The smallest valid cluster.yaml: only the required keys. */
const MINIMAL = `name: prod-east
platform: { type: aws, account_id: "123456789012", region: us-east-1 }
dns: { base_domain: example.com }
openshift:
  version: "4.16.3"
credentials:
  sts_name: prod-east-k3x9q
`;

/** Every key of the seed project's format, plus the STS additions. */
const SEED = `name: prod-east
env: prod
platform: { type: aws, account_id: "012345678901", region: us-east-1, zones: [us-east-1a, us-east-1b] }
dns: { base_domain: example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ }
openshift:
  version: "4.16.3"
  release_image: quay.io/openshift-release-dev/ocp-release:4.16.3-x86_64
  max_minor: "4.18"
  control_plane_replicas: 3
  compute_replicas: 2
  instance_type_control_plane: m6i.2xlarge
  instance_type_compute: m5.xlarge
  compute_market: spot
credentials:
  cco_mode: manual-sts
  aws_profile: prod
  sts_name: prod-east-k3x9q
  create_private_s3_bucket: true
  permissions_boundary_arn: arn:aws:iam::012345678901:policy/ocp-boundary
secrets:
  pull_secret_file: secrets/shared/pull-secret.json
  ssh_public_key_file: /home/me/.ssh/id_ed25519.pub
gitops:
  repo_url: git@github.com:org/fleet.git
  repo_ref: release-2024.06
  env: prod-us
`;

describe('parseClusterConfig: the seed format', () => {
  it('accepts every key of the seed format and the STS additions, key for key', () => {
    const loaded = parse({ [CLUSTER]: SEED });
    expect(loaded.cluster).toEqual({
      name: 'prod-east',
      env: 'prod',
      platform: { type: 'aws', account_id: '012345678901', region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b'] },
      dns: { base_domain: 'example.com', hosted_zone_id: 'Z0123456789ABCDEFGHIJ' },
      openshift: {
        version: '4.16.3',
        release_image: 'quay.io/openshift-release-dev/ocp-release:4.16.3-x86_64',
        max_minor: '4.18',
        control_plane_replicas: 3,
        compute_replicas: 2,
        instance_type_control_plane: 'm6i.2xlarge',
        instance_type_compute: 'm5.xlarge',
        feature_set: 'Default',
        compute_market: 'spot',
      },
      credentials: {
        cco_mode: 'manual-sts',
        aws_profile: 'prod',
        sts_name: 'prod-east-k3x9q',
        create_private_s3_bucket: true,
        permissions_boundary_arn: 'arn:aws:iam::012345678901:policy/ocp-boundary',
      },
      secrets: {
        pull_secret_file: 'secrets/shared/pull-secret.json',
        ssh_public_key_file: '/home/me/.ssh/id_ed25519.pub',
      },
      gitops: { repo_url: 'git@github.com:org/fleet.git', repo_ref: 'release-2024.06', env: 'prod-us' },
      state: { backend: 'local' },
    });
    expect(loaded.stsName).toBe('prod-east-k3x9q');
    expect(loaded.warnings).toEqual([]);
    expect(loaded.sources).toEqual([CLUSTER]);
  });

  it('passes gitops through untouched', () => {
    const gitops = { repo_url: 'https://git.example.com/Org/Fleet.git', repo_ref: 'a1b2c3d', env: 'Prod_East 1' };
    const loaded = parse({
      [CLUSTER]: `${MINIMAL}gitops:\n  repo_url: ${gitops.repo_url}\n  repo_ref: ${gitops.repo_ref}\n  env: ${gitops.env}\n`,
    });
    expect(loaded.cluster.gitops).toEqual(gitops);
  });

  it('resolves secret files against the workspace root and keeps absolute paths', () => {
    const loaded = parse({ [CLUSTER]: SEED });
    expect(loaded.secretFiles).toEqual({
      pullSecret: join(ROOT, 'secrets/shared/pull-secret.json'),
      sshPublicKey: '/home/me/.ssh/id_ed25519.pub',
    });
  });

  it('defaults the secret files to secrets/<name>/pull-secret.json and ssh.pub', () => {
    expect(parse({ [CLUSTER]: MINIMAL }).secretFiles).toEqual({
      pullSecret: join(ROOT, 'secrets', 'prod-east', 'pull-secret.json'),
      sshPublicKey: join(ROOT, 'secrets', 'prod-east', 'ssh.pub'),
    });
  });

  it('applies the defaults of every optional key', () => {
    const { cluster } = parse({ [CLUSTER]: MINIMAL });
    expect(cluster.openshift).toEqual({
      version: '4.16.3',
      control_plane_replicas: 3,
      compute_replicas: 3,
      instance_type_control_plane: 'm6i.xlarge',
      instance_type_compute: 'm6i.xlarge',
      feature_set: 'Default',
      compute_market: 'on-demand',
    });
    expect(cluster.credentials).toEqual({
      cco_mode: 'manual-sts',
      sts_name: 'prod-east-k3x9q',
      create_private_s3_bucket: false,
    });
    expect(cluster.platform.zones).toBeUndefined();
    expect(cluster.secrets).toBeUndefined();
    expect(cluster.gitops).toBeUndefined();
  });

  it('fills in a credentials section that is absent altogether', () => {
    const text = MINIMAL.replace(/credentials:\n.*\n/, '');
    const { cluster } = parse({ [CLUSTER]: text });
    expect(cluster.credentials).toEqual({ cco_mode: 'manual-sts', create_private_s3_bucket: false });
  });

  it('accepts the cluster of the quick start as checked in', () => {
    const loaded = loadClusterConfig({
      workspaceRoot: join(import.meta.dirname, '..', '..', '..'),
      projectRoot: 'clusters/example',
    });
    expect(loaded.cluster.name).toBe('example');
    expect(loaded.stsName).toBe(loaded.cluster.credentials.sts_name);
  });

  it('accepts a release image by digest, and a version X.Y with a tag of its patch', () => {
    const digest = `quay.io/openshift-release-dev/ocp-release@sha256:${'a1'.repeat(32)}`;
    const byDigest = MINIMAL.replace('  version: "4.16.3"\n', `  version: "4.16.3"\n  release_image: ${digest}\n`);
    expect(parse({ [CLUSTER]: byDigest }).cluster.openshift.release_image).toBe(digest);
    const minor = MINIMAL.replace(
      '  version: "4.16.3"\n',
      '  version: "4.16"\n  release_image: quay.io/openshift-release-dev/ocp-release:4.16.9-x86_64\n',
    );
    expect(parse({ [CLUSTER]: minor }).cluster.openshift.version).toBe('4.16');
  });
});

describe('loadClusterConfig: reading from disk', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cluster-config-'));
    mkdirSync(join(root, 'clusters', 'prod-east'), { recursive: true });
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('reads cluster.yaml and the defaults.yaml next to the cluster folders', () => {
    writeFileSync(join(root, CLUSTER), MINIMAL);
    writeFileSync(join(root, DEFAULTS), 'openshift:\n  compute_replicas: 5\n');
    const loaded = loadClusterConfig({ workspaceRoot: root, projectRoot: 'clusters/prod-east' });
    expect(loaded.cluster.openshift.compute_replicas).toBe(5);
    expect(loaded.sources).toEqual([CLUSTER, DEFAULTS]);
    expect(loaded.secretFiles.pullSecret).toBe(join(root, 'secrets', 'prod-east', 'pull-secret.json'));
  });

  it('refuses a file over the size limit before reading it, naming the file, its size and the limit', () => {
    writeFileSync(join(root, CLUSTER), MINIMAL);
    writeFileSync(join(root, DEFAULTS), `# ${'x'.repeat(MAX_CONFIG_FILE_BYTES)}\n`);
    const size = MAX_CONFIG_FILE_BYTES + 3;
    expect(() => loadClusterConfig({ workspaceRoot: root, projectRoot: 'clusters/prod-east' })).toThrow(
      `1 problem in ${DEFAULTS}:\n  ${DEFAULTS}:1:1 (file): is 1025 KiB (${size} bytes), over the limit of 1024 KiB for a cluster configuration`,
    );
  });

  it('says how to scaffold a cluster.yaml that does not exist', () => {
    expect(() => loadClusterConfig({ workspaceRoot: root, projectRoot: 'clusters/prod-east' })).toThrow(
      `${CLUSTER}:1:1 (file): not found; scaffold one with \`nx g @ocp-sts/nx-plugin:cluster\``,
    );
  });
});

describe('clusters/defaults.yaml', () => {
  const defaults = `platform:
  type: aws
  account_id: "123456789012"
  region: us-east-1
  zones: [us-east-1a, us-east-1b, us-east-1c]
openshift:
  compute_replicas: 5
  instance_type_compute: m6i.2xlarge
credentials:
  cco_mode: manual-sts
  aws_profile: shared
`;

  it('is deep-merged under the cluster: the cluster wins, lists are replaced', () => {
    const cluster = `name: prod-east
platform: { region: us-west-2, zones: [us-west-2b] }
dns: { base_domain: example.com }
openshift:
  version: "4.16.3"
  compute_replicas: 2
credentials:
  sts_name: prod-east-k3x9q
`;
    const loaded = parse({ [CLUSTER]: cluster, [DEFAULTS]: defaults });
    expect(loaded.cluster.platform).toEqual({
      type: 'aws',
      account_id: '123456789012',
      region: 'us-west-2',
      zones: ['us-west-2b'],
    });
    expect(loaded.cluster.openshift.compute_replicas).toBe(2);
    expect(loaded.cluster.openshift.instance_type_compute).toBe('m6i.2xlarge');
    expect(loaded.cluster.credentials.aws_profile).toBe('shared');
    expect(loaded.sources).toEqual([CLUSTER, DEFAULTS]);
  });

  it('locates a problem that comes from defaults.yaml in defaults.yaml', () => {
    const cluster = `name: prod-east
dns: { base_domain: example.com }
openshift: { version: "4.16.3" }
credentials: { sts_name: prod-east-k3x9q }
`;
    const bad = defaults.replace('compute_replicas: 5', 'compute_replicas: five').replace('aws_profile', 'aws_profil');
    expect(reported({ [CLUSTER]: cluster, [DEFAULTS]: bad })).toEqual([
      `${DEFAULTS}:7:3 openshift.compute_replicas: expected a whole number >= 0, got "five"`,
      `${DEFAULTS}:11:3 credentials.aws_profil: unknown key; did you mean "aws_profile"?`,
    ]);
  });

  it('shows a number in defaults.yaml as written there, even when cluster.yaml has the section', () => {
    const cluster = `name: prod-east
platform: { region: us-east-1 }
dns: { base_domain: example.com }
openshift: { compute_replicas: 2 }
credentials: { sts_name: prod-east-k3x9q }
`;
    const shared = 'platform: { type: aws, account_id: 012345678901 }\nopenshift:\n  version: 4.10\n';
    expect(reported({ [CLUSTER]: cluster, [DEFAULTS]: shared })).toEqual([
      `${DEFAULTS}:1:24 platform.account_id: expected a 12-digit AWS account id in quotes, like "123456789012", got 012345678901 (a number; if it is meant as text, quote it: "012345678901")`,
      `${DEFAULTS}:3:3 openshift.version: expected an OpenShift version as a quoted string like "4.16" or "4.16.3", got 4.10 (a number; if it is meant as text, quote it: "4.10")`,
    ]);
  });

  it('does not report a bad value in defaults.yaml that the cluster overrides', () => {
    const cluster = MINIMAL.replace('  version: "4.16.3"\n', '  version: "4.16.3"\n  compute_replicas: 1\n');
    const loaded = parse({ [CLUSTER]: cluster, [DEFAULTS]: 'openshift: { compute_replicas: many }\n' });
    expect(loaded.cluster.openshift.compute_replicas).toBe(1);
  });

  it('may not set name or credentials.sts_name, which must be unique per cluster', () => {
    const shared = 'name: shared\ncredentials:\n  sts_name: shared-k3x9q\n';
    expect(reported({ [CLUSTER]: MINIMAL, [DEFAULTS]: shared })).toEqual([
      `${DEFAULTS}:1:1 name: must be set in each cluster.yaml, not in defaults.yaml (it has to be unique per cluster)`,
      `${DEFAULTS}:3:3 credentials.sts_name: must be set in each cluster.yaml, not in defaults.yaml (it has to be unique per cluster)`,
    ]);
  });

  it('reports the problems of both files together, sorted by file', () => {
    const cluster = MINIMAL.replace('region: us-east-1', 'region: us-east');
    const problems = problemsOf({ [CLUSTER]: cluster, [DEFAULTS]: 'name: shared\n' });
    expect(problems.map((p) => [p.file, p.key])).toEqual([
      [DEFAULTS, 'name'],
      [CLUSTER, 'platform.region'],
    ]);
  });

  it('must be a mapping', () => {
    expect(reported({ [CLUSTER]: MINIMAL, [DEFAULTS]: '- a\n- b\n' })).toEqual([
      `${DEFAULTS}:1:1 (top level): expected a mapping of keys (name, platform, dns, openshift, ...)`,
    ]);
  });

  it('may be empty', () => {
    expect(parse({ [CLUSTER]: MINIMAL, [DEFAULTS]: '# nothing shared yet\n' }).cluster.name).toBe('prod-east');
  });
});

describe('credentials.sts_name', () => {
  it('warns when it is absent in manual-sts mode, suggesting a unique name', () => {
    const loaded = parse({ [CLUSTER]: MINIMAL.replace(/credentials:\n.*\n/, '') });
    expect(loaded.stsName).toBe('prod-east');
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(
      /^clusters\/prod-east\/cluster\.yaml: credentials\.sts_name is not set, so ccoctl uses the cluster name "prod-east"\. .*"prod-east-oidc" may already be taken.* e\.g\. "prod-east-[a-z0-9]{5}"\.$/,
    );
  });

  it('does not warn in the modes without ccoctl', () => {
    for (const mode of ['mint', 'passthrough', 'manual']) {
      const loaded = parse({
        [CLUSTER]: MINIMAL.replace(/credentials:\n.*\n/, `credentials: { cco_mode: ${mode} }\n`),
      });
      expect(loaded.warnings).toEqual([]);
      expect(loaded.cluster.credentials.cco_mode).toBe(mode);
    }
  });

  it('is required when the cluster name is too long to serve as one', () => {
    const name = `c${'-x'.repeat(30)}`;
    const text = MINIMAL.replace('name: prod-east', `name: ${name}`).replace(/credentials:\n.*\n/, '');
    expect(reported({ [`clusters/${name}/cluster.yaml`]: text }, `clusters/${name}`)).toEqual([
      `clusters/${name}/cluster.yaml:1:1 name: is longer than 58 characters, so it cannot serve as credentials.sts_name (the bucket "<sts_name>-oidc" may have 63); set credentials.sts_name`,
    ]);
  });
});

describe('problems', () => {
  it('reports every problem at once, in file order, as file:line:col key: message', () => {
    const text = `name: prod-east
platform: { type: aws, account_id: 123456789012, region: us-east-1 }
dns: { baseDomain: example.com }
openshift:
  version: 4.10
  compute_replicas: three
credentials: { cco_mode: manual-st }
`;
    let error: unknown;
    try {
      parse({ [CLUSTER]: text });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClusterConfigError);
    const { message, problems } = error as ClusterConfigError;
    expect(problems.map((p) => `${p.line}:${p.col} ${p.key}`)).toEqual([
      '2:24 platform.account_id',
      '3:1 dns.base_domain',
      '3:8 dns.baseDomain',
      '5:3 openshift.version',
      '6:3 openshift.compute_replicas',
      '7:16 credentials.cco_mode',
    ]);
    expect(message.split('\n')[0]).toBe(`6 problems in ${CLUSTER}:`);
    expect(message).toContain(
      `\n  ${CLUSTER}:7:16 credentials.cco_mode: expected one of "mint", "passthrough", "manual", "manual-sts", got "manual-st"`,
    );
    expect((error as ClusterConfigError).userFacing).toBe(true);
  });

  it.each([
    ['a typo', 'openshift', 'instance_type_compte', 'instance_type_compute'],
    ['a swap of letters', 'credentials', 'cco_mdoe', 'cco_mode'],
    ['camelCase', 'dns', 'baseDomain', 'base_domain'],
    ['camelCase', 'credentials', 'stsName', 'sts_name'],
    ['kebab-case', 'openshift', 'control-plane-replicas', 'control_plane_replicas'],
    ['a missing letter', 'platform', 'zone', 'zones'],
  ])('suggests the nearest key for %s (%s.%s)', (_, section, key, suggestion) => {
    const problem = problemsOf({ [CLUSTER]: withKey(section, `${key}: x`) }).find((p) => p.key === `${section}.${key}`);
    expect(problem?.message).toBe(`unknown key; did you mean "${suggestion}"?`);
  });

  it('lists the known keys when an unknown key is close to none', () => {
    expect(reported({ [CLUSTER]: `${MINIMAL}colour: blue\n` })).toEqual([
      `${CLUSTER}:8:1 colour: unknown key; expected one of: name, env, platform, dns, openshift, credentials, secrets, gitops, state, tags, machines`,
    ]);
  });

  it.each([
    ['openshift.version', '4.10', 'an OpenShift version as a quoted string like "4.16" or "4.16.3"'],
    ['platform.account_id', '012345678901', 'a 12-digit AWS account id in quotes, like "123456789012"'],
    ['platform.account_id', '123456789012', 'a 12-digit AWS account id in quotes, like "123456789012"'],
    [
      'openshift.max_minor',
      '4.20',
      'the highest minor version upgrades may reach as a quoted string like "4.16" or "4.16.3"',
    ],
    ['credentials.aws_profile', '1234', 'an AWS profile name from ~/.aws/config'],
  ])('shows %s: %s as written and says to quote it', (key, written, expected) => {
    const [section, leaf] = key.split('.') as [string, string];
    const problem = problemsOf({ [CLUSTER]: withKey(section, `${leaf}: ${written}`) }).find((p) => p.key === key);
    expect(problem?.message).toBe(
      `expected ${expected}, got ${written} (a number; if it is meant as text, quote it: "${written}")`,
    );
  });

  it('does not tell to quote a number where a number is expected', () => {
    const problem = problemsOf({ [CLUSTER]: withKey('openshift', 'compute_replicas: -1') })[0]!;
    expect(formatProblem(problem)).toBe(
      `${CLUSTER}:5:3 openshift.compute_replicas: expected a whole number >= 0, got -1`,
    );
    const cp = problemsOf({ [CLUSTER]: withKey('openshift', 'control_plane_replicas: 2') })[0]!;
    expect(cp.message).toBe('expected 3 (or 1 for a single-node cluster), got 2');
  });

  it('names the keys of a section that is missing or not a mapping', () => {
    expect(reported({ [CLUSTER]: MINIMAL.replace('dns: { base_domain: example.com }\n', '') })).toEqual([
      `${CLUSTER}:1:1 dns: missing; expected a mapping of keys (base_domain, hosted_zone_id)`,
    ]);
    expect(reported({ [CLUSTER]: MINIMAL.replace('dns: { base_domain: example.com }', 'dns: example.com') })).toEqual([
      `${CLUSTER}:3:1 dns: expected a mapping of keys (base_domain, hosted_zone_id), got "example.com"`,
    ]);
    expect(reported({ [CLUSTER]: MINIMAL.replace('dns: { base_domain: example.com }', 'dns:') })).toEqual([
      `${CLUSTER}:3:1 dns: expected a mapping of keys (base_domain, hosted_zone_id), got null (an empty value)`,
    ]);
  });

  it('reports a missing key at its section', () => {
    expect(reported({ [CLUSTER]: MINIMAL.replace('  version: "4.16.3"\n', '  compute_replicas: 2\n') })).toEqual([
      `${CLUSTER}:4:1 openshift.version: missing; expected an OpenShift version as a quoted string like "4.16" or "4.16.3"`,
    ]);
  });

  it.each([
    ['platform', "account_id: '12345678901'", 'platform.account_id', 'got "12345678901"'],
    ['credentials', 'create_private_s3_bucket: yes', 'credentials.create_private_s3_bucket', 'expected true or false'],
    ['credentials', 'cco_mode: 3', 'credentials.cco_mode', 'got 3'],
    ['openshift', 'compute_replicas: 2.5', 'openshift.compute_replicas', 'expected a whole number >= 0, got 2.5'],
    ['openshift', "control_plane_replicas: '3'", 'openshift.control_plane_replicas', 'got "3"'],
    ['openshift', 'compute_market: reserved', 'openshift.compute_market', 'expected one of "on-demand", "spot"'],
    ['openshift', 'max_minor: four', 'openshift.max_minor', 'got "four"'],
    ['dns', 'hosted_zone_id: abc', 'dns.hosted_zone_id', 'expected a Route 53 hosted zone id'],
    ['credentials', 'aws_profile: my profile', 'credentials.aws_profile', 'got "my profile"'],
    ['credentials', 'permissions_boundary_arn: arn:aws:iam::123:policy/b', 'credentials.permissions_boundary_arn', ''],
  ])('refuses %s.%s', (section, line, key, says) => {
    const [problem, ...rest] = problemsOf({ [CLUSTER]: withKey(section, line) });
    expect(rest).toEqual([]);
    expect(problem!.key).toBe(key);
    expect(problem!.message).toContain(says);
  });

  it('lists the known keys of a section when an unknown key there is close to none', () => {
    expect(reported({ [CLUSTER]: `${MINIMAL}secrets:\n  ssh_key_file: ~/.ssh/id.pub\n` })).toEqual([
      `${CLUSTER}:9:3 secrets.ssh_key_file: unknown key; expected one of: pull_secret_file, ssh_public_key_file`,
    ]);
  });

  it('requires the name to match the folder', () => {
    expect(reported({ [CLUSTER]: MINIMAL.replace('name: prod-east', 'name: prod-west') })).toEqual([
      `${CLUSTER}:1:1 name: expected "prod-east", the name of the folder (rename the folder or the cluster)`,
    ]);
  });

  it('checks the rules between keys', () => {
    const text = `name: prod-east
platform: { type: aws, account_id: "123456789012", region: us-gov-west-1, zones: [us-gov-west-1a, us-east-1b, us-gov-west-1a] }
dns: { base_domain: example.com }
openshift:
  version: "4.16.3"
  release_image: quay.io/openshift-release-dev/ocp-release:4.17.0-x86_64
credentials:
  sts_name: prod-east-k3x9q
  create_private_s3_bucket: true
  permissions_boundary_arn: arn:aws:iam::123456789012:policy/boundary
`;
    expect(problemsOf({ [CLUSTER]: text }).map((p) => `${p.line}:${p.col} ${p.key}: ${p.message}`)).toEqual([
      '2:99 platform.zones.1: expected a zone of region us-gov-west-1, like "us-gov-west-1a", got "us-east-1b"',
      '2:111 platform.zones.2: expected each zone once, got "us-gov-west-1a"',
      '6:3 openshift.release_image: expected a release of openshift.version 4.16.3 (the tag says 4.17.0); fix or remove one of the two, got "quay.io/openshift-release-dev/ocp-release:4.17.0-x86_64"',
      '9:3 credentials.create_private_s3_bucket: expected false: CloudFront, which the private bucket needs, does not exist in GovCloud, got true',
      '10:3 credentials.permissions_boundary_arn: expected an ARN in partition aws-us-gov (that of region us-gov-west-1), got "arn:aws:iam::123456789012:policy/boundary"',
    ]);
  });
});

describe('a hostile or sloppy cluster.yaml', () => {
  const unknownKeys = (n: number, indent = '') =>
    Array.from({ length: n }, (_, i) => `${indent}unknown_${String(i).padStart(5, '0')}: x\n`).join('');

  it('reports at most a screenful of problems, in file order, then how many more', () => {
    const text = `${MINIMAL}${unknownKeys(5000)}`;
    const { message, problems, more } = configErrorOf({ [CLUSTER]: text });
    expect(problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(more).toBe(5000 - MAX_REPORTED_PROBLEMS);
    expect(problems.map((p) => p.line)).toEqual(Array.from({ length: MAX_REPORTED_PROBLEMS }, (_, i) => 8 + i));
    expect(formatProblem(problems[0]!)).toBe(
      `${CLUSTER}:8:1 unknown_00000: unknown key; expected one of: name, env, platform, dns, openshift, credentials, secrets, gitops, state, tags, machines`,
    );
    const lines = message.split('\n');
    expect(lines[0]).toBe(`5000 problems in ${CLUSTER}:`);
    expect(lines).toHaveLength(1 + MAX_REPORTED_PROBLEMS + 1);
    expect(lines.at(-1)).toBe(`  and ${5000 - MAX_REPORTED_PROBLEMS} more`);
  });

  it('reports the screenful of problems of a section with many unknown keys, with suggestions', () => {
    const text = MINIMAL.replace('openshift:\n', `openshift:\n  compute_replica: 2\n${unknownKeys(300, '  ')}`);
    const { problems, more } = configErrorOf({ [CLUSTER]: text });
    expect(problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(more).toBe(301 - MAX_REPORTED_PROBLEMS);
    expect(formatProblem(problems[0]!)).toBe(
      `${CLUSTER}:5:3 openshift.compute_replica: unknown key; did you mean "compute_replicas"?`,
    );
    expect(problems[1]!.key).toBe('openshift.unknown_00000');
  });

  it('reports every problem when there are no more than a screenful', () => {
    const text = `${MINIMAL}${unknownKeys(MAX_REPORTED_PROBLEMS)}`;
    const { message, problems, more } = configErrorOf({ [CLUSTER]: text });
    expect(problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(more).toBe(0);
    expect(message).not.toContain('more');
  });

  it('refuses a cluster.yaml over the size limit before parsing it', () => {
    const text = `${MINIMAL}# ${'x'.repeat(MAX_CONFIG_FILE_BYTES - MINIMAL.length)}\n`;
    expect(Buffer.byteLength(text)).toBe(MAX_CONFIG_FILE_BYTES + 3);
    expect(reported({ [CLUSTER]: text })).toEqual([
      `${CLUSTER}:1:1 (file): is 1025 KiB (${MAX_CONFIG_FILE_BYTES + 3} bytes), over the limit of 1024 KiB for a cluster configuration (a real one is a few KB); check that it is the right file`,
    ]);
  });

  it('accepts a file of exactly the size limit (and says what is wrong in it)', () => {
    const text = `${MINIMAL}# ${'x'.repeat(MAX_CONFIG_FILE_BYTES - MINIMAL.length - 3)}\n`;
    expect(Buffer.byteLength(text)).toBe(MAX_CONFIG_FILE_BYTES);
    expect(parse({ [CLUSTER]: text }).cluster.name).toBe('prod-east');
  });

  it('refuses more aliases than a cluster.yaml needs, before resolving them', () => {
    const list = Array.from({ length: MAX_ALIASES + 5 }, (_, i) => `  - &a${i} v\n  - *a${i}\n`).join('');
    const [problem, ...rest] = problemsOf({ [CLUSTER]: `${MINIMAL}x:\n${list}` });
    expect(rest).toEqual([]);
    expect(formatProblem(problem!)).toBe(
      `${CLUSTER}:${8 + 2 * MAX_ALIASES + 2}:5 x.${2 * MAX_ALIASES + 1}: is alias number ${MAX_ALIASES + 1} of ${MAX_ALIASES + 5}; at most ${MAX_ALIASES} are allowed (write the values out)`,
    );
  });

  it('locates a duplicate key inside a list by its dotted path', () => {
    const text = `${MINIMAL}gitops:\n  - { a: 1, a: 2 }\n`;
    expect(reported({ [CLUSTER]: text })).toEqual([
      `${CLUSTER}:9:13 gitops.0.a: appears twice in the same mapping; keep one`,
    ]);
  });

  it('refuses an empty list of zones at its line, saying how to fix it', () => {
    const text = MINIMAL.replace('region: us-east-1 }', 'region: us-east-1 }\n').replace(
      'platform: { type: aws, account_id: "123456789012", region: us-east-1 }\n',
      'platform:\n  type: aws\n  account_id: "123456789012"\n  region: us-east-1\n  zones: []\n',
    );
    expect(reported({ [CLUSTER]: text })).toEqual([
      `${CLUSTER}:6:3 platform.zones: expected at least one availability zone, like [us-east-1a] (or remove platform.zones to let the installer pick), got an empty list`,
    ]);
  });
});

describe('single-node', () => {
  const singleNode = (line = '') =>
    MINIMAL.replace('  version: "4.16.3"\n', `  version: "4.16.3"\n  control_plane_replicas: 1\n${line}`);

  it('defaults the control plane to an 8-vCPU, 32-GiB type', () => {
    expect(parse({ [CLUSTER]: singleNode() }).cluster.openshift.instance_type_control_plane).toBe('m6i.2xlarge');
    expect(parse({ [CLUSTER]: MINIMAL }).cluster.openshift.instance_type_control_plane).toBe('m6i.xlarge');
  });

  it.each([
    ['m6i.xlarge', '4 vCPU and 16 GiB', 'm6i.2xlarge'],
    ['m5.large', '2 vCPU and 8 GiB', 'm5.2xlarge'],
    ['c5.2xlarge', '8 vCPU and 16 GiB', 'c5.4xlarge'],
    ['r6i.xlarge', '4 vCPU and 32 GiB', 'r6i.2xlarge'],
  ])('refuses an explicit %s (%s) at its line, suggesting %s', (type, has, suggested) => {
    expect(reported({ [CLUSTER]: singleNode(`  instance_type_control_plane: ${type}\n`) })).toEqual([
      `${CLUSTER}:7:3 openshift.instance_type_control_plane: expected at least 8 vCPU and 32 GiB for a single-node control plane (control_plane_replicas: 1; this type has ${has}): use "${suggested}", got "${type}"`,
    ]);
  });

  it.each(['m6i.2xlarge', 'm7a.4xlarge', 'r5.2xlarge', 'c6i.4xlarge', 'x2idn.16xlarge', 'm6i.8xlarge'])(
    'accepts %s (big enough, or not in the table)',
    (type) => {
      const loaded = parse({ [CLUSTER]: singleNode(`  instance_type_control_plane: ${type}\n`) });
      expect(loaded.cluster.openshift.instance_type_control_plane).toBe(type);
    },
  );

  it('does not judge the control plane of three machines', () => {
    const text = MINIMAL.replace('openshift:\n', 'openshift:\n  instance_type_control_plane: m5.large\n');
    expect(parse({ [CLUSTER]: text }).cluster.openshift.instance_type_control_plane).toBe('m5.large');
  });

  it('refuses a small type from defaults.yaml for a single-node cluster, located in defaults.yaml', () => {
    expect(
      reported({
        [CLUSTER]: singleNode(),
        [DEFAULTS]: 'openshift:\n  instance_type_control_plane: m6a.xlarge\n',
      }),
    ).toEqual([
      `${DEFAULTS}:2:3 openshift.instance_type_control_plane: expected at least 8 vCPU and 32 GiB for a single-node control plane (control_plane_replicas: 1; this type has 4 vCPU and 16 GiB): use "m6a.2xlarge", got "m6a.xlarge"`,
    ]);
  });
});

describe('YAML problems', () => {
  it('locates a syntax error', () => {
    const text = MINIMAL.replace('dns: { base_domain: example.com }', 'dns: { base_domain: example.com');
    const [problem, ...rest] = problemsOf({ [CLUSTER]: text });
    expect(problem).toMatchObject({ file: CLUSTER, line: 4, key: 'yaml' });
    expect(problem!.message).toMatch(/\(fix the YAML syntax here\)$/);
    expect(rest.every((p) => p.key === 'yaml')).toBe(true);
  });

  it('locates a duplicate key by its dotted path', () => {
    const text = MINIMAL.replace('  version: "4.16.3"\n', '  version: "4.16.3"\n  version: "4.17.1"\n');
    expect(reported({ [CLUSTER]: text })).toEqual([
      `${CLUSTER}:6:3 openshift.version: appears twice in the same mapping; keep one`,
    ]);
  });

  it('locates a tab used for indentation', () => {
    const [first] = problemsOf({ [CLUSTER]: MINIMAL.replace('  version', '\tversion') });
    expect(formatProblem(first!)).toBe(
      `${CLUSTER}:5:1 yaml: Tabs are not allowed as indentation (fix the YAML syntax here)`,
    );
  });

  it('locates an alias without its anchor instead of crashing', () => {
    const text = MINIMAL.replace('base_domain: example.com', 'base_domain: *domain');
    expect(reported({ [CLUSTER]: text })).toEqual([
      `${CLUSTER}:3:21 dns.base_domain: alias *domain has no anchor &domain before it (fix the YAML syntax here)`,
    ]);
  });

  it('accepts anchors and aliases', () => {
    const text = `${MINIMAL}secrets: { pull_secret_file: &ps secrets/p.json, ssh_public_key_file: *ps }\n`;
    expect(parse({ [CLUSTER]: text }).cluster.secrets).toEqual({
      pull_secret_file: 'secrets/p.json',
      ssh_public_key_file: 'secrets/p.json',
    });
  });

  it('refuses a second document', () => {
    expect(reported({ [CLUSTER]: `${MINIMAL}---\nname: other\n` })).toEqual([
      `${CLUSTER}:8:1 yaml: a second YAML document starts here (---); the file must hold one`,
    ]);
  });

  it('refuses a file that is not a mapping', () => {
    expect(reported({ [CLUSTER]: '- name: prod-east\n' })).toEqual([
      `${CLUSTER}:1:1 (top level): expected a mapping of keys (name, platform, dns, openshift, ...)`,
    ]);
    expect(reported({ [CLUSTER]: 'prod-east\n' })).toEqual([
      `${CLUSTER}:1:1 (top level): expected a mapping of keys (name, platform, dns, openshift, ...)`,
    ]);
  });

  it('reports the missing keys of an empty file', () => {
    expect(problemsOf({ [CLUSTER]: '' }).map((p) => `${p.line}:${p.col} ${p.key}`)).toEqual([
      '1:1 name',
      '1:1 platform',
      '1:1 dns',
      '1:1 openshift',
    ]);
  });
});

/** MINIMAL with `line` added to `section` (a block mapping in MINIMAL, or appended as a new one). */
function withKey(section: string, line: string): string {
  const blocks: Record<string, string> = {
    platform: MINIMAL.replace(
      'platform: { type: aws, account_id: "123456789012", region: us-east-1 }',
      `platform:\n  type: aws\n  region: us-east-1\n  account_id: "123456789012"\n  ${line}`,
    ),
    dns: MINIMAL.replace('dns: { base_domain: example.com }', `dns:\n  base_domain: example.com\n  ${line}`),
    openshift: MINIMAL.replace('openshift:\n', `openshift:\n  ${line}\n`),
    credentials: `${MINIMAL}  ${line}\n`,
  };
  const text = blocks[section];
  if (text === undefined) throw new Error(`no block for ${section}`);
  // A key that is already there (e.g. version) is replaced rather than duplicated.
  const key = line.split(':')[0]!;
  const lines = text.split('\n');
  const original = lines.findIndex((l) => l.trim().startsWith(`${key}:`) && l.trim() !== line);
  if (original >= 0) lines.splice(original, 1);
  return lines.join('\n');
}

describe('state', () => {
  const s3 = `state:
  backend: s3
  bucket: acme-ocp-state
  region: us-east-1
  prefix: clusters
  kms_key_id: alias/ocp-state
  profile: state-admin
`;

  it('is local when absent', () => {
    expect(parse({ [CLUSTER]: MINIMAL }).cluster.state).toEqual({ backend: 'local' });
  });

  it('takes every key of the s3 backend from defaults.yaml, and the cluster wins key by key', () => {
    const cluster = `${MINIMAL}state: { prefix: team-a }\n`;
    expect(parse({ [CLUSTER]: cluster, [DEFAULTS]: s3 }).cluster.state).toEqual({
      backend: 's3',
      bucket: 'acme-ocp-state',
      region: 'us-east-1',
      prefix: 'team-a',
      kms_key_id: 'alias/ocp-state',
      profile: 'state-admin',
    });
  });

  it('needs a bucket and a region with the s3 backend, located at the state block', () => {
    expect(reported({ [CLUSTER]: `${MINIMAL}state:\n  backend: s3\n` })).toEqual([
      `${CLUSTER}:8:1 state.bucket: missing; expected the state bucket's name (state.backend is s3)`,
      `${CLUSTER}:8:1 state.region: missing; expected the state bucket's region (state.backend is s3)`,
    ]);
  });

  it('names the nearest backend for an unknown one', () => {
    expect(reported({ [CLUSTER]: `${MINIMAL}state:\n  backend: S4\n` })).toEqual([
      `${CLUSTER}:9:3 state.backend: expected "local" or "s3" (did you mean "s3"?), got "S4"`,
    ]);
    expect(reported({ [CLUSTER]: `${MINIMAL}state:\n  backend: consul\n` })).toEqual([
      `${CLUSTER}:9:3 state.backend: expected "local" or "s3", got "consul"`,
    ]);
  });

  it('refuses the keys of the s3 backend with the local one, in the file that sets them', () => {
    const cluster = `${MINIMAL}state:\n  backend: local\n`;
    expect(reported({ [CLUSTER]: cluster, [DEFAULTS]: 'state:\n  bucket: acme-ocp-state\n' })).toEqual([
      `${DEFAULTS}:2:3 state.bucket: is read only by state.backend s3; remove it, or set state.backend: s3, got "acme-ocp-state"`,
    ]);
  });

  it('checks the form of each key, and knows no others', () => {
    const cluster = `${MINIMAL}state: { backend: s3, bucket: Acme_State, region: us-east, prefix: /x/, kms_key_id: ocp, profil: a }\n`;
    expect(reported({ [CLUSTER]: cluster }).map((line) => line.replace(/^\S+ /, ''))).toEqual([
      'state.bucket: expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, got "Acme_State"',
      'state.region: expected an AWS region like "us-east-1", got "us-east"',
      'state.prefix: expected an object key prefix like "clusters" or "team/clusters" (no leading or trailing /), got "/x/"',
      'state.kms_key_id: expected a KMS key id, key ARN, alias ("alias/ocp-state") or alias ARN, got "ocp"',
      'state.profil: unknown key; did you mean "profile"?',
    ]);
  });
});
