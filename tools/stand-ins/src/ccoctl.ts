/*
 * Stand-in for `ccoctl` (openshift/cloud-credential-operator, `pkg/cmd/provisioning/aws`), the AWS subcommands:
 * `create-all`, `create-key-pair`, `create-identity-provider`, `create-iam-roles` and `delete`. It creates and deletes
 * real resources through the AWS SDK (default credential chain; AWS_ENDPOINT_URL points it at the emulator, see
 * tools/aws-emulator/). One module per subcommand or step under src/ccoctl/, as upstream splits them.
 *
 * Which release it is: the one STANDIN_RELEASE_IMAGE names (the oc stand-in's `adm release extract --command=ccoctl`
 * sets it in the binary it writes), else 4.16 (src/ccoctl/release.ts). The release decides whether `create-all` has
 * `--dry-run` (4.19+; before, `Error: unknown flag: --dry-run`, exit 1) and whether `create-iam-roles --dry-run` reads
 * the identity provider from IAM (before 4.19 it does, so it fails when the provider does not exist yet).
 *
 * Faithful to ccoctl (its release-4.16 and master sources, and runs of binaries built from them against the emulator):
 * flags and their errors (cobra style, exit 1), log lines on stderr as `YYYY/MM/DD HH:MM:SS msg` with ccoctl's
 * wording (`Copying signing key for use by installer`, `Wrote cluster authentication manifest at path P`, `Issuer URL
 * (serviceAccountIssuer) is U`; tagging, public-access-block and bucket-policy calls silent), any failure exits 1 after
 * one line saying what failed, output dirs made with a plain mkdir (`tls/` even with --public-key-file), the request
 * reading rules (*.yaml/*.yml, sorted, multi-document, delete/feature-set annotations, non-AWS fatal, empty service
 * accounts fatal, first error stops with earlier roles left), an RSA-4096 key pair reused when the private file
 * exists and written 0644 under umask 022 (the caller must restrict it), the 0600 tls/ copy, bucket/objects/provider/
 * roles/Secrets with ccoctl's names, contents, tags and re-run behaviour, role ARNs as IAM returns them (no STS call),
 * dry-run files and placeholder Secrets, and a delete that only logs its errors and exits 0.
 *
 * Where it differs, and why:
 *   - OIDC thumbprint: ccoctl HEADs the issuer URL over HTTPS and records the SHA-1 of the last certificate; the
 *     stand-in's issuer hosts do not exist, so it records a fixed thumbprint (STAND_IN_THUMBPRINT). The failure of
 *     that HEAD is a fault switch: STANDIN_FAIL=ccoctl:issuer-unreachable fails as ccoctl does (`Failed to create
 *     Identity provider: failed to get fingerprint: ...`, exit 1, the bucket and its objects left in place).
 *   - Private bucket: the origin access identity, bucket policy, public-access block and distribution are ccoctl's
 *     (src/ccoctl/identity-provider.ts; moto lacks the OAI API, the emulator's launcher adds it), but the stand-in
 *     does not wait the 30 s ccoctl gives a new origin access identity to become active.
 *   - GovCloud with --create-private-s3-bucket is refused before anything is created (ccoctl fails at the first
 *     CloudFront call).
 *   - The real 4.16 binary uses aws-sdk-go v1, which ignores AWS_ENDPOINT_URL; the stand-in always honours it.
 *
 * Test hooks: STANDIN_FAIL / STANDIN_SLOW (src/faults.ts) at the steps `create-all`, `key-pair`, `oidc-bucket`,
 * `oidc-objects`, `oidc-provider`, `issuer-unreachable`, `iam-roles`, `iam-role-<i>` (before the i-th request, from
 * 0) and `delete`; STANDIN_CCOCTL_DELETE_SKIP_ROLE=<role>[,<role>] makes delete leave those roles behind (exit 0).
 */
import { awsClients } from './ccoctl/aws.ts';
import { createAll, createAllFlags } from './ccoctl/create-all.ts';
import { deleteAll } from './ccoctl/delete.ts';
import { parseFlags, usage, UsageError, type FlagSpec, type ParsedFlags } from './ccoctl/flags.ts';
import { fatal, step } from './ccoctl/log.ts';
import { ccoctlRelease } from './ccoctl/release.ts';
import {
  CREATE_IAM_ROLES_FLAGS,
  CREATE_IDENTITY_PROVIDER_FLAGS,
  CREATE_KEY_PAIR_FLAGS,
  createIAMRolesCommand,
  createIdentityProviderCommand,
  createKeyPair,
} from './ccoctl/subcommands.ts';
import type { Release } from './releases.ts';

