/*
 * `ccoctl aws create-all` (ccoctl's createAllCmd): output dirs, key pair, identity provider, IAM roles, in that order.
 * `--dry-run` exists only in the ccoctl of 4.19 and later (src/ccoctl/release.ts): an older one rejects the flag.
 */
import { join } from 'node:path';
import type { Release } from '../releases.ts';
import { awsClients, partitionOf } from './aws.ts';
import { usage, type FlagSpec, type ParsedFlags } from './flags.ts';
import { createIdentityProvider } from './identity-provider.ts';
import { createIAMRoles } from './iam-roles.ts';
import { createKeys, PUBLIC_KEY_FILE } from './key-pair.ts';
import { errorMessage, fatal, step } from './log.ts';
import { prepareOutputDirs } from './output-dirs.ts';
import { hasCreateAllDryRun } from './release.ts';

export const NAME_FLAG: FlagSpec = {
  name: 'name',
  type: 'string',
  required: true,
  usage: "User-defined name for all created AWS resources (can be separate from the cluster's infra-id)",
};
export const CREDENTIALS_REQUESTS_DIR_FLAG: FlagSpec = {
  name: 'credentials-requests-dir',
  type: 'string',
  required: true,
  usage:
    "Directory containing files of CredentialsRequests to create IAM Roles for (can be created by running 'oc adm release extract --credentials-requests --cloud=aws' against an OpenShift release image)",
};
export const DRY_RUN_FLAG: FlagSpec = {
  name: 'dry-run',
  type: 'bool',
  usage: 'Skip creating objects, and just save what would have been created into files',
};
export const PRIVATE_BUCKET_FLAG: FlagSpec = {
  name: 'create-private-s3-bucket',
  type: 'bool',
  usage: 'Create private S3 bucket with public CloudFront OIDC endpoint',
};
export const TECH_PREVIEW_FLAG: FlagSpec = {
  name: 'enable-tech-preview',
  type: 'bool',
  usage: 'Opt into processing CredentialsRequests marked as tech-preview',
};
export const OUTPUT_DIR_FLAG: FlagSpec = {
  name: 'output-dir',
  type: 'string',
  usage: 'Directory to place generated files (defaults to current directory)',
};
export const BOUNDARY_FLAG: FlagSpec = {
  name: 'permissions-boundary-arn',
  type: 'string',
  usage: 'ARN of IAM policy to use as the permissions boundary for created roles',
};
export const PUBLIC_KEY_FILE_FLAG: FlagSpec = {
  name: 'public-key-file',
  type: 'string',
  usage: 'Path to public ServiceAccount signing key',
};
export const OIDC_REGION_FLAG: FlagSpec = {
  name: 'region',
  type: 'string',
  required: true,
  usage: 'AWS region where the S3 OpenID Connect endpoint will be created',
};

/** create-all's flags in this release (sorted, as pflag prints them). */
export function createAllFlags(release: Release): FlagSpec[] {
  return [
    PRIVATE_BUCKET_FLAG,
    CREDENTIALS_REQUESTS_DIR_FLAG,
    ...(hasCreateAllDryRun(release) ? [DRY_RUN_FLAG] : []),
    TECH_PREVIEW_FLAG,
    NAME_FLAG,
    OUTPUT_DIR_FLAG,
    BOUNDARY_FLAG,
    PUBLIC_KEY_FILE_FLAG,
    OIDC_REGION_FLAG,
  ];
}

export function createAllUsage(release: Release): string {
  return usage('ccoctl aws create-all', 'Create all the required credentials objects', createAllFlags(release));
}

export async function createAll(flags: ParsedFlags): Promise<void> {
  const name = flags.strings.get('name')!;
  const region = flags.strings.get('region')!;
  const publicKeyFile = flags.strings.get('public-key-file') ?? '';
  const dryRun = flags.bools.get('dry-run') ?? false;
  const createPrivateS3 = flags.bools.get('create-private-s3-bucket') ?? false;
  const partition = partitionOf(region);

  await step('create-all');
  // cobra's PersistentPreRun: the output dir, manifests/ and tls/ (tls/ even with --public-key-file, left empty).
  const outputDir = prepareOutputDirs(flags.strings.get('output-dir'), ['manifests', 'tls']);

  await step('key-pair');
  let publicKeyPath = publicKeyFile;
  if (!publicKeyPath) {
    try {
      createKeys(outputDir);
    } catch (error) {
      fatal(`Failed to create public/private key pair: ${errorMessage(error)}`);
    }
    publicKeyPath = join(outputDir, PUBLIC_KEY_FILE);
  }

  // A dry run makes no AWS call at all. No STS call either way: role ARNs are what IAM returns.
  const clients = dryRun ? undefined : awsClients(region);

  let providerARN = '';
  try {
    ({ providerARN } = await createIdentityProvider({
      name,
      region,
      partition,
      outputDir,
      publicKeyPath,
      createPrivateS3,
      clients,
    }));
  } catch (error) {
    fatal(`Failed to create Identity provider: ${errorMessage(error)}`);
  }

  try {
    await createIAMRoles({
      name,
      outputDir,
      credentialsRequestsDir: flags.strings.get('credentials-requests-dir')!,
      enableTechPreview: flags.bools.get('enable-tech-preview') ?? false,
      permissionsBoundaryARN: flags.strings.get('permissions-boundary-arn') ?? '',
      providerARN,
      dryRun,
      readsProviderInDryRun: false,
      clients,
    });
  } catch (error) {
    fatal(`Failed to process IAM Roles: ${errorMessage(error)}`);
  }
}
