/*
 * cluster.yaml's `tags`: the user tags of a cluster. The installer puts them on everything it creates (install-config
 * `platform.aws.userTags`, with `propagateUserTags` so that the operators put them on what they create too), and the
 * ccoctl step on everything ccoctl creates (roles, OIDC provider, bucket, CloudFront distribution), which no installer
 * option reaches.
 *
 * The rules are the installer's (pkg/types/aws/validation/platform.go, validateUserTags and validateTag), narrowed to
 * what IAM takes too: the installer's character class `[0-9A-Za-z_.:/=+-@\p{Z}]` holds the range `+-@`, which also
 * admits `,;<>?`, and IAM's tag pattern (`[\p{L}\p{Z}\p{N}_.:/=+\-@]`) refuses those; so do we, before any role is made.
 */
import { z } from 'zod';

/** The installer's limit (userTagLimit, from openshift/api's Infrastructure). */
export const USER_TAG_LIMIT = 25;
const TAG_TEXT = /^[0-9A-Za-z_.:/=+\-@\p{Z}]*$/u;
const TAG_TEXT_EXPECTED = 'letters A-Z a-z, digits, spaces and _ . : / = + - @ (what the installer and IAM both take)';

/** Why a key is refused, or undefined. */
function keyProblem(key: string): string | undefined {
  if (key.toLowerCase() === 'name') return 'the installer sets "Name" itself: use another key';
  if (!key.length || key.length > 128) return 'expected a key of 1 to 128 characters';
  if (!TAG_TEXT.test(key)) return `expected a key of ${TAG_TEXT_EXPECTED}`;
  if (/^([^/]*\.)?kubernetes\.io\//.test(key))
    return "expected a key outside the kubernetes.io namespace (the cluster's own)";
  if (/^([^/]*\.)?openshift\.io\//.test(key))
    return "expected a key outside the openshift.io namespace (the cluster's own)";
  if (/^([^/]*\.)?ocp-sts\.io\//.test(key))
    return "expected a key outside the ocp-sts.io namespace (this tool's owner tag)";
  return undefined;
}

/** Why a value is refused, or undefined. Empty values are refused as the installer does: some AWS services do. */
function valueProblem(value: string): string | undefined {
  if (!value.length || value.length > 256)
    return 'expected a value of 1 to 256 characters (the installer takes no empty value)';
  if (!TAG_TEXT.test(value)) return `expected a value of ${TAG_TEXT_EXPECTED}`;
  return undefined;
}

export const tagsSchema = z
  .object({}, { error: 'expected a map of tag keys to values, like { cost-center: "4711", owner: platform }' })
  .catchall(z.string({ error: 'expected a tag value as a string (quote numbers: "4711")' }))
  .superRefine((tags, ctx) => {
    const keys = Object.keys(tags);
    if (keys.length > USER_TAG_LIMIT) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `expected at most ${USER_TAG_LIMIT} tags (the installer's limit), got ${keys.length}`,
      });
    }
    for (const key of keys) {
      const problem = keyProblem(key) ?? valueProblem(tags[key]!);
      if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
    }
  })
  .describe(
    `User tags (at most ${USER_TAG_LIMIT}): on everything the installer creates (userTags, propagated to what the ` +
      'operators create) and on everything ccoctl creates (roles, OIDC provider, bucket, CloudFront).',
  );

export type UserTags = Record<string, string>;

/** The tags sorted by key: the same tags give the same bytes in a slice or an install-config, whatever their order. */
export function sortedTags(tags: UserTags | undefined): UserTags {
  return Object.fromEntries(Object.entries(tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** install-config's part of them: under platform.aws, with propagateUserTags; nothing without tags. */
export function userTagsOfInstallConfig(tags: UserTags | undefined): { userTags?: UserTags; propagateUserTags?: true } {
  const sorted = sortedTags(tags);
  return Object.keys(sorted).length ? { userTags: sorted, propagateUserTags: true } : {};
}
