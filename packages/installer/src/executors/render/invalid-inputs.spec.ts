/*
 * The acceptance test of the cluster.yaml model. Each row of CASES is one mistake a person makes in a cluster.yaml;
 * all of them run through real `nx run-many -t render` in ONE temporary workspace (clusters/bad-NN, the row's
 * number), next to a valid cluster. The run must fail, the valid cluster must render all the same, and each broken
 * cluster must say `clusters/bad-NN/cluster.yaml:<line>:<col> <key>: <message>`, print no stack trace and leave no
 * output behind. Mistakes in clusters/defaults.yaml affect every cluster, so they get a workspace of their own.
 *
 * With --output-style=stream, Nx prefixes every line a task prints with `<project>: `; that is how the output is
 * attributed to each case.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterConfigError, parseClusterConfig } from '@ocp-sts/cluster-config';
import { createTempWorkspace, sampleClusterYaml, type TempWorkspace } from '../../../../../tools/testing/workspace.ts';

/** A valid cluster.yaml, one key per line, so that each row can name the line of its mistake. */
function base(name: string): string[] {
  return [
    `name: ${name}`, // 1
    'env: dev', // 2
    'platform:', // 3
    '  type: aws', // 4
    "  account_id: '123456789012'", // 5
    '  region: us-east-1', // 6
    '  zones: [us-east-1a, us-east-1b, us-east-1c]', // 7
    'dns:', // 8
    '  base_domain: example.com', // 9
    'openshift:', // 10
    "  version: '4.16.3'", // 11
    '  control_plane_replicas: 3', // 12
    '  compute_replicas: 3', // 13
    '  instance_type_control_plane: m6i.xlarge', // 14
    '  instance_type_compute: m6i.xlarge', // 15
    'credentials:', // 16
    '  cco_mode: manual-sts', // 17
    `  sts_name: ${name}-k3x9q`, // 18
    '  create_private_s3_bucket: false', // 19
    '  permissions_boundary_arn: null', // 20
  ];
}
const BASE_LINES = 20;

/**
 * base() with line n (numbered as in base) replaced by edit[n]: a string, several lines (the ones after shift
 * down), or null to delete it. Numbers past the end append.
 */
function edited(name: string, edit: Record<number, string | string[] | null>): string {
  const lines = base(name).flatMap((line, i) => {
    const change = edit[i + 1];
    return change === undefined ? [line] : change === null ? [] : [change].flat();
  });
  const appended = Object.entries(edit)
    .filter(([n]) => Number(n) > BASE_LINES)
    .flatMap(([, change]) => (change === null ? [] : [change].flat()));
  return [...lines, ...appended].join('\n') + '\n';
}

interface Case {
  mistake: string;
  yaml: (name: string) => string;
  /** Where the problem is reported, and the dotted key it names. */
  at: { line: number; col: number; key: string };
  /** A part of the message on that line. */
  says: string;
}

