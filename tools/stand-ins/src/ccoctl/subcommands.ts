/*
 * The step-by-step subcommands of `ccoctl aws`, each what create-all does in one of its steps, with its own flags
 * (ccoctl's createKeyPairCmd, createIdentityProviderCmd, createIAMRolesCmd). All three have `--dry-run` or need none
 * in every release, which is how a dry run is made with a ccoctl whose create-all has no `--dry-run` (before 4.19):
 *
 *   ccoctl aws create-key-pair --output-dir D
 *   ccoctl aws create-identity-provider --name N --region R --public-key-file D/serviceaccount-signer.public \
 *     --output-dir D [--create-private-s3-bucket] --dry-run
 *   ccoctl aws create-iam-roles --name N --region R --credentials-requests-dir C --identity-provider-arn A \
 *     --output-dir D --dry-run
 *
 * Their failures are log.Fatal of the error alone (no `Failed to create Identity provider:` prefix as in create-all).
 */
import { join } from 'node:path';
import type { Release } from '../releases.ts';
import { awsClients, partitionOf } from './aws.ts';
import {
  BOUNDARY_FLAG,
  CREDENTIALS_REQUESTS_DIR_FLAG,
  DRY_RUN_FLAG,
  NAME_FLAG,
  OIDC_REGION_FLAG,
  OUTPUT_DIR_FLAG,
  PRIVATE_BUCKET_FLAG,
  PUBLIC_KEY_FILE_FLAG,
  TECH_PREVIEW_FLAG,
} from './create-all.ts';
import type { FlagSpec, ParsedFlags } from './flags.ts';
import { createIdentityProvider } from './identity-provider.ts';
import { createIAMRoles } from './iam-roles.ts';
import { createKeys, PUBLIC_KEY_FILE } from './key-pair.ts';
import { errorMessage, fatal } from './log.ts';
import { prepareOutputDirs } from './output-dirs.ts';
import { hasCreateAllDryRun } from './release.ts';

export const CREATE_KEY_PAIR_FLAGS: FlagSpec[] = [OUTPUT_DIR_FLAG];

export const CREATE_IDENTITY_PROVIDER_FLAGS: FlagSpec[] = [
  PRIVATE_BUCKET_FLAG,
  DRY_RUN_FLAG,
  NAME_FLAG,
  OUTPUT_DIR_FLAG,
  PUBLIC_KEY_FILE_FLAG,
  OIDC_REGION_FLAG,
];

export const CREATE_IAM_ROLES_FLAGS: FlagSpec[] = [
  CREDENTIALS_REQUESTS_DIR_FLAG,
  DRY_RUN_FLAG,
  TECH_PREVIEW_FLAG,
  {
    name: 'identity-provider-arn',
    type: 'string',
    required: true,
    usage:
      "ARN of IAM Identity provider for IAM Role trust relationship (can be created with the 'create identity-provider' sub-command)",
  },
  // Sic: ccoctl's usage of this one flag says "User-define".
  { ...NAME_FLAG, usage: NAME_FLAG.usage.replace('User-defined', 'User-define') },
  OUTPUT_DIR_FLAG,
  BOUNDARY_FLAG,
  { name: 'region', type: 'string', usage: 'AWS region endpoint only required for GovCloud' },
];

export function createKeyPair(flags: ParsedFlags): void {
  const outputDir = prepareOutputDirs(flags.strings.get('output-dir'), ['tls']);
  try {
    createKeys(outputDir);
  } catch (error) {
    fatal(errorMessage(error));
  }
}

export async function createIdentityProviderCommand(flags: ParsedFlags): Promise<void> {
  const region = flags.strings.get('region')!;
  const outputDir = prepareOutputDirs(flags.strings.get('output-dir'), ['manifests']);
  const dryRun = flags.bools.get('dry-run') ?? false;
  try {
    await createIdentityProvider({
      name: flags.strings.get('name')!,
      region,
      partition: partitionOf(region),
      outputDir,
      publicKeyPath: flags.strings.get('public-key-file') || join(outputDir, PUBLIC_KEY_FILE),
      createPrivateS3: flags.bools.get('create-private-s3-bucket') ?? false,
      clients: dryRun ? undefined : awsClients(region),
    });
  } catch (error) {
    fatal(errorMessage(error));
  }
}

export async function createIAMRolesCommand(flags: ParsedFlags, release: Release): Promise<void> {
  const outputDir = prepareOutputDirs(flags.strings.get('output-dir'), ['manifests']);
  const dryRun = flags.bools.get('dry-run') ?? false;
  const readsProviderInDryRun = !hasCreateAllDryRun(release);
  // --region is optional here (IAM is global); the SDK then takes the region from its usual sources.
  const region = flags.strings.get('region') || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  try {
    await createIAMRoles({
      name: flags.strings.get('name')!,
      outputDir,
      credentialsRequestsDir: flags.strings.get('credentials-requests-dir')!,
      enableTechPreview: flags.bools.get('enable-tech-preview') ?? false,
      permissionsBoundaryARN: flags.strings.get('permissions-boundary-arn') ?? '',
      providerARN: flags.strings.get('identity-provider-arn')!,
      dryRun,
      readsProviderInDryRun,
      clients: !dryRun || readsProviderInDryRun ? awsClients(region) : undefined,
    });
  } catch (error) {
    fatal(errorMessage(error));
  }
}