const ROOT_USAGE = `OpenShift credentials provisioning tool

Usage:
  ccoctl [command]

Available Commands:
  aws         Manage credentials objects for AWS cloud
  help        Help about any command

Flags:
  -h, --help   help for ccoctl

Use "ccoctl [command] --help" for more information about a command.
`;

interface Command {
  short: string;
  flags: FlagSpec[];
  run: (flags: ParsedFlags) => void | Promise<void>;
}

const DELETE_FLAGS: FlagSpec[] = [
  {
    name: 'name',
    type: 'string',
    required: true,
    usage: "User-defined name for all created AWS resources (can be separate from the cluster's infra-id)",
  },
  { name: 'region', type: 'string', required: true, usage: 'AWS region where the resources were created' },
];

/** The `ccoctl aws` subcommands of this release, by name (sorted, as cobra lists them). */
function awsCommands(release: Release): Record<string, Command> {
  return {
    'create-all': {
      short: 'Create all the required credentials objects',
      flags: createAllFlags(release),
      run: createAll,
    },
    'create-iam-roles': {
      short: 'Create IAM roles',
      flags: CREATE_IAM_ROLES_FLAGS,
      run: (flags) => createIAMRolesCommand(flags, release),
    },
    'create-identity-provider': {
      short: 'Create IAM identity provider',
      flags: CREATE_IDENTITY_PROVIDER_FLAGS,
      run: createIdentityProviderCommand,
    },
    'create-key-pair': { short: 'Create a key pair', flags: CREATE_KEY_PAIR_FLAGS, run: createKeyPair },
    delete: {
      short: 'Delete credentials objects',
      flags: DELETE_FLAGS,
      run: async (flags) => {
        await step('delete');
        await deleteAll(awsClients(flags.strings.get('region')!), flags.strings.get('name')!);
      },
    },
  };
}

function awsUsage(commands: Record<string, Command>): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length)) + 2;
  const list = Object.entries(commands)
    .map(([name, command]) => `  ${name.padEnd(width)}${command.short}`)
    .join('\n');
  return (
    'Creating/updating/deleting cloud credentials objects for AWS cloud\n\nUsage:\n  ccoctl aws [command]\n\n' +
    `Available Commands:\n${list}\n\nFlags:\n  -h, --help   help for aws\n\n` +
    'Use "ccoctl aws [command] --help" for more information about a command.\n'
  );
}

/** cobra's way of failing on the command line: the error, then the usage, exit 1. */
function usageFailure(message: string, usageText: string): never {
  process.stderr.write(`Error: ${message}\n${usageText}\n`);
  process.exit(1);
}

function unknownCommand(command: string, path: string): never {
  process.stderr.write(`Error: unknown command "${command}" for "${path}"\nRun '${path} --help' for usage.\n`);
  process.exit(1);
}

async function main(argv: string[]): Promise<void> {
  const [group, name, ...rest] = argv;
  if (group === undefined || group === '-h' || group === '--help' || group === 'help') {
    process.stdout.write(ROOT_USAGE);
    return;
  }
  if (group !== 'aws') unknownCommand(group, 'ccoctl');
  const release = ccoctlRelease();
  if ('error' in release) fatal(release.error);
  const commands = awsCommands(release);
  if (name === undefined || name === '-h' || name === '--help') {
    process.stdout.write(awsUsage(commands));
    return;
  }
  const command = commands[name];
  if (!command) unknownCommand(name, 'ccoctl aws');
  const commandUsage = usage(`ccoctl aws ${name}`, command.short, command.flags);
  let flags;
  try {
    flags = parseFlags(rest, command.flags);
  } catch (error) {
    if (error instanceof UsageError) usageFailure(error.message, commandUsage);
    throw error;
  }
  if (flags.help) {
    process.stdout.write(commandUsage);
    return;
  }
  await command.run(flags);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  fatal(error instanceof Error ? (error.stack ?? error.message) : String(error));
});