const CASES: Case[] = [
  {
    mistake: 'account id unquoted, with a leading zero',
    yaml: (n) => edited(n, { 5: '  account_id: 012345678901' }),
    at: { line: 5, col: 3, key: 'platform.account_id' },
    says: 'got 012345678901 (a number; if it is meant as text, quote it: "012345678901")',
  },
  {
    mistake: 'version 4.10 unquoted (YAML reads 4.1)',
    yaml: (n) => edited(n, { 11: '  version: 4.10' }),
    at: { line: 11, col: 3, key: 'openshift.version' },
    says: 'got 4.10 (a number; if it is meant as text, quote it: "4.10")',
  },
  {
    mistake: 'region without its number',
    yaml: (n) => edited(n, { 6: '  region: us-east' }),
    at: { line: 6, col: 3, key: 'platform.region' },
    says: 'expected an AWS region like "us-east-1", got "us-east"',
  },
  {
    mistake: 'zone of another region',
    yaml: (n) => edited(n, { 7: '  zones: [us-east-1a, us-west-2a, us-east-1c]' }),
    at: { line: 7, col: 23, key: 'platform.zones.1' },
    says: 'expected a zone of region us-east-1, like "us-east-1a", got "us-west-2a"',
  },
  {
    mistake: 'the same zone twice',
    yaml: (n) => edited(n, { 7: '  zones: [us-east-1a, us-east-1b, us-east-1a]' }),
    at: { line: 7, col: 35, key: 'platform.zones.2' },
    says: 'expected each zone once',
  },
  {
    mistake: 'base domain without a top-level domain',
    yaml: (n) => edited(n, { 9: '  base_domain: example' }),
    at: { line: 9, col: 3, key: 'dns.base_domain' },
    says: 'expected a DNS domain like "example.com", got "example"',
  },
  {
    mistake: 'unknown top-level key',
    yaml: (n) => edited(n, { 21: 'labels: [blue]' }),
    at: { line: 21, col: 1, key: 'labels' },
    says: 'unknown key; expected one of: name, env, platform, dns, openshift, credentials, secrets, gitops',
  },
  {
    mistake: 'typo in a nested key',
    yaml: (n) => edited(n, { 15: '  instance_type_compte: m6i.xlarge' }),
    at: { line: 15, col: 3, key: 'openshift.instance_type_compte' },
    says: 'unknown key; did you mean "instance_type_compute"?',
  },
  {
    mistake: 'camelCase key',
    yaml: (n) => edited(n, { 9: '  baseDomain: example.com' }),
    at: { line: 9, col: 3, key: 'dns.baseDomain' },
    says: 'unknown key; did you mean "base_domain"?',
  },
  {
    mistake: 'cco_mode typo',
    yaml: (n) => edited(n, { 17: '  cco_mode: manual-st' }),
    at: { line: 17, col: 3, key: 'credentials.cco_mode' },
    says: 'expected one of "mint", "passthrough", "manual", "manual-sts", got "manual-st"',
  },
  {
    mistake: 'compute replicas in words',
    yaml: (n) => edited(n, { 13: '  compute_replicas: three' }),
    at: { line: 13, col: 3, key: 'openshift.compute_replicas' },
    says: 'expected a whole number >= 0, got "three"',
  },
  {
    mistake: 'negative compute replicas',
    yaml: (n) => edited(n, { 13: '  compute_replicas: -1' }),
    at: { line: 13, col: 3, key: 'openshift.compute_replicas' },
    says: 'expected a whole number >= 0, got -1',
  },
  {
    mistake: 'two control plane machines',
    yaml: (n) => edited(n, { 12: '  control_plane_replicas: 2' }),
    at: { line: 12, col: 3, key: 'openshift.control_plane_replicas' },
    says: 'expected 3 (or 1 for a single-node cluster), got 2',
  },
  {
    mistake: 'instance type without its family',
    yaml: (n) => edited(n, { 14: '  instance_type_control_plane: xlarge' }),
    at: { line: 14, col: 3, key: 'openshift.instance_type_control_plane' },
    says: 'expected an EC2 instance type like "m6i.xlarge", got "xlarge"',
  },
  {
    mistake: 'sts_name with capitals',
    yaml: (n) => edited(n, { 18: '  sts_name: Prod-East' }),
    at: { line: 18, col: 3, key: 'credentials.sts_name' },
    says: 'expected a name of lowercase letters, digits and hyphens, at most 58 characters',
  },
  {
    mistake: 'sts_name of 59 characters',
    yaml: (n) => edited(n, { 18: `  sts_name: ${'a'.repeat(59)}` }),
    at: { line: 18, col: 3, key: 'credentials.sts_name' },
    says: `at most 58 characters, starting and ending with a letter or digit, got "${'a'.repeat(59)}"`,
  },
  {
    mistake: 'sts_name with a dot',
    yaml: (n) => edited(n, { 18: '  sts_name: prod.east' }),
    at: { line: 18, col: 3, key: 'credentials.sts_name' },
    says: 'got "prod.east"',
  },
  {
    mistake: 'sts_name with a leading hyphen',
    yaml: (n) => edited(n, { 18: '  sts_name: -prod' }),
    at: { line: 18, col: 3, key: 'credentials.sts_name' },
    says: 'got "-prod"',
  },
  {
    mistake: 'permissions boundary that is not an ARN',
    yaml: (n) => edited(n, { 20: '  permissions_boundary_arn: ocp-boundary' }),
    at: { line: 20, col: 3, key: 'credentials.permissions_boundary_arn' },
    says: 'expected an IAM policy ARN like "arn:aws:iam::123456789012:policy/boundary", or null, got "ocp-boundary"',
  },
  {
    mistake: 'permissions boundary of another partition',
    yaml: (n) => edited(n, { 20: '  permissions_boundary_arn: arn:aws-us-gov:iam::123456789012:policy/b' }),
    at: { line: 20, col: 3, key: 'credentials.permissions_boundary_arn' },
    says: 'expected an ARN in partition aws (that of region us-east-1)',
  },
  {
    mistake: 'region of a partition ccoctl does not know (ISO)',
    yaml: (n) => edited(n, { 6: '  region: us-iso-east-1', 7: '  zones: [us-iso-east-1a]' }),
    at: { line: 6, col: 3, key: 'platform.region' },
    says: 'expected a region ccoctl can serve: us-iso-east-1 is in the AWS partition aws-iso, which ccoctl does not know',
  },
  {
    mistake: 'capabilities that disable the Cloud Credential Operator',
    yaml: (n) => edited(n, { 15: ['  instance_type_compute: m6i.xlarge', '  capabilities: { baseline: None }'] }),
    at: { line: 16, col: 3, key: 'openshift.capabilities.additional' },
    says: 'missing; expected CloudCredential among the capabilities enabled on AWS (the Cloud Credential Operator, which manual STS needs',
  },
  {
    mistake: 'a capability that does not exist',
    yaml: (n) =>
      edited(n, { 15: ['  instance_type_compute: m6i.xlarge', '  capabilities: { additional: [MachineApi] }'] }),
    at: { line: 16, col: 32, key: 'openshift.capabilities.additional.0' },
    says: 'expected a capability: baremetal, marketplace',
  },
  {
    mistake: 'provisioned IOPS on a volume type that takes none',
    yaml: (n) => edited(n, { 21: ['machines:', '  root_volume: { type: gp2, iops: 3000 }'] }),
    at: { line: 22, col: 29, key: 'machines.root_volume.iops' },
    says: 'expected no iops for type gp2 (only gp3, io1, io2 take provisioned IOPS)',
  },
  {
    mistake: 'a KMS key of another region',
    yaml: (n) =>
      edited(n, {
        21: ['machines:', "  root_volume: { kms_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/abc-123' }"],
      }),
    at: { line: 22, col: 18, key: 'machines.root_volume.kms_key_arn' },
    says: 'expected a key of region us-east-1 in partition aws',
  },
  {
    mistake: 'metadata service spelled in lowercase',
    yaml: (n) => edited(n, { 21: ['machines:', '  metadata_service: required'] }),
    at: { line: 22, col: 3, key: 'machines.metadata_service' },
    says: 'expected "Required" (IMDSv2 only) or "Optional"',
  },
  {
    mistake: 'user tag named Name',
    yaml: (n) => edited(n, { 21: 'tags:', 22: '  Name: web' }),
    at: { line: 22, col: 3, key: 'tags.Name' },
    says: 'the installer sets "Name" itself: use another key',
  },
  {
    mistake: 'user tag in the openshift.io namespace',
    yaml: (n) => edited(n, { 21: 'tags:', 22: '  openshift.io/team: web' }),
    at: { line: 22, col: 3, key: 'tags.openshift.io/team' },
    says: "expected a key outside the openshift.io namespace (the cluster's own)",
  },
  {
    mistake: 'user tag value with a comma (the installer takes it, IAM does not)',
    yaml: (n) => edited(n, { 21: 'tags:', 22: "  teams: 'web,db'" }),
    at: { line: 22, col: 3, key: 'tags.teams' },
    says: 'expected a value of letters A-Z a-z, digits, spaces and _ . : / = + - @ (what the installer and IAM both take)',
  },
  {
    mistake: 'user tag value left a number',
    yaml: (n) => edited(n, { 21: 'tags:', 22: '  cost-center: 4711' }),
    at: { line: 22, col: 3, key: 'tags.cost-center' },
    says: 'expected a tag value as a string (quote numbers: "4711")',
  },
  {
    mistake: 'more user tags than the installer takes',
    yaml: (n) => edited(n, { 21: ['tags:', ...Array.from({ length: 26 }, (_, i) => `  k${i}: v`)] }),
    at: { line: 21, col: 1, key: 'tags' },
    says: "expected at most 25 tags (the installer's limit), got 26",
  },
  {
    mistake: 'private bucket in a GovCloud region',
    yaml: (n) =>
      edited(n, {
        6: '  region: us-gov-west-1',
        7: '  zones: [us-gov-west-1a]',
        19: '  create_private_s3_bucket: true',
      }),
    at: { line: 19, col: 3, key: 'credentials.create_private_s3_bucket' },
    says: 'expected false: CloudFront, which the private bucket needs, does not exist in GovCloud, got true',
  },
  {
    mistake: 'release image that is no image reference',
    yaml: (n) => edited(n, { 11: ["  version: '4.16.3'", '  release_image: latest'] }),
    at: { line: 12, col: 3, key: 'openshift.release_image' },
    says: 'expected a release image by tag or digest',
  },
  {
    mistake: 'release image tag contradicting the version',
    yaml: (n) =>
      edited(n, {
        11: ["  version: '4.16'", '  release_image: quay.io/openshift-release-dev/ocp-release:4.15.2-x86_64'],
      }),
    at: { line: 12, col: 3, key: 'openshift.release_image' },
    says: 'expected a release of openshift.version 4.16 (the tag says 4.15.2); fix or remove one of the two',
  },
  {
    mistake: 'name that is not the folder name',
    yaml: (n) => edited(n, { 1: 'name: prod-east' }),
    at: { line: 1, col: 1, key: 'name' },
    says: 'the name of the folder (rename the folder or the cluster)',
  },
  {
    mistake: 'name that is not a DNS label',
    yaml: (n) => edited(n, { 1: 'name: Prod_East' }),
    at: { line: 1, col: 1, key: 'name' },
    says: 'expected a DNS label: lowercase letters, digits and hyphens, at most 63 characters',
  },
  {
    mistake: 'required section missing',
    yaml: (n) => edited(n, { 8: null, 9: null }),
    at: { line: 1, col: 1, key: 'dns' },
    says: 'missing; expected a mapping of keys (base_domain, hosted_zone_id)',
  },
  {
    mistake: 'empty file',
    yaml: () => '',
    at: { line: 1, col: 1, key: 'name' },
    says: 'missing; expected a DNS label',
  },
  {
    mistake: 'a list at the top level',
    yaml: (n) => `- name: ${n}\n- platform: aws\n`,
    at: { line: 1, col: 1, key: '(top level)' },
    says: 'expected a mapping of keys (name, platform, dns, openshift, ...)',
  },
  {
    mistake: 'YAML syntax error: unclosed flow sequence',
    yaml: (n) => edited(n, { 7: '  zones: [us-east-1a, us-east-1b' }),
    at: { line: 8, col: 1, key: 'yaml' },
    says: '(fix the YAML syntax here)',
  },
  {
    mistake: 'duplicate key',
    yaml: (n) => edited(n, { 7: ['  zones: [us-east-1a]', '  region: us-east-2'] }),
    at: { line: 8, col: 3, key: 'platform.region' },
    says: 'appears twice in the same mapping; keep one',
  },
  {
    mistake: 'tab used for indentation',
    yaml: (n) => edited(n, { 4: '\ttype: aws' }),
    at: { line: 4, col: 1, key: 'yaml' },
    says: 'Tabs are not allowed as indentation (fix the YAML syntax here)',
  },
  {
    mistake: 'gitops repository URL without a scheme',
    yaml: (n) => edited(n, { 21: ['gitops:', '  repo_url: github.com/org/fleet', '  repo_ref: main', '  env: prod'] }),
    at: { line: 22, col: 3, key: 'gitops.repo_url' },
    says: 'expected a git URL like "https://github.com/org/repo.git" or "git@github.com:org/repo.git"',
  },
  {
    mistake: 'platform gcp',
    yaml: (n) => edited(n, { 4: '  type: gcp' }),
    at: { line: 4, col: 3, key: 'platform.type' },
    says: 'expected "aws" (the only platform this tool installs), got "gcp"',
  },
  {
    mistake: 'an empty list of zones',
    yaml: (n) => edited(n, { 7: '  zones: []' }),
    at: { line: 7, col: 3, key: 'platform.zones' },
    says: 'expected at least one availability zone, like [us-east-1a] (or remove platform.zones to let the installer pick), got an empty list',
  },
  {
    mistake: 'single-node on a control plane type of 4 vCPU',
    yaml: (n) => edited(n, { 12: '  control_plane_replicas: 1' }),
    at: { line: 14, col: 3, key: 'openshift.instance_type_control_plane' },
    says: 'expected at least 8 vCPU and 32 GiB for a single-node control plane (control_plane_replicas: 1; this type has 4 vCPU and 16 GiB): use "m6i.2xlarge", got "m6i.xlarge"',
  },
  {
    mistake: 'zones as a single string',
    yaml: (n) => edited(n, { 7: '  zones: us-east-1a' }),
    at: { line: 7, col: 3, key: 'platform.zones' },
    says: 'expected a list of availability zones, like [us-east-1a, us-east-1b], got "us-east-1a"',
  },
  {
    mistake: 'section written as a scalar',
    yaml: (n) => edited(n, { 10: "openshift: '4.16.3'", 11: null, 12: null, 13: null, 14: null, 15: null }),
    at: { line: 10, col: 1, key: 'openshift' },
    says: 'expected a mapping of keys (version, release_image, max_minor,',
  },
  {
    mistake: 'alias without an anchor',
    yaml: (n) => edited(n, { 9: '  base_domain: *domain' }),
    at: { line: 9, col: 16, key: 'dns.base_domain' },
    says: 'alias *domain has no anchor &domain before it',
  },
  {
    mistake: 'state in S3 without a bucket',
    yaml: (n) => edited(n, { 21: ['state:', '  backend: s3', '  region: us-east-1'] }),
    at: { line: 21, col: 1, key: 'state.bucket' },
    says: "missing; expected the state bucket's name (state.backend is s3)",
  },
  {
    mistake: 'unknown state backend',
    yaml: (n) => edited(n, { 21: ['state:', '  backend: s4'] }),
    at: { line: 22, col: 3, key: 'state.backend' },
    says: 'expected "local" or "s3" (did you mean "s3"?), got "s4"',
  },
  {
    mistake: 'a second YAML document',
    yaml: (n) => edited(n, { 21: ['---', `name: ${n}`] }),
    at: { line: 21, col: 1, key: 'yaml' },
    says: 'a second YAML document starts here (---); the file must hold one',
  },
];

