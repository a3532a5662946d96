/*
 * What the per-service scans (scan-iam.ts, scan-s3.ts, scan-cloudfront.ts) share: the query, the AWS reader (one
 * pool, counted calls, one error mapping: @ocp-sts/aws's awsReader), and how a resource's tags, name or comment tie
 * it to an sts name.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import {
  CCO_TAG_PREFIX,
  oidcBucketName,
  ownedTagKey,
  ownerStsNames,
  valueOf,
  type AwsReader,
  type TagLike,
} from '@ocp-sts/aws';
import { ownerOf } from '../ownership/owner-tag.ts';
import type { Match } from './resources.ts';

/** One sts name (what destroy checks), or every sts name found by its tag in these regions' buckets (leftovers). */
export type StsQuery = { stsName: string } | { all: true; regions?: string[] };

export type Owner = { stsName: string; match: Match };

export interface Scan {
  aws: AwsReader;
  warn: (message: string) => void;
  /** Which sts names (with the match) a resource of these tags and this name belongs to. */
  owners: (tags: TagLike[] | undefined, nameMatch: boolean) => Owner[];
  query: StsQuery;
  s3For: (region: string) => S3Client;
}

/** An AWS read through the scan's pool: the value, or undefined when the resource is missing. */
export async function find<T>(scan: Scan, call: string, run: () => Promise<T>): Promise<T | undefined> {
  return valueOf(await scan.aws.read(call, run));
}

export function ownersFor(query: StsQuery) {
  return (tags: TagLike[] | undefined, nameMatch: boolean): Owner[] => {
    const tagged = ownerStsNames(tags);
    if ('all' in query) return [...new Set(tagged)].map((stsName) => ({ stsName, match: 'tag' as const }));
    if (tagged.includes(query.stsName)) return [{ stsName: query.stsName, match: 'tag' }];
    // Named like ours but tagged for another sts name (one that starts with ours): not ours.
    if (nameMatch && tagged.length === 0) return [{ stsName: query.stsName, match: 'name' }];
    return [];
  };
}

/** Owner of a comment or description ccoctl (or the stand-in) wrote: the tag key, or a name after the bucket. */
export function commentOwners(scan: Scan, text: string | undefined, name?: string): Owner[] {
  const asTag = text?.startsWith(CCO_TAG_PREFIX) ? [{ Key: text }] : [];
  const { query } = scan;
  const named =
    !('all' in query) &&
    [text, name].some((t) => t === oidcBucketName(query.stsName) || t === ownedTagKey(query.stsName));
  return scan.owners(asTag, named);
}

/** `{ owner }` when the tags name the owning cluster, else nothing (so that untagged resources read as before). */
export function ownerField(tags: TagLike[] | undefined): { owner?: string } {
  const owner = ownerOf(tags);
  return owner ? { owner } : {};
}
