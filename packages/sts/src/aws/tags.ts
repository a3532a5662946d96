/*
 * How ccoctl marks what it creates (contracts/upstream-tools.md): every resource carries the tags
 * `openshift.io/cloud-credential-operator/<name>=owned` and `Name=<name>`; the OIDC bucket is `<name>-oidc`; the
 * private bucket's CloudFront origin access identity is found by its comment, the tag key.
 */

export const CCO_TAG_PREFIX = 'openshift.io/cloud-credential-operator/';
export const OWNED = 'owned';

/** `openshift.io/cloud-credential-operator/<stsName>` */
export function ownedTagKey(stsName: string): string {
  return `${CCO_TAG_PREFIX}${stsName}`;
}

/** The sts name a tag key marks, or undefined for any other key. */
export function stsNameOfTagKey(key: string | undefined): string | undefined {
  if (!key?.startsWith(CCO_TAG_PREFIX)) return undefined;
  const name = key.slice(CCO_TAG_PREFIX.length);
  return name || undefined;
}

/** ccoctl's OIDC bucket for an sts name. */
export function oidcBucketName(stsName: string): string {
  return `${stsName}-oidc`;
}

export interface TagLike {
  Key?: string | undefined;
  Value?: string | undefined;
}

/** The sts names these tags mark as owned (normally one). */
export function ownerStsNames(tags: readonly TagLike[] | undefined): string[] {
  return (tags ?? []).flatMap((t) => {
    const name = stsNameOfTagKey(t.Key);
    return name ? [name] : [];
  });
}

/** Whether the tags mark the resource as ccoctl's for `stsName` (`...=owned`). */
export function isOwnedBy(tags: readonly TagLike[] | undefined, stsName: string): boolean {
  return (tags ?? []).some((t) => t.Key === ownedTagKey(stsName) && t.Value === OWNED);
}
