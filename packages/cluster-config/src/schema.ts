import { z } from 'zod';
import { unsupportedPartition } from './regions.ts';
import { capabilitiesSchema } from './capabilities.ts';
import { kmsKeyLocation, machinesSchema } from './machines.ts';
import { tagsSchema } from './tags.ts';
import { flag, matching, oneOf, wholeNumber } from './leaves.ts';
import { nearest } from './suggest.ts';
import {
  DEFAULT_CONTROL_PLANE_TYPE,
  DEFAULT_SINGLE_NODE_TYPE,
  fitsSingleNode,
  instanceSize,
  SINGLE_NODE_MINIMUM,
  singleNodeTypeLike,
} from './instance-types.ts';

/*
 * The model of clusters/<name>/cluster.yaml. Keys are snake_case, as in the seed project's format.
 *
 * Every leaf carries one `error` text that says what it expects; the loader appends what it found and
 * where (file:line:col), so a message reads `expected a whole number >= 0, got "three"`.
 */

// RFC 1123 label, as openshift-install requires of metadata.name.
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5, ...
export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const AWS_PROFILE = /^[A-Za-z0-9_.+=@-]+$/;
const AWS_PROFILE_EXPECTED = 'expected an AWS profile name from ~/.aws/config';
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
// ccoctl --name: used for the bucket `<sts_name>-oidc` (3-63 chars, lowercase, digits, hyphens, no dots so that
// the virtual-host issuer URL keeps a valid TLS name), role names and tags.
export const STS_NAME = /^[a-z0-9](?:[a-z0-9-]{0,56}[a-z0-9])?$/;
export const STS_NAME_MAX = 58;
const RELEASE_IMAGE =
  /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;

const versionText = (what: string) =>
  matching(/^\d+\.\d+(\.\d+)?$/, `expected ${what} as a quoted string like "4.16" or "4.16.3"`);

export const CCO_MODES = ['mint', 'passthrough', 'manual', 'manual-sts'] as const;
export type CcoMode = (typeof CCO_MODES)[number];

const platform = z
  .strictObject({
    type: z
      .literal('aws', { error: 'expected "aws" (the only platform this tool installs)' })
      .describe('Cloud platform. Only "aws" is supported.'),
    account_id: matching(/^\d{12}$/, 'expected a 12-digit AWS account id in quotes, like "123456789012"').describe(
      'AWS account the cluster lives in, as a quoted 12-digit string. preflight checks that the caller belongs to it.',
    ),
    region: matching(AWS_REGION, 'expected an AWS region like "us-east-1"').describe('AWS region, e.g. us-east-1.'),
    zones: z
      .array(matching(/^[a-z0-9-]+[a-z]$/, 'expected an availability zone like "us-east-1a"'), {
        error: 'expected a list of availability zones, like [us-east-1a, us-east-1b]',
      })
      // The seed format requires at least one; an empty list would silently render as "the installer picks".
      .min(1, {
        error:
          'expected at least one availability zone, like [us-east-1a] (or remove platform.zones to let the installer pick)',
      })
      .optional()
      .describe('Availability zones for the machine pools, at least one. Absent: the installer picks.'),
  })
  .describe('Where the cluster runs.');

const dns = z
  .strictObject({
    base_domain: matching(DNS_NAME, 'expected a DNS domain like "example.com"').describe(
      'Base domain; the cluster is reachable under <name>.<base_domain>.',
    ),
    hosted_zone_id: matching(/^Z[A-Z0-9]{1,32}$/, 'expected a Route 53 hosted zone id like "Z0123456789ABCDEFGHIJ"')
      .optional()
      .describe(
        'Public Route 53 zone of base_domain, for checks. Not passed to the installer: install-config hostedZone means a private zone in an existing VPC.',
      ),
  })
  .describe('DNS settings.');

