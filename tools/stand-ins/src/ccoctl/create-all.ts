/*
 * `ccoctl aws create-all` (ccoctl's createAllCmd): output dirs, key pair, identity provider, IAM roles, in that order.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyFaults } from '../faults.ts';
import { awsClients, partitionOf } from './aws.ts';
import { usage, type FlagSpec, type ParsedFlags } from './flags.ts';
import { createIdentityProvider, MANIFESTS_DIR } from './identity-provider.ts';
import { createIAMRoles } from './iam-roles.ts';
import { copyPrivateKeyForInstaller, createKeys, PUBLIC_KEY_FILE, TLS_DIR } from './key-pair.ts';
import { errorMessage, fatal, log } from './log.ts';

export const CREATE_ALL_FLAGS: FlagSpec[] = [
  {
    name: 'create-private-s3-bucket',
    type: 'bool',
    usage: 'Create private S3 bucket with public CloudFront OIDC endpoint',
  },
  {
    name: 'credentials-requests-dir',
    type: 'string',
    required: true,
    usage:
      "Directory containing files of CredentialsRequests to create IAM Roles for (can be created by running 'oc adm release extract --credentials-requests --cloud=aws' against an OpenShift release image)",
  },
  {
    name: 'dry-run',
    type: 'bool',
    usage: 'Skip creating objects, and just save what would have been created into files',
  },
  {
    name: 'enable-tech-preview',
    type: 'bool',
    usage: 'Opt into processing CredentialsRequests marked as tech-preview',
  },
  {
    name: 'name',
    type: 'string',
    required: true,
    usage: "User-defined name for all created AWS resources (can be separate from the cluster's infra-id)",
  },
  { name: 'output-dir', type: 'string', usage: 'Directory to place generated files (defaults to current directory)' },
  {
    name: 'permissions-boundary-arn',
    type: 'string',
    usage: 'ARN of IAM policy to use as the permissions boundary for created roles',
  },
  { name: 'public-key-file', type: 'string', usage: 'Path to public ServiceAccount signing key' },
  {
    name: 'region',
    type: 'string',
    required: true,
    usage: 'AWS region where the S3 OpenID Connect endpoint will be created',
  },
];

export const CREATE_ALL_USAGE = usage(
  'ccoctl aws create-all',
  'Create all the required credentials objects',
  CREATE_ALL_FLAGS,
);

/** provisioning.EnsureDir: a plain mkdir (0700) when missing, so a missing parent is an error. */
function ensureDir(path: string): void {
  try {
    if (!statSync(path).isDirectory()) throw new Error(`file ${path} exists and is not a directory`);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path, { mode: 0o700 });
}

function step(name: string): Promise<void> {
  return applyFaults('ccoctl', name, (code) =>
    fatal(`Failed at step ${name}: injected failure (STANDIN_FAIL=ccoctl:${name})`, code),
  );
}

export async function createAll(flags: ParsedFlags): Promise<void> {
  const name = flags.strings.get('name')!;
  const region = flags.strings.get('region')!;
  const credentialsRequestsDir = flags.strings.get('credentials-requests-dir')!;
  const outputDir = resolve(flags.strings.get('output-dir') || '.');
  const publicKeyFile = flags.strings.get('public-key-file') ?? '';
  const permissionsBoundaryARN = flags.strings.get('permissions-boundary-arn') ?? '';
  const dryRun = flags.bools.get('dry-run') ?? false;
  const createPrivateS3 = flags.bools.get('create-private-s3-bucket') ?? false;
  const enableTechPreview = flags.bools.get('enable-tech-preview') ?? false;
  const partition = partitionOf(region);

  await step('create-all');

  // cobra's PersistentPreRun: the output dirs (tls/ only when ccoctl makes the key pair).
  for (const [dir, what] of [
    [outputDir, 'target'],
    [join(outputDir, MANIFESTS_DIR), 'manifests'],
    ...(publicKeyFile ? [] : [[join(outputDir, TLS_DIR), 'tls']]),
  ] as [string, string][]) {
    try {
      ensureDir(dir);
    } catch {
      fatal(`failed to create ${what} directory at ${dir}`);
    }
  }

  await step('key-pair');
  let publicKeyPath = publicKeyFile;
  if (!publicKeyPath) {
    try {
      createKeys(outputDir);
      copyPrivateKeyForInstaller(outputDir);
    } catch (error) {
      fatal(`Failed to create public/private key pair: ${errorMessage(error)}`);
    }
    publicKeyPath = join(outputDir, PUBLIC_KEY_FILE);
  }

  // A dry run makes no AWS call at all.
  const clients = dryRun ? undefined : awsClients(region);
  let account = '';
  if (clients) {
    try {
      const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
      account = identity.Account ?? '';
      log(`Using AWS account ${account} as ${identity.Arn ?? ''}`);
    } catch (error) {
      fatal(`Failed to get the caller identity: ${errorMessage(error)}`);
    }
  }

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
      step,
    }));
  } catch (error) {
    fatal(`Failed to create Identity provider: ${errorMessage(error)}`);
  }

  try {
    await createIAMRoles({
      name,
      partition,
      outputDir,
      credentialsRequestsDir,
      enableTechPreview,
      permissionsBoundaryARN,
      providerARN,
      account,
      clients,
      step,
    });
  } catch (error) {
    fatal(`Failed to process IAM Roles: ${errorMessage(error)}`);
  }
}