const id = (i: number) => `bad-${String(i + 1).padStart(2, '0')}`;
const ROWS = CASES.map((c, i) => ({ ...c, id: id(i) }));

/** Mistakes in clusters/defaults.yaml: they reach every cluster, so they run in a workspace of their own. */
const DEFAULTS_YAML = `# Shared by every cluster of the fleet.
name: shared
openshift:
  compute_replicas: three
credentials:
  sts_name: shared-k3x9q
  cco_mode: manual-sts
`;
const DEFAULTS_ROWS = [
  {
    mistake: 'defaults.yaml sets name',
    at: { line: 2, col: 1, key: 'name' },
    says: 'must be set in each cluster.yaml, not in defaults.yaml (it has to be unique per cluster)',
  },
  {
    mistake: 'defaults.yaml holds a bad value',
    at: { line: 4, col: 3, key: 'openshift.compute_replicas' },
    says: 'expected a whole number >= 0, got "three"',
  },
  {
    mistake: 'defaults.yaml sets credentials.sts_name',
    at: { line: 6, col: 3, key: 'credentials.sts_name' },
    says: 'must be set in each cluster.yaml, not in defaults.yaml (it has to be unique per cluster)',
  },
];
/** Takes every default; and one that overrides the bad value (so only name and sts_name remain wrong for it). */
const DEFAULTS_CLUSTER = 'bad-defaults';
const OVERRIDING_CLUSTER = 'bad-override';

