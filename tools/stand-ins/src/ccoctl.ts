/*
 * Stand-in for `ccoctl` (openshift/cloud-credential-operator), the AWS subcommands this project uses, following
 * shared contracts/upstream-tools.md: `ccoctl aws create-all` and `ccoctl aws delete`. It creates and deletes real
 * resources through the AWS SDK (default credential chain; AWS_ENDPOINT_URL points it at the emulator, see
 * tools/aws-emulator/). One module per subcommand or step under src/ccoctl/, in the spirit of ccoctl's
 * pkg/cmd/provisioning/aws: create-all.ts, key-pair.ts, identity-provider.ts, iam-roles.ts, delete.ts.
 *
 * Faithful to ccoctl: flags and their errors (cobra style, exit 1), log lines on stderr as `YYYY/MM/DD HH:MM:SS msg`,
 * any failure exits 1 after a line saying what failed, output dirs made with a plain mkdir, the request reading rules
 * (*.yaml/*.yml, sorted, multi-document, delete/feature-set annotations, non-AWS fatal, empty service accounts fatal,
 * first error stops with earlier roles left), RSA-4096 key pair reused when the private file exists, the tls/ copy,
 * bucket/objects/provider/roles/Secrets with ccoctl's names, contents, tags and re-run behaviour, --dry-run files and
 * placeholder Secrets, and a delete that only logs its errors and exits 0.
 *
 * Where it differs, and why:
 *   - Private bucket: ccoctl uses a CloudFront origin access identity, which the emulator (moto) does not implement;
 *     the stand-in uses an origin access control instead (see ccoctl/identity-provider.ts). Dry-run files still
 *     describe the OAI flow, as ccoctl writes them.
 *   - OIDC thumbprint: ccoctl reads it from a TLS connection to the issuer; the stand-in has no network and records
 *     a fixed one (STAND_IN_THUMBPRINT).
 *   - Role ARNs in the Secrets are built from the partition, the caller's account (STS GetCallerIdentity) and the role
 *     name; ccoctl takes the ARN AWS returns (the same for roles at path `/`).
 *   - GovCloud with --create-private-s3-bucket is refused before anything is created (ccoctl fails at the first
 *     CloudFront call).
 *   - A private-bucket re-run finds the origin access control and distribution again by tag instead of making new ones.
 *   - Only `aws create-all` and `aws delete` exist; --dry-run is accepted as in 4.19+.
 *
 * Test hooks: STANDIN_FAIL / STANDIN_SLOW (src/faults.ts) at the steps `create-all`, `key-pair`, `oidc-bucket`,
 * `oidc-objects`, `oidc-provider`, `iam-roles`, `iam-role-<i>` (before the i-th request, from 0) and `delete`;
 * STANDIN_CCOCTL_DELETE_SKIP_ROLE=<role>[,<role>] makes delete leave those roles behind (still exiting 0).
 */
import { applyFaults } from './faults.ts';
import { awsClients } from './ccoctl/aws.ts';
import { CREATE_ALL_FLAGS, CREATE_ALL_USAGE, createAll } from './ccoctl/create-all.ts';
import { deleteAll } from './ccoctl/delete.ts';
import { parseFlags, usage, UsageError, type FlagSpec } from './ccoctl/flags.ts';
import { fatal } from './ccoctl/log.ts';

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

const AWS_USAGE = `Manage credentials objects for AWS cloud

Usage:
  ccoctl aws [command]

Available Commands:
  create-all  Create all the required credentials objects
  delete      Delete credentials objects

Flags:
  -h, --help   help for aws

Use "ccoctl aws [command] --help" for more information about a command.
`;

const DELETE_FLAGS: FlagSpec[] = [
  {
    name: 'name',
    type: 'string',
    required: true,
    usage: "User-defined name for all created AWS resources (can be separate from the cluster's infra-id)",
  },
  { name: 'region', type: 'string', required: true, usage: 'AWS region where the resources were created' },
];
const DELETE_USAGE = usage('ccoctl aws delete', 'Delete credentials objects', DELETE_FLAGS);

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
  const [group, command, ...rest] = argv;
  if (group === undefined || group === '-h' || group === '--help' || group === 'help') {
    process.stdout.write(ROOT_USAGE);
    return;
  }
  if (group !== 'aws') unknownCommand(group, 'ccoctl');
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(AWS_USAGE);
    return;
  }
  switch (command) {
    case 'create-all': {
      let flags;
      try {
        flags = parseFlags(rest, CREATE_ALL_FLAGS);
      } catch (error) {
        if (error instanceof UsageError) usageFailure(error.message, CREATE_ALL_USAGE);
        throw error;
      }
      if (flags.help) {
        process.stdout.write(CREATE_ALL_USAGE);
        return;
      }
      await createAll(flags);
      return;
    }
    case 'delete': {
      let flags;
      try {
        flags = parseFlags(rest, DELETE_FLAGS);
      } catch (error) {
        if (error instanceof UsageError) usageFailure(error.message, DELETE_USAGE);
        throw error;
      }
      if (flags.help) {
        process.stdout.write(DELETE_USAGE);
        return;
      }
      await applyFaults('ccoctl', 'delete', (code) =>
        fatal('Failed at step delete: injected failure (STANDIN_FAIL=ccoctl:delete)', code),
      );
      await deleteAll(awsClients(flags.strings.get('region')!), flags.strings.get('name')!);
      return;
    }
    default:
      unknownCommand(command, 'ccoctl aws');
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  fatal(error instanceof Error ? (error.stack ?? error.message) : String(error));
});