const openshift = z
  .strictObject({
    version: versionText('an OpenShift version').describe(
      'OpenShift version, "X.Y.Z" or "X.Y" (the newest patch of stable-X.Y, pinned in a lock file).',
    ),
    release_image: matching(
      RELEASE_IMAGE,
      'expected a release image by tag or digest, like "quay.io/openshift-release-dev/ocp-release:4.16.3-x86_64"',
    )
      .optional()
      .describe('Release image by tag or @sha256 digest. Overrides version.'),
    max_minor: versionText('the highest minor version upgrades may reach')
      .optional()
      .describe('Upgrade ceiling, "X.Y". Passed through for upgrade tooling.'),
    control_plane_replicas: z
      .union([z.literal(1), z.literal(3)], { error: 'expected 3 (or 1 for a single-node cluster)' })
      .default(3)
      .describe('Control plane machines: 3, or 1 for single-node.'),
    compute_replicas: wholeNumber(0).default(3).describe('Compute (worker) machines.'),
    // Its default depends on control_plane_replicas: filled in by the transform below.
    instance_type_control_plane: matching(INSTANCE_TYPE, 'expected an EC2 instance type like "m6i.xlarge"')
      .optional()
      .describe(
        `EC2 instance type of the control plane. Default ${DEFAULT_CONTROL_PLANE_TYPE}, or ${DEFAULT_SINGLE_NODE_TYPE} for single-node (control_plane_replicas: 1), which needs at least ${SINGLE_NODE_MINIMUM.vcpu} vCPU and ${SINGLE_NODE_MINIMUM.memoryGiB} GiB.`,
      ),
    instance_type_compute: matching(INSTANCE_TYPE, 'expected an EC2 instance type like "m6i.xlarge"')
      .default('m6i.xlarge')
      .describe('EC2 instance type of the compute machines.'),
    feature_set: oneOf(['Default', 'TechPreviewNoUpgrade'])
      .default('Default')
      .describe(
        'install-config featureSet. TechPreviewNoUpgrade also extracts and provisions the tech-preview CredentialsRequests (ccoctl --enable-tech-preview).',
      ),
    compute_market: oneOf(['on-demand', 'spot'])
      .default('on-demand')
      .describe(
        'on-demand, or spot: the install-config then gets 0 compute replicas and spot machine sets come later.',
      ),
    capabilities: capabilitiesSchema.optional(),
    fips: flag
      .optional()
      .describe(
        'install-config fips: the cluster runs FIPS-validated cryptography. The installer must then run on a host in FIPS mode.',
      ),
  })
  .transform((o) => ({
    ...o,
    instance_type_control_plane:
      o.instance_type_control_plane ??
      (o.control_plane_replicas === 1 ? DEFAULT_SINGLE_NODE_TYPE : DEFAULT_CONTROL_PLANE_TYPE),
  }))
  .describe('What to install.');

const credentials = z
  .strictObject({
    cco_mode: oneOf(CCO_MODES)
      .default('manual-sts')
      .describe('Cloud Credential Operator mode. manual-sts: short-lived tokens, IAM roles made by ccoctl.'),
    aws_profile: matching(AWS_PROFILE, AWS_PROFILE_EXPECTED)
      .optional()
      .describe('AWS profile for every AWS call (ccoctl, checks). Absent: the default credential chain.'),
    sts_name: matching(
      STS_NAME,
      `expected a name of lowercase letters, digits and hyphens, at most ${STS_NAME_MAX} characters, starting and ending with a letter or digit`,
    )
      .optional()
      .describe(
        'ccoctl --name: prefix of the IAM roles and of the S3 bucket <sts_name>-oidc. Unique per cluster and stable. Defaults to the cluster name.',
      ),
    create_private_s3_bucket: flag
      .default(false)
      .describe(
        'Serve the OIDC documents through CloudFront from a private bucket (ccoctl --create-private-s3-bucket).',
      ),
    permissions_boundary_arn: matching(
      /^arn:aws(-us-gov|-cn)?:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/,
      'expected an IAM policy ARN like "arn:aws:iam::123456789012:policy/boundary", or null',
    )
      .nullable()
      .optional()
      .describe('Permissions boundary attached to every role ccoctl creates.'),
  })
  .describe('How the cluster gets cloud credentials.');

const secrets = z
  .strictObject({
    pull_secret_file: z
      .string({ error: 'expected a file path' })
      .min(1, { error: 'expected a file path' })
      .optional()
      .describe('Pull secret, relative to the workspace root. Default secrets/<name>/pull-secret.json.'),
    ssh_public_key_file: z
      .string({ error: 'expected a file path' })
      .min(1, { error: 'expected a file path' })
      .optional()
      .describe('SSH public key, relative to the workspace root. Default secrets/<name>/ssh.pub.'),
  })
  .describe('Where the secrets are. Never put secrets themselves in cluster.yaml.');

export const STATE_BACKENDS = ['local', 's3'] as const;
export type StateBackend = (typeof STATE_BACKENDS)[number];
/** The keys of `state` that only the s3 backend reads. */
export const S3_STATE_KEYS = ['bucket', 'region', 'prefix', 'kms_key_id', 'profile'] as const;

