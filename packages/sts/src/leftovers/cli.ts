#!/usr/bin/env node
/*
 * ocp-sts-leftovers (npm run leftovers): what ccoctl made in an AWS account for sts names that no cluster in
 * clusters/ uses any more, grouped by sts name. Deletes nothing unless asked with --delete.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CLUSTERS_DIR } from '@ocp-sts/cluster-config';
import { isMainModule, isUserError } from '@ocp-sts/toolchain';
import { awsCall, awsClients, type AwsClients } from '@ocp-sts/aws';
import { deleteStsResources, type DeleteOutcome } from '../inventory/delete.ts';
import { OWNER_TAG_KEY } from '../ownership/owner-tag.ts';
import { clusterClaims, findOrphans, type OrphanScan, type RenamedGroup } from './orphans.ts';
import { describeResource } from '../inventory/resources.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, orphansFound: 3 } as const;

export const USAGE = `Usage: ocp-sts-leftovers [options]     (npm run leftovers -- [options])

Lists what ccoctl made in the AWS account (IAM roles and their policies, OIDC providers, OIDC buckets and their
objects, CloudFront distributions and origin access identities/controls: everything tagged
openshift.io/cloud-credential-operator/<sts name>, and distributions whose origin is the bucket <sts name>-oidc and
that are tagged Name=<sts name>, with the identities they read through) for sts names that no cluster in clusters/
uses: orphans of clusters that were renamed or deleted without a destroy. IAM and CloudFront are global; buckets are scanned per region.
An sts name whose resources carry the owner tag ocp-sts.io/cluster=<cluster> of a cluster still in clusters/ is not
an orphan: that cluster's sts_name was edited after its install. It is listed as "renamed, still in use by <cluster>"
and never deleted.

Options:
  --workspace DIR   the workspace whose clusters/*/cluster.yaml say which sts names are in use (default: the current
                    directory)
  --profile NAME    AWS profile (default: the default credential chain, e.g. AWS_PROFILE)
  --region REGION   region to scan for buckets; repeatable or comma-separated (default: the regions of the clusters,
                    and AWS_REGION)
  --delete          delete the orphans, in the safe order (inline policies, roles, provider, bucket objects, bucket,
                    distributions, origin access identities/controls), reporting each
  --json            print the result as JSON on stdout (progress goes to stderr)
  -h, --help        this text