interface Run {
  ws: TempWorkspace;
  /** Exit status of nx (undefined: it succeeded). */
  status: number | undefined;
  output: string;
}

/** `nx run-many -t render` over every cluster, one at a time, not stopping at the first failure. */
function renderAll(ws: TempWorkspace): Run {
  try {
    const output = ws.nx('run-many', '-t', 'render', '--nxBail=false', '--output-style=stream', '--parallel=1');
    return { ws, status: undefined, output };
  } catch (error) {
    const { status, output } = error as { status?: number; output?: string };
    if (output === undefined) throw error;
    return { ws, status, output };
  }
}

/** The lines a project's task printed (Nx prefixes them with `<project>: `), without the prefix. */
function outputOf(run: Run, project: string): string[] {
  const prefix = `${project}: `;
  return run.output
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

/** The tasks Nx lists under "Failed tasks:". */
function failedTasks(run: Run): string[] {
  const [, list = ''] = run.output.split(/^Failed tasks:$/m);
  return [...list.matchAll(/^- (\S+)$/gm)].map((m) => m[1]!).sort();
}

/** Lines that look like a stack trace or an error's header, with Nx's project prefix removed. */
function stackLines(run: Run): string[] {
  return run.output
    .split('\n')
    .map((line) => line.replace(/^[\w.-]+: /, ''))
    .filter((line) => /^\s+at .+:\d+:\d+\)?$/.test(line) || /\b\w*Error\b:/.test(line));
}

