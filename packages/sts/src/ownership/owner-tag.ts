/*
 * Which cluster owns what ccoctl made for an sts name. ccoctl's own tags (`openshift.io/cloud-credential-operator/
 * <sts_name>=owned`, `Name=<sts_name>`) say only the sts name, which two cluster.yaml files can share by mistake, or a
 * renamed sts_name can leave behind; the owner tag says which cluster (its name, the folder under clusters/) the
 * resources belong to, so that another cluster refuses them and the leftovers command keeps them.
 */
import type { TagLike } from '@ocp-sts/aws';

/** The tag key; its value is the cluster's name. */
export const OWNER_TAG_KEY = 'ocp-sts.io/cluster';

export interface Tag {
  Key: string;
  Value: string;
}

/** `ocp-sts.io/cluster=<cluster>` */
export function ownerTag(cluster: string): Tag {
  return { Key: OWNER_TAG_KEY, Value: cluster };
}

/** The cluster the tags name as owner; undefined for a resource made before this tag, or by hand. */
export function ownerOf(tags: readonly TagLike[] | undefined): string | undefined {
  const value = (tags ?? []).find((t) => t.Key === OWNER_TAG_KEY)?.Value;
  return value || undefined;
}

/**
 * The tag set with `ours` set and every other tag kept, in order: S3's PutBucketTagging replaces the whole set, so the
 * bucket's current tags (ccoctl's among them) are read and written back with ours.
 */
export function withTags(tags: readonly TagLike[] | undefined, ours: readonly Tag[]): Tag[] {
  const keys = new Set(ours.map((t) => t.Key));
  const others = (tags ?? []).flatMap((t) => (t.Key && !keys.has(t.Key) ? [{ Key: t.Key, Value: t.Value ?? '' }] : []));
  return [...others, ...ours];
}

/** withTags with the owner tag alone. */
export function withOwnerTag(tags: readonly TagLike[] | undefined, cluster: string): Tag[] {
  return withTags(tags, [ownerTag(cluster)]);
}

/** `ocp-sts.io/cluster=<cluster>`, for messages. */
export function ownerTagText(cluster: string): string {
  return `${OWNER_TAG_KEY}=${cluster}`;
}