const state = z
  .strictObject({
    backend: z
      .enum(STATE_BACKENDS, {
        error: (issue) => {
          const suggestion = typeof issue.input === 'string' ? nearest(issue.input, STATE_BACKENDS) : undefined;
          return `expected "local" or "s3"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
        },
      })
      .default('local')
      .describe(
        "Where the cluster's state lives: local (the checkout's secrets/ and .work/) or s3 (a bucket shared by a team and CI).",
      ),
    bucket: matching(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens',
    )
      .optional()
      .describe('s3: the state bucket (versioned, encrypted, no public access, TLS only).'),
    region: matching(AWS_REGION, 'expected an AWS region like "us-east-1"')
      .optional()
      .describe("s3: the state bucket's region."),
    prefix: matching(
      /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/,
      'expected an object key prefix like "clusters" or "team/clusters" (no leading or trailing /)',
    )
      .optional()
      .describe("s3: key prefix; a cluster's objects are under <prefix>/<cluster name>/. Absent: <cluster name>/."),
    kms_key_id: matching(
      /^(alias\/[A-Za-z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|arn:aws(-us-gov|-cn)?:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+)$/,
      'expected a KMS key id, key ARN, alias ("alias/ocp-state") or alias ARN',
    )
      .optional()
      .describe('s3: objects are encrypted with SSE-KMS under this key. Absent: SSE-S3 (AES256).'),
    profile: matching(AWS_PROFILE, AWS_PROFILE_EXPECTED)
      .optional()
      .describe('s3: AWS profile for the state bucket. Absent: credentials.aws_profile, else the default chain.'),
  })
  .describe("Where the cluster's state (what git cannot rebuild) and its lock live.");

const gitops = z
  .strictObject({
    repo_url: matching(
      /^(https?:\/\/|ssh:\/\/|git@)\S+$/,
      'expected a git URL like "https://github.com/org/repo.git" or "git@github.com:org/repo.git"',
    ).describe("Git repository that holds the cluster's GitOps configuration."),
    repo_ref: z
      .string({ error: 'expected a branch, tag or commit' })
      .min(1, { error: 'expected a branch, tag or commit' })
      .describe('Branch, tag or commit of repo_url to follow.'),
    env: z
      .string({ error: 'expected an environment name' })
      .min(1, { error: 'expected an environment name' })
      .describe('Environment (overlay) inside the GitOps repository.'),
  })
  .describe('GitOps bootstrap settings, validated and passed through untouched.');

export const clusterSchema = z
  .strictObject({
    name: matching(
      DNS_LABEL,
      'expected a DNS label: lowercase letters, digits and hyphens, at most 63 characters, the same as the folder name',
    ).describe('Cluster name; must equal the folder name under clusters/.'),
    env: matching(/^[a-z0-9][a-z0-9-]*$/, 'expected an environment label like "prod" or "dev"')
      .optional()
      .describe('Environment label, e.g. dev, staging, prod.'),
    platform,
    dns,
    openshift,
    credentials: credentials.prefault({}),
    secrets: secrets.optional(),
    gitops: gitops.optional(),
    state: state.prefault({}),
    tags: tagsSchema.optional(),
    machines: machinesSchema.optional(),
  })
  // Runs even when other keys are wrong (`when`), so that every problem is reported at once; it therefore reads the
  // value defensively instead of trusting its type.
  .superRefine(
    (c, ctx) => {
      crossFieldChecks(c, (issue) => {
        ctx.addIssue(issue);
      });
    },
    { when: () => true },
  )
  .describe('An OpenShift cluster on AWS, installed by the ocp-sts Nx plugin.');

type AddIssue = (issue: { code: 'custom'; path: (string | number)[]; message: string }) => void;

/** Rules between keys: zones of the region, partition of the boundary, CloudFront availability, release vs version. */
function crossFieldChecks(c: unknown, addIssue: AddIssue): void {
  const get = (...path: string[]): unknown =>
    path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), c);
  const controlPlaneType = get('openshift', 'instance_type_control_plane');
  const size = typeof controlPlaneType === 'string' ? instanceSize(controlPlaneType) : undefined;
  if (get('openshift', 'control_plane_replicas') === 1 && size && !fitsSingleNode(size)) {
    addIssue({
      code: 'custom',
      path: ['openshift', 'instance_type_control_plane'],
      message:
        `expected at least ${SINGLE_NODE_MINIMUM.vcpu} vCPU and ${SINGLE_NODE_MINIMUM.memoryGiB} GiB for a single-node control plane ` +
        `(control_plane_replicas: 1; this type has ${size.vcpu} vCPU and ${size.memoryGiB} GiB): ` +
        `use "${singleNodeTypeLike(controlPlaneType as string)}"`,
    });
  }
  stateChecks(get('state'), addIssue);
  const region = get('platform', 'region');
  if (typeof region !== 'string' || !AWS_REGION.test(region)) return;
  const unsupported = unsupportedPartition(region);
  if (unsupported) {
    addIssue({
      code: 'custom',
      path: ['platform', 'region'],
      message: `expected a region ccoctl can serve: ${unsupported}`,
    });
    return;
  }
  const partition = partitionOf(region);

  const zones = get('platform', 'zones');
  if (Array.isArray(zones)) {
    const seen = new Set<string>();
    zones.forEach((zone, i) => {
      if (typeof zone !== 'string') return;
      if (!zone.startsWith(region) || !/^[a-z]$/.test(zone.slice(region.length))) {
        addIssue({
          code: 'custom',
          path: ['platform', 'zones', i],
          message: `expected a zone of region ${region}, like "${region}a"`,
        });
      } else if (seen.has(zone)) {
        addIssue({ code: 'custom', path: ['platform', 'zones', i], message: 'expected each zone once' });
      }
      seen.add(zone);
    });
  }
  const kmsKey = get('machines', 'root_volume', 'kms_key_arn');
  const key = typeof kmsKey === 'string' ? kmsKeyLocation(kmsKey) : undefined;
  if (key && (key.partition !== partition || key.region !== region)) {
    addIssue({
      code: 'custom',
      path: ['machines', 'root_volume', 'kms_key_arn'],
      message: `expected a key of region ${region} in partition ${partition} (EBS encrypts with a key of the volume's region)`,
    });
  }
  const boundary = get('credentials', 'permissions_boundary_arn');
  if (typeof boundary === 'string' && boundary.startsWith('arn:') && boundary.split(':')[1] !== partition) {
    addIssue({
      code: 'custom',
      path: ['credentials', 'permissions_boundary_arn'],
      message: `expected an ARN in partition ${partition} (that of region ${region})`,
    });
  }
  if (get('credentials', 'create_private_s3_bucket') === true && partition === 'aws-us-gov') {
    addIssue({
      code: 'custom',
      path: ['credentials', 'create_private_s3_bucket'],
      message: 'expected false: CloudFront, which the private bucket needs, does not exist in GovCloud',
    });
  }
  const version = get('openshift', 'version');
  const image = get('openshift', 'release_image');
  const tagged = typeof image === 'string' ? image.match(/:(\d+\.\d+\.\d+)(-[a-z0-9_]+)?$/) : null;
  if (tagged && typeof version === 'string' && !`${tagged[1]}.`.startsWith(`${version}.`)) {
    addIssue({
      code: 'custom',
      path: ['openshift', 'release_image'],
      message: `expected a release of openshift.version ${version} (the tag says ${tagged[1]}); fix or remove one of the two`,
    });
  }
}

/** The s3 backend needs a bucket and a region; the local one reads none of the s3 keys. */
function stateChecks(state: unknown, addIssue: AddIssue): void {
  if (!state || typeof state !== 'object') return;
  const given = state as Record<string, unknown>;
  const backend = given.backend ?? 'local';
  if (backend === 's3') {
    for (const key of ['bucket', 'region'] as const) {
      if (given[key] === undefined) {
        addIssue({
          code: 'custom',
          path: ['state', key],
          message: `expected the state bucket's ${key === 'bucket' ? 'name' : 'region'} (state.backend is s3)`,
        });
      }
    }
  } else if (backend === 'local') {
    for (const key of S3_STATE_KEYS) {
      if (given[key] !== undefined) {
        addIssue({
          code: 'custom',
          path: ['state', key],
          message: 'is read only by state.backend s3; remove it, or set state.backend: s3',
        });
      }
    }
  }
}

export type ClusterYaml = z.input<typeof clusterSchema>;
export type ParsedCluster = z.output<typeof clusterSchema>;

/**
 * A fresh ccoctl --name for a cluster: the name (cut to fit) and 5 random lowercase alphanumerics, so that the
 * globally named bucket `<sts_name>-oidc` does not collide with another account's cluster of the same name.
 */
export function newStsName(clusterName: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  const suffix = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  const stem = clusterName.slice(0, STS_NAME_MAX - 6).replace(/-+$/, '');
  return `${stem}-${suffix}`;
}

/** AWS partition of a region, as ccoctl derives it from the region prefix. */
export function partitionOf(region: string): 'aws' | 'aws-us-gov' | 'aws-cn' {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}