/** The render* entries of a cluster's .work folder: the output, or a partial sibling of it. */
function renderLeftovers(run: Run, project: string): string[] {
  const work = join(run.ws.root, 'clusters', project, '.work');
  return existsSync(work) ? readdirSync(work).filter((entry) => entry.startsWith('render')) : [];
}

const workspaces: TempWorkspace[] = [];
let main: Run;
let defaults: Run;

/** A temporary workspace with these files, removed after the tests. */
function workspace(files: Record<string, string>): TempWorkspace {
  const ws = createTempWorkspace({ files });
  workspaces.push(ws);
  return ws;
}

// About 1 s per cluster (Nx starts a process for each task): some 45 s on an idle 2-core machine. The timeout
// leaves room for a machine that is busy with other work.
beforeAll(() => {
  const files: Record<string, string> = { 'clusters/good/cluster.yaml': sampleClusterYaml('good') };
  for (const row of ROWS) files[`clusters/${row.id}/cluster.yaml`] = row.yaml(row.id);
  main = renderAll(workspace(files));

  defaults = renderAll(
    workspace({
      'clusters/defaults.yaml': DEFAULTS_YAML,
      [`clusters/${DEFAULTS_CLUSTER}/cluster.yaml`]: sampleClusterYaml(DEFAULTS_CLUSTER),
      [`clusters/${OVERRIDING_CLUSTER}/cluster.yaml`]: sampleClusterYaml(OVERRIDING_CLUSTER, { compute_replicas: 2 }),
    }),
  );
}, 300_000);