Exit status: 0 no orphans (or all deleted), 3 orphans found (and not deleted), 1 an error or a failed deletion,
2 a usage error.`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** AWS clients for a profile and region (tests hand in their own). */
  clients?: (profile: string | undefined, region: string) => AwsClients;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
};

interface Flags {
  workspace: string;
  profile: string | undefined;
  regions: string[];
  delete: boolean;
  json: boolean;
}

class UsageError extends Error {}

function parseFlags(argv: string[], io: Io): Flags | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        workspace: { type: 'string' },
        profile: { type: 'string' },
        region: { type: 'string', multiple: true },
        delete: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const regions = (values.region ?? [])
    .flatMap((r) => r.split(','))
    .map((r) => r.trim())
    .filter(Boolean);
  return {
    workspace: resolve(io.cwd, values.workspace ?? '.'),
    profile: values.profile,
    regions,
    delete: values.delete,
    json: values.json,
  };
}

function defaultRegions(flags: Flags, io: Io): string[] {
  if (flags.regions.length) return [...new Set(flags.regions)];
  const fromClusters = clusterClaims(flags.workspace).claims.flatMap((c) => (c.region ? [c.region] : []));
  const fromEnv = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  const all = [...new Set([...(fromEnv ? [fromEnv] : []), ...fromClusters])];
  return all.length ? all : ['us-east-1'];
}

/** One line for an sts name kept because its owner cluster still exists under another sts_name. */
export function renamedLine(group: RenamedGroup): string {
  const n = group.resources.length;
  const owners = group.clusters.join(', ');
  return (
    `${group.stsName} (${n} resource${n === 1 ? '' : 's'}): renamed, still in use by ${owners} (left alone): tagged ` +
    `${OWNER_TAG_KEY}=${owners} or recorded in its state, whose credentials.sts_name was edited after the install. Put the sts_name back if ` +
    'the cluster still runs on it; delete them only once that cluster no longer uses them'
  );
}

function printScan(scan: OrphanScan, account: string, io: Io, flags: Flags): void {
  const say = flags.json ? io.err : io.out;
  say(
    `leftovers: account ${account}; IAM and CloudFront, and S3 buckets in ${scan.regions.join(', ')}\n` +
      `clusters in ${join(flags.workspace, CLUSTERS_DIR)}: ` +
      `${scan.claims.length ? scan.claims.map((c) => (c.stsName === c.cluster ? c.cluster : `${c.cluster} (${c.stsName})`)).join(', ') : 'none'}\n`,
  );
  for (const warning of scan.warnings) io.err(`warning: ${warning}\n`);
  if (flags.json) return;
  if (scan.inUse.length) io.out(`in use by a cluster (left alone): ${scan.inUse.join(', ')}\n`);
  for (const group of scan.renamed) io.out(`${renamedLine(group)}\n`);
  if (scan.orphans.length === 0) {
    io.out('no orphans: every sts name found belongs to a cluster in clusters/\n');
    return;
  }
  io.out(`\n${scan.orphans.length} sts name${scan.orphans.length === 1 ? '' : 's'} with no cluster in clusters/:\n`);
  for (const group of scan.orphans) {
    io.out(`\n  ${group.stsName} (${group.resources.length} resource${group.resources.length === 1 ? '' : 's'})\n`);
    for (const r of group.resources) io.out(`    - ${describeResource(r)}\n`);
  }
  io.out('\n');
}

/** The command: returns the exit status. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let flags: Flags;
  try {
    const parsed = parseFlags(argv, io);
    if (parsed === 'help') {
      io.out(`${USAGE}\n`);
      return EXIT.ok;
    }
    flags = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`ocp-sts-leftovers: ${error.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (!existsSync(join(flags.workspace, CLUSTERS_DIR))) {
    io.err(
      `ocp-sts-leftovers: ${flags.workspace} has no ${CLUSTERS_DIR}/ folder, so every sts name would look orphaned: ` +
        'run it in the workspace, or pass --workspace\n',
    );
    return EXIT.usage;
  }

  try {
    const regions = defaultRegions(flags, io);
    const clients = (io.clients ?? ((profile, region) => awsClients({ profile, region })))(flags.profile, regions[0]!);
    const identity = await awsCall(clients.target, 'sts:GetCallerIdentity', () =>
      clients.sts.send(new GetCallerIdentityCommand({})),
    );
    const account = `${identity.Account ?? '?'} (${identity.Arn ?? '?'})`;
    const scan = await findOrphans(clients, flags.workspace, regions);
    printScan(scan, account, io, flags);

    let outcome: DeleteOutcome | undefined;
    let status: number = scan.orphans.length ? EXIT.orphansFound : EXIT.ok;
    if (flags.delete && scan.orphans.length) {
      if (scan.unresolved.length) {
        io.err(
          `ocp-sts-leftovers: not deleting anything: the sts_name of ${scan.unresolved.map((c) => `${CLUSTERS_DIR}/${c}`).join(', ')} ` +
            'cannot be read, and its resources could be among these. Fix those cluster.yaml files first.\n',
        );
        status = EXIT.failed;
      } else {
        const say = flags.json ? io.err : io.out;
        outcome = await deleteStsResources(
          clients,
          scan.orphans.flatMap((g) => g.resources),
          {
            report: (line) => {
              say(`${line}\n`);
            },
          },
        );
        say(`done: ${outcome.deleted.length} deleted, ${outcome.failed.length} failed\n`);
        status = outcome.failed.length ? EXIT.failed : EXIT.ok;
      }
    } else if (scan.orphans.length && !flags.json) {
      io.out('Nothing was deleted. Delete them with --delete (npm run leftovers -- --delete).\n');
    }

    if (flags.json) {
      const result = {
        account: identity.Account,
        arn: identity.Arn,
        regions: scan.regions,
        clusters: scan.claims,
        warnings: scan.warnings,
        inUse: scan.inUse,
        renamed: scan.renamed,
        orphans: scan.orphans,
        ...(outcome && {
          deleted: outcome.deleted,
          failed: outcome.failed,
        }),
      };
      io.out(`${JSON.stringify(result, null, 2)}\n`);
    }
    return status;
  } catch (error) {
    if (!isUserError(error)) throw error;
    io.err(`ocp-sts-leftovers: ${error.message}\n`);
    return EXIT.failed;
  }
}

if (isMainModule(import.meta.filename)) {
  process.exitCode = await main(process.argv.slice(2));
}
