/*
 * Finds what ccoctl made in an account: for one sts name (after `ccoctl aws delete`, to prove nothing is left; the
 * roles upgrade prunes), or for every sts name (the leftovers command). Read-only, through one AWS reader
 * (@ocp-sts/aws's awsReader: a pool of `concurrency` calls, counted, errors mapped to one line). One module per
 * service: scan-iam.ts (roles, OIDC providers; global), scan-s3.ts (the OIDC bucket; per region), scan-cloudfront.ts
 * (distributions, origin access identities and controls; global).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { awsClients, awsReader, type AwsClients } from '@ocp-sts/aws';
import type { StsResource } from './resources.ts';
import { findDistributionsAndIdentities, findOriginAccessControls } from './scan-cloudfront.ts';
import { ownersFor, type Scan, type StsQuery } from './scan-context.ts';
import { findProviders, findRoles } from './scan-iam.ts';
import { findOwnBucket, findTaggedBuckets } from './scan-s3.ts';

export type { StsQuery } from './scan-context.ts';

export interface ScanOptions {
  /** AWS calls at once (default 8); the SDK's adaptive retry backs off further when IAM throttles. */
  concurrency?: number;
  /** Told what could not be checked (e.g. an API the endpoint does not implement). */
  onWarning?: (message: string) => void;
}

/**
 * What ccoctl made (and is still there) for one sts name, or for every sts name in the account. Read-only; throws an
 * AwsCallError (one line: profile, region, call) when AWS cannot be asked.
 */
export async function findStsResources(
  clients: AwsClients,
  query: StsQuery,
  options: ScanOptions = {},
): Promise<StsResource[]> {
  const s3Clients = new Map<string, S3Client>([[clients.target.region, clients.s3]]);
  const scan: Scan = {
    aws: awsReader(clients, options.concurrency ?? 8),
    query,
    warn: options.onWarning ?? (() => undefined),
    owners: ownersFor(query),
    s3For: (region) => {
      let s3 = s3Clients.get(region);
      if (!s3) {
        s3 = awsClients({ ...clients.target, region }).s3;
        s3Clients.set(region, s3);
      }
      return s3;
    },
  };
  const regions = 'all' in query ? (query.regions ?? [clients.target.region]) : [];
  const parts = await Promise.all([
    findRoles(scan),
    findProviders(scan),
    'all' in query
      ? Promise.all(regions.map((r) => findTaggedBuckets(scan, r))).then((b) => b.flat())
      : findOwnBucket(scan, query.stsName),
    findDistributionsAndIdentities(scan),
    findOriginAccessControls(scan),
  ]);
  return parts.flat();
}