afterAll(() => {
  for (const ws of workspaces) ws.remove();
});

describe('the table of invalid inputs', () => {
  it('has at least 30 distinct mistakes', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.mistake)).size).toBe(CASES.length);
    expect(new Set(ROWS.map((r) => r.yaml('bad-00'))).size).toBe(CASES.length);
  });

  it('starts from a valid cluster.yaml, so that each row holds exactly its own mistake', () => {
    const text = edited('bad-00', {});
    const loaded = parseClusterConfig({
      workspaceRoot: '/ws',
      projectRoot: 'clusters/bad-00',
      read: (file) => (file === 'clusters/bad-00/cluster.yaml' ? text : undefined),
    });
    expect(loaded.warnings).toEqual([]);
  });

  it.each(ROWS)('$id ($mistake) is refused on its own, in-process too', (row) => {
    const text = row.yaml(row.id);
    const parse = () =>
      parseClusterConfig({
        workspaceRoot: '/ws',
        projectRoot: `clusters/${row.id}`,
        read: (file) => (file === `clusters/${row.id}/cluster.yaml` ? text : undefined),
      });
    expect(parse).toThrow(ClusterConfigError);
  });
});

describe('nx run-many -t render over a fleet with broken clusters', () => {
  it('fails the run, and exactly the broken clusters', () => {
    expect(main.status).toBeGreaterThan(0);
    expect(failedTasks(main)).toEqual(ROWS.map((r) => `${r.id}:render`).sort());
  });

  it('renders the valid cluster all the same', () => {
    expect(outputOf(main, 'good')).toContain(
      'rendered clusters/good/.work/render/install-config.yaml (us-east-1, cco_mode manual-sts, 3 control plane + 3 compute)',
    );
    expect(existsSync(join(main.ws.root, 'clusters', 'good', '.work', 'render', 'install-config.yaml'))).toBe(true);
    expect(renderLeftovers(main, 'good')).toEqual(['render']);
  });

  it('prints no stack trace', () => {
    expect(stackLines(main)).toEqual([]);
  });

  it.each(ROWS)('$id ($mistake): line $at.line, $at.key', (row) => {
    const lines = outputOf(main, row.id);
    const where = `clusters/${row.id}/cluster.yaml:${row.at.line}:${row.at.col} ${row.at.key}: `;
    expect(lines.join('\n')).toMatch(
      new RegExp(`^render failed: \\d+ problems? in clusters/${row.id}/cluster\\.yaml:$`, 'm'),
    );
    const reported = lines.find((line) => line.trim().startsWith(where));
    expect({ reported, all: lines }).toEqual({ reported: expect.stringContaining(row.says), all: lines });
    expect(renderLeftovers(main, row.id)).toEqual([]);
  });
});

describe('nx run-many -t render with a broken clusters/defaults.yaml', () => {
  it('fails every cluster', () => {
    expect(defaults.status).toBeGreaterThan(0);
    expect(failedTasks(defaults)).toEqual([`${DEFAULTS_CLUSTER}:render`, `${OVERRIDING_CLUSTER}:render`]);
    expect(stackLines(defaults)).toEqual([]);
    expect(renderLeftovers(defaults, DEFAULTS_CLUSTER)).toEqual([]);
    expect(renderLeftovers(defaults, OVERRIDING_CLUSTER)).toEqual([]);
  });

  it.each(DEFAULTS_ROWS)('$mistake: located in clusters/defaults.yaml at line $at.line, $at.key', (row) => {
    const lines = outputOf(defaults, DEFAULTS_CLUSTER);
    const where = `clusters/defaults.yaml:${row.at.line}:${row.at.col} ${row.at.key}: `;
    const reported = lines.find((line) => line.trim().startsWith(where));
    expect({ reported, all: lines }).toEqual({ reported: expect.stringContaining(row.says), all: lines });
  });

  it('does not hold a bad default against a cluster that overrides it', () => {
    const lines = outputOf(defaults, OVERRIDING_CLUSTER).join('\n');
    expect(lines).toContain('clusters/defaults.yaml:2:1 name: ');
    expect(lines).toContain('clusters/defaults.yaml:6:3 credentials.sts_name: ');
    expect(lines).not.toContain('compute_replicas');
  });
});
